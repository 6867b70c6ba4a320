import type { DeadLetter } from '@streamkit/kafka';

const MAX_REASON = 100;

/** The lines `pnpm dlq <pipeline> list` prints: one per dead letter, then counts per reason. */
export function formatDeadLetters(letters: readonly DeadLetter[]): string[] {
  if (letters.length === 0) return ['no dead letters'];
  const rows = letters.map((l) => [
    new Date(l.timestamp).toISOString(),
    l.sourceTopic ?? l.headers['x-dlq-source-topic'] ?? '-',
    `${l.dlqTopic}[${l.partition}]@${l.offset}`,
    l.errorKind || '-',
    l.key?.toString('utf8') ?? '-',
    l.replayedAt === undefined ? '-' : `replayed ${l.replayedAt}`,
    clip(l.reason || '-', MAX_REASON),
  ]);
  const header = ['dead-lettered at', 'source topic', 'dlq position', 'kind', 'key', 'replay', 'reason'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  const counts = new Map<string, number>();
  for (const l of letters) counts.set(l.reason || '-', (counts.get(l.reason || '-') ?? 0) + 1);
  const byCount = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const replayed = letters.filter((l) => l.replayedAt !== undefined).length;
  return [
    line(header),
    ...rows.map(line),
    '',
    `${letters.length} dead letters (${replayed} replayed), by reason:`,
    ...byCount.map(([reason, n]) => `${String(n).padStart(6)}  ${clip(reason, 200)}`),
  ];
}

function clip(text: string, max: number): string {
  const flat = text.replaceAll(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
