/**
 * The V8 flags each service of an app runs with, keyed by service (its `src/<service>/` folder).
 * `pnpm demo`, the benchmarks and the compose files all start a service with these; why they exist
 * and what they measured: README.md, "V8 heap bounds".
 */
export type NodeFlags<Service extends string> = Readonly<Record<Service, readonly string[]>>;

const allowed = /^--(max-old-space-size|max-semi-space-size)=[1-9][0-9]*$/;

/** Checks the flags at load time: only heap bounds, each once per service. */
export function defineNodeFlags<const Service extends string>(
  flags: Record<Service, readonly string[]>,
): NodeFlags<Service> {
  const problems: string[] = [];
  for (const [service, list] of Object.entries<readonly string[]>(flags)) {
    for (const flag of list)
      if (!allowed.test(flag)) problems.push(`${service}: ${flag} is not a V8 heap bound`);
    const names = list.map((f) => f.split('=')[0]);
    if (new Set(names).size !== names.length) problems.push(`${service}: a flag is given twice`);
  }
  if (problems.length > 0) throw new RangeError(`invalid node flags: ${problems.join('; ')}`);
  return Object.freeze(
    Object.fromEntries(Object.entries<readonly string[]>(flags).map(([s, l]) => [s, Object.freeze([...l])])),
  ) as NodeFlags<Service>;
}

/** `node <flags> --import @streamkit/telemetry/register <script> <args>`: how every service starts. */
export function serviceCommand(
  flags: readonly string[],
  script: string,
  args: readonly string[] = [],
): string[] {
  return ['node', ...flags, '--import', '@streamkit/telemetry/register', script, ...args];
}
