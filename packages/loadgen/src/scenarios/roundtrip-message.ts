/** The message kafka-roundtrip sends and reads back: who sent it, which operation, and when it was due. */
import { compileValidator, defineTopic, type TopicDef } from '@streamkit/schemas';
import Type, { type Static } from 'typebox';

export const RoundtripMessage = Type.Object(
  {
    /** The run that sent it: a consumer ignores other runs' messages. */
    runId: Type.String({ minLength: 1, maxLength: 64 }),
    operation: Type.Integer({ minimum: 0 }),
    /** Intended send time on the sending process's run clock (ns): where latency starts. */
    intendedAtNs: Type.Number({ minimum: 0 }),
    /** Wall-clock time send() was called (epoch ms), for reading the topic by hand. */
    sentAtMs: Type.Number({ minimum: 0 }),
    /** Filler bringing the encoded message to the requested size. */
    padding: Type.String(),
  },
  { additionalProperties: false },
);
export type RoundtripMessage = Static<typeof RoundtripMessage>;

export const roundtripMessageValidator = compileValidator('LoadgenRoundtripMessage', RoundtripMessage);

/** A run's own topic; keyed by operation so messages spread over every partition. */
export function roundtripTopic(name: string): TopicDef<RoundtripMessage> {
  return defineTopic(name, roundtripMessageValidator, (m) => String(m.operation));
}

/** Padding that makes the JSON encoding of a message `sizeBytes` long (never below the bare envelope). */
export function paddingFor(sizeBytes: number, runId: string): string {
  // the largest values these fields take in a run, so every message is at least sizeBytes
  const envelope: RoundtripMessage = {
    runId,
    operation: 99_999_999,
    intendedAtNs: 1e15 + 0.123456,
    sentAtMs: 1e13 + 0.123456,
    padding: '',
  };
  return 'x'.repeat(Math.max(0, sizeBytes - JSON.stringify(envelope).length));
}
