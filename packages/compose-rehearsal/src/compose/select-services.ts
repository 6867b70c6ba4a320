import type { ComposeProject, ServiceSpec } from './types.ts';

/**
 * The services `docker compose --profile <p>… up` starts: those without profiles, and those with one
 * of the active profiles. A `depends_on` on a service the profiles leave out is an error, as in
 * Compose, unless the dependency says `required: false` (then it is dropped). Returned in start
 * order (every service after its dependencies); a dependency cycle is an error.
 */
export function selectServices(project: ComposeProject, profiles: readonly string[]): ServiceSpec[] {
  const enabled = [...project.services.values()].filter(
    (s) => s.profiles.length === 0 || s.profiles.some((p) => profiles.includes(p)),
  );
  const names = new Set(enabled.map((s) => s.name));
  const problems: string[] = [];
  const selected = enabled.map((s) => {
    const dependsOn = Object.fromEntries(
      Object.entries(s.dependsOn).filter(([dep, d]) => {
        if (names.has(dep)) return true;
        if (!d.required) return false;
        problems.push(
          project.services.has(dep)
            ? `${s.name} depends on ${dep}, which the profiles ${profiles.join(', ') || '(none)'} leave out`
            : `${s.name} depends on ${dep}, which is not defined`,
        );
        return false;
      }),
    );
    return { ...s, dependsOn };
  });
  if (problems.length > 0) throw new Error(problems.join('; '));
  return startOrder(selected);
}

function startOrder(services: ServiceSpec[]): ServiceSpec[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const ordered: ServiceSpec[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (s: ServiceSpec, path: string[]) => {
    if (state.get(s.name) === 'done') return;
    if (state.get(s.name) === 'visiting')
      throw new Error(`dependency cycle: ${[...path, s.name].join(' → ')}`);
    state.set(s.name, 'visiting');
    for (const dep of Object.keys(s.dependsOn)) visit(byName.get(dep) as ServiceSpec, [...path, s.name]);
    state.set(s.name, 'done');
    ordered.push(s);
  };
  for (const s of services) visit(s, []);
  return ordered;
}
