/** The table `pnpm chaos` prints (and writes as report.md). */
import { faultKinds, faultLabels } from './faults.ts';
import type { ChaosResult } from './result.ts';

const seconds = (ms: number | undefined) => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
}

export function renderReport(result: ChaosResult): string {
  const s = result.settings;
  const lines = [
    `## chaos ${result.pipeline}: ${result.failures.length === 0 ? 'nothing lost, nothing duplicated' : 'FAILED'}`,
    '',
    `\`${result.command}\` — ${result.startedAt}, ${s.faults} faults over ${s.durationS} s at ${s.rate}/s, seed ${s.seed}; load average ${result.loadAverage[0].toFixed(2)} → ${result.loadAverage[1].toFixed(2)}`,
    '',
  ];
  const byKind = faultKinds
    .map((kind) => ({ kind, faults: result.faults.filter((f) => f.kind === kind) }))
    .filter((k) => k.faults.length > 0);
  lines.push(
    ...table(
      ['fault', 'injected', 'longest recovery'],
      byKind.map(({ kind, faults }) => {
        const recoveries = faults.map((f) => f.recoveryMs);
        const longest = recoveries.includes(undefined) ? undefined : Math.max(...(recoveries as number[]));
        return [faultLabels[kind], String(faults.length), seconds(longest)];
      }),
    ),
    '',
  );
  lines.push(
    ...table(
      ['events', 'count'],
      [
        ['sent', String(result.sent)],
        ['accepted by the ingress', String(result.accepted)],
        ['refused (outcome unknown to the client)', String(result.refused)],
        ...Object.entries(result.refusedByKind).map(([kind, n]) => [`- ${kind}`, String(n)]),
        ['lost', String(result.lost)],
        ['duplicated', String(result.duplicated)],
        ['longest recovery', seconds(result.longestRecoveryMs)],
      ],
    ),
    '',
  );
  lines.push(
    ...table(
      ['output', 'reference', 'compared', 'lost', 'duplicated'],
      result.checks.map((c) => [
        c.output,
        c.expectation,
        String(c.expected),
        String(c.lost),
        String(c.duplicated),
      ]),
    ),
    '',
  );
  for (const check of result.checks)
    for (const note of check.notes ?? []) lines.push(`- ${check.output}: ${note}`);
  if (result.redisHolds !== undefined) lines.push(`- Redis holds: ${result.redisHolds}`);
  lines.push('', 'Faults in order (seconds from the first send):', '');
  for (const f of result.faults) {
    const at = f.startedAtMs - result.loadStartedAtMs;
    lines.push(
      `${f.index + 1}. ${(at / 1000).toFixed(1)} s ${f.kind}: ${f.target || '-'}; back after ${seconds(f.endedAtMs - f.startedAtMs)}, recovered in ${seconds(f.recoveryMs)}${f.finding ? `; ${f.finding}` : ''}${f.failure ? `; NOT CARRIED OUT: ${f.failure}` : ''}`,
    );
  }
  if (result.unexpectedExits.length > 0) {
    lines.push('', `Service exits nobody asked for (restarted): ${result.unexpectedExits.join('; ')}`);
  }
  if (result.failures.length > 0) lines.push('', ...result.failures.map((f) => `FAILURE: ${f}`));
  lines.push('', `Service output: ${result.logFile}`);
  return `${lines.join('\n')}\n`;
}
