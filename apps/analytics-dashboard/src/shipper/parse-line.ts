import { parseCombined } from './parse-combined.ts';
import { parseJsonLine } from './parse-json.ts';
import type { ParseResult } from './parsed-line.ts';

/** A JSON object line or a combined-format line, told apart by the first character. */
export function parseLine(line: string): ParseResult {
  const trimmed = line.trimStart();
  return trimmed.startsWith('{') ? parseJsonLine(trimmed) : parseCombined(line);
}
