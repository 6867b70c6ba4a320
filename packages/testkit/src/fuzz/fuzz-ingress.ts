import { appendFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import fc from 'fast-check';
import { type FuzzSettings, loadFuzzSettings } from './settings.ts';

/** What an ingress answered one input: an HTTP status and body, or `accepted`/`rejected` for a topic. */
export interface FuzzAnswer {
  readonly status: number;
  readonly body: string;
}

export interface FuzzExpectations {
  /** Statuses that mean "taken" (202, 200…). */
  readonly accepted: readonly number[];
  /** The 4xx statuses this ingress may refuse with besides 400 (409, 413, 415, 429…). */
  readonly otherRejections?: readonly number[];
}

/** The figures of one ingress's round, as `pnpm fuzz` prints them. */
export interface FuzzFigures {
  readonly ingress: string;
  readonly inputs: number;
  readonly accepted: number;
  readonly rejected: Readonly<Record<string, number>>;
  readonly serverErrors: number;
  readonly seconds: number;
  readonly inputsPerSecond: number;
  readonly loadAverage: number;
  /** Records read back from the ingress's topics and validated with the schema validators. */
  topicRecords?: number;
}

/**
 * Why `answer` breaks the ingress contract, or undefined when it keeps it: never a 5xx; an
 * accepted status, or a 4xx in the common error body — a 400 naming each failing field.
 */
export function contractBreach(answer: FuzzAnswer, expect: FuzzExpectations): string | undefined {
  if (expect.accepted.includes(answer.status)) return undefined;
  if (answer.status !== 400 && !(expect.otherRejections ?? []).includes(answer.status))
    return `status ${answer.status} is neither accepted nor an expected rejection`;
  let body: { error?: unknown; fields?: unknown };
  try {
    body = JSON.parse(answer.body) as typeof body;
  } catch {
    return `the ${answer.status} body is not JSON: ${answer.body.slice(0, 200)}`;
  }
  if (typeof body.error !== 'string') return `the ${answer.status} body has no error name`;
  if (answer.status !== 400) return undefined;
  const fields = body.fields;
  if (!Array.isArray(fields) || fields.length === 0) return 'the 400 names no field';
  for (const f of fields as { field?: unknown; message?: unknown }[]) {
    if (typeof f.field !== 'string' || typeof f.message !== 'string' || f.message === '')
      return `a 400 field entry is not {field, message}: ${JSON.stringify(f)}`;
  }
  return undefined;
}

/**
 * Sends FUZZ_RUNS inputs from `inputs` through `send` (fast-check: shrinks and prints the seed of
 * a counterexample) and asserts the contract on each answer. Returns the round's figures, printed
 * and appended to FUZZ_REPORT when set; the caller adds what it read back from the topics.
 */
export async function fuzzIngress<T>(
  ingress: string,
  inputs: fc.Arbitrary<T>,
  send: (input: T) => Promise<FuzzAnswer>,
  expect: FuzzExpectations,
  settings: FuzzSettings = loadFuzzSettings(),
): Promise<FuzzFigures> {
  const rejected: Record<string, number> = {};
  let count = 0;
  let accepted = 0;
  let serverErrors = 0;
  const started = performance.now();
  await fc.assert(
    fc.asyncProperty(inputs, async (input) => {
      const answer = await send(input);
      count++;
      if (answer.status >= 500) serverErrors++;
      else if (expect.accepted.includes(answer.status)) accepted++;
      else rejected[answer.status] = (rejected[answer.status] ?? 0) + 1;
      const breach = contractBreach(answer, expect);
      if (breach !== undefined) throw new Error(`${ingress}: ${breach} (body ${answer.body.slice(0, 300)})`);
    }),
    { numRuns: settings.runs, ...(settings.seed === undefined ? {} : { seed: settings.seed }) },
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    ingress,
    inputs: count,
    accepted,
    rejected,
    serverErrors,
    seconds: Math.round(seconds * 10) / 10,
    inputsPerSecond: Math.round(count / seconds),
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** Prints a round's figures and appends them to FUZZ_REPORT (one JSON line) when it is set. */
export function reportFuzzFigures(figures: FuzzFigures, settings: FuzzSettings = loadFuzzSettings()): void {
  const rejected = Object.entries(figures.rejected)
    .map(([status, n]) => `${n}×${status}`)
    .join(' ');
  console.log(
    `fuzz ${figures.ingress}: ${figures.inputs} inputs, ${figures.accepted} accepted, rejected ${rejected || 'none'}, ${figures.serverErrors} 5xx, ${figures.topicRecords ?? '-'} topic records valid, ${figures.seconds} s (load ${figures.loadAverage})`,
  );
  if (settings.report !== undefined) appendFileSync(settings.report, `${JSON.stringify(figures)}\n`);
}

/** Records of a topic that fail `isValid`, with the reason: the fuzzer's "nothing invalid on a topic". */
export function invalidRecords(
  records: readonly { value: string | null; offset?: string }[],
  validate: (value: unknown) => { ok: boolean; errors?: readonly { field: string; message: string }[] },
): string[] {
  const problems: string[] = [];
  for (const record of records) {
    let value: unknown;
    try {
      value = JSON.parse(record.value ?? 'null');
    } catch {
      problems.push(`not JSON: ${String(record.value).slice(0, 120)}`);
      continue;
    }
    const result = validate(value);
    if (!result.ok) problems.push(`${JSON.stringify(result.errors)}: ${String(record.value).slice(0, 200)}`);
  }
  return problems;
}

/**
 * The end of an ingress's round: what its topics hold is counted into the figures, the figures are
 * printed (and appended to FUZZ_REPORT), and the records that fail `validate` are returned with
 * their reasons — the fuzzer's "nothing invalid on a topic" wants none.
 */
export function finishFuzzRound(
  figures: FuzzFigures,
  records: Parameters<typeof invalidRecords>[0],
  validate: Parameters<typeof invalidRecords>[1],
  settings: FuzzSettings = loadFuzzSettings(),
): string[] {
  figures.topicRecords = records.length;
  reportFuzzFigures(figures, settings);
  return invalidRecords(records, validate);
}

/** FUZZ_RUNS inputs drawn from `inputs` up front (seeded by FUZZ_SEED when set), for an ingress fed in bulk. */
export function sampleFuzzInputs<T>(
  inputs: fc.Arbitrary<T>,
  settings: FuzzSettings = loadFuzzSettings(),
): T[] {
  return fc.sample(
    inputs,
    settings.seed === undefined ? settings.runs : { numRuns: settings.runs, seed: settings.seed },
  );
}
