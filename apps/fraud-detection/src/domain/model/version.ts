/** `lr-<UTC timestamp>-<8 hex of the parameters>`: sortable, and two different models never share one. */
export function modelVersion(createdAt: string, parameters: unknown): string {
  const stamp = createdAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `lr-${stamp}-${fnv1a(JSON.stringify(parameters)).toString(16).padStart(8, '0')}`;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
