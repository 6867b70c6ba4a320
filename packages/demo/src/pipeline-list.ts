import type { Discovery } from './discovery.ts';

/** Text for `pnpm demo` without a (known) pipeline: every pipeline, then apps that failed to load. */
export function formatPipelineList(discovery: Discovery): string {
  const { pipelines, failures } = discovery;
  const width = Math.max(0, ...pipelines.map((p) => p.pipeline.name.length));
  const lines = ['pipelines:'];
  for (const { pipeline } of [...pipelines].sort((a, b) => a.pipeline.name.localeCompare(b.pipeline.name))) {
    const needs = pipeline.needs.length === 0 ? 'no infrastructure' : `needs ${pipeline.needs.join(', ')}`;
    lines.push(`  ${pipeline.name.padEnd(width)}  ${pipeline.description} (${needs})`);
  }
  if (failures.length > 0) {
    lines.push('', 'not loadable:');
    for (const failure of failures) lines.push(`  ${failure.message.replaceAll('\n', '\n  ')}`);
  }
  return `${lines.join('\n')}\n`;
}
