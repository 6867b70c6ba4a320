export interface UrlRow {
  readonly name: string;
  readonly url: string;
}

/** A framed block listing each service's URL, printed once a pipeline is ready. */
export function formatUrlBox(title: string, rows: readonly UrlRow[], footer: string): string {
  const nameWidth = Math.max(0, ...rows.map((r) => r.name.length));
  const lines = [
    title,
    '',
    ...(rows.length === 0 ? ['(no URLs)'] : rows.map((r) => `  ${r.name.padEnd(nameWidth)}  ${r.url}`)),
    '',
    footer,
  ];
  const width = Math.max(...lines.map((l) => l.length));
  const horizontal = '─'.repeat(width + 2);
  return [`┌${horizontal}┐`, ...lines.map((l) => `│ ${l.padEnd(width)} │`), `└${horizontal}┘`, ''].join('\n');
}
