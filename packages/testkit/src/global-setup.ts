/**
 * vitest globalSetup: calls ensureInfrastructure once per run for the components the config asked
 * for (`provide.infrastructureNeeds`, see infrastructureTestConfig; all four when absent) and provides
 * the result to tests, which read it with `inject('infrastructure')`. Nothing is stopped afterwards:
 * the broker and services are shared by every package's tests.
 */
import type { TestProject } from 'vitest/node';
import { allComponents } from './components.ts';
import { ensureInfrastructure } from './infrastructure.ts';
import type {} from './vitest-context.ts';

export default async function setup(project: TestProject): Promise<void> {
  const asked = project.getProvidedContext().infrastructureNeeds;
  const need = asked !== undefined && asked.length > 0 ? asked : [...allComponents];
  const infrastructure = await ensureInfrastructure({
    need,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  project.provide('infrastructure', infrastructure);
}
