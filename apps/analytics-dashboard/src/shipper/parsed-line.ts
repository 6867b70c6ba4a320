/** What a parser extracts from one log line, before route normalization and enrichment. */
export interface ParsedLine {
  readonly ts: string;
  readonly method: string;
  /** the request target without the query string */
  readonly path: string;
  readonly status: number;
  readonly bytes: number;
  /** as the line records it, to the microsecond; enrich.ts rounds it to whole milliseconds */
  readonly durationMs: number;
  readonly clientIp: string;
  readonly userAgent: string;
  readonly referrer?: string;
  /** the server that logged it, when the line says so (JSON lines may) */
  readonly host?: string;
}

export type ParseResult =
  | { readonly ok: true; readonly line: ParsedLine }
  | { readonly ok: false; readonly reason: string };

export function rejected(reason: string): ParseResult {
  return { ok: false, reason };
}

/** The request target without its query string or fragment. */
export function pathOf(target: string): string {
  const cut = target.search(/[?#]/);
  return cut === -1 ? target : target.slice(0, cut);
}
