/**
 * A copy of this process's environment for spawning a child process (`spawn(cmd, { env })`), with
 * `overrides` applied: a string sets a variable, undefined removes it.
 */
export function processEnvironment(
  overrides: Readonly<Record<string, string | undefined>> = {},
): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined) copy[name] = value;
  }
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete copy[name];
    else copy[name] = value;
  }
  return copy;
}
