import type { IngressCheck } from '../checks/index.ts';
import type { OtlpRecorder } from '../stand-ins/otlp-recorder.ts';
import type { Progress } from './progress.ts';

// The services export in batches (the OpenTelemetry SDK's BatchSpanProcessor: every 5 s by default).
const WAIT_MS = 20_000;

/**
 * With the observability profile: the spans of every service on a passed check's path reached the
 * collector (the OTLP stand-in). Returns a failure per service whose spans never arrived.
 */
export async function traceFindings(
  recorder: OtlpRecorder,
  passed: readonly IngressCheck[],
  progress: Progress,
): Promise<string[]> {
  const expected = [...new Set(passed.flatMap((c) => c.traced))];
  if (expected.length === 0) return [];
  const deadline = Date.now() + WAIT_MS;
  const missing = () => expected.filter((s) => (recorder.spansByService.get(s) ?? 0) === 0);
  while (missing().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  const seen = [...recorder.spansByService].map(([s, n]) => `${s} ${n}`).join(', ');
  progress.step(`traces at ${recorder.service}: ${seen === '' ? 'none' : seen}`);
  return missing().map(
    (s) =>
      `no span from ${s} reached ${recorder.service} within ${WAIT_MS / 1000} s of the check (OTEL_EXPORTER_OTLP_ENDPOINT set?)`,
  );
}
