import { afterEach, describe, expect, it } from 'vitest';
import {
  createSpanRecorder,
  getTracer,
  startRecordingTracing,
  startTracing,
  type Tracing,
  withSpan,
} from '../src/index.ts';

let tracing: Tracing | undefined;
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

describe('createSpanRecorder', () => {
  it('keeps the spans ended under the tracing it is given to', async () => {
    const recorder = createSpanRecorder();
    tracing = startTracing({ serviceName: 'recorder-test', spanProcessors: [recorder.processor] });
    expect(tracing.enabled).toBe(true);
    await withSpan(getTracer('recorder-test'), 'outer', { step: 'one' }, () =>
      withSpan(getTracer('recorder-test'), 'inner', {}, () => undefined),
    );
    await tracing.forceFlush();
    const spans = recorder.finishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['inner', 'outer']);
    const [inner, outer] = spans;
    expect(inner?.parentSpanContext?.spanId).toBe(outer?.spanContext().spanId);
    expect(outer?.attributes.step).toBe('one');
  });
});

describe('startRecordingTracing', () => {
  it('records into memory, so the tracing is enabled as with an OTLP endpoint', async () => {
    const started = startRecordingTracing('recording-test');
    tracing = started.tracing;
    expect(tracing.enabled).toBe(true);
    await withSpan(getTracer('recording-test'), 'work', {}, () => undefined);
    await tracing.forceFlush();
    expect(started.recorder.finishedSpans().map((s) => s.name)).toEqual(['work']);
  });
});
