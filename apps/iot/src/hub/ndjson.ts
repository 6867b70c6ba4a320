/** The non-blank lines of an NDJSON body with their 1-based line numbers. */
export function ndjsonLines(body: string): { readonly line: number; readonly text: string }[] {
  const out: { line: number; text: string }[] = [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const text = (lines[i] ?? '').trim();
    if (text !== '') out.push({ line: i + 1, text });
  }
  return out;
}
