import { type PaymentDecision, paymentDecisionValidator } from '@streamkit/schemas';
import type { Redis } from 'ioredis';
import { decisionLine } from '../common/decision-channel.ts';
import type { FraudRedisKeys } from '../common/redis-keys.ts';
import type { CardState } from '../domain/card-state.ts';
import { decodeCardState, encodeCardState } from '../domain/card-state-codec.ts';
import { CorruptStateError, PartitionFencedError, StateStoreError } from './errors.ts';

/** A decision as stored, with the record that produced it (`topic/partition/offset`). */
export interface StoredDecision {
  readonly decision: PaymentDecision;
  /** null for a decision stored without an origin (e.g. by an older detector) */
  readonly origin: string | null;
}

/** Everything a batch needs from Redis, read in one round trip. */
export interface BatchSnapshot {
  /** Only cards that have a state; a missing card starts empty. */
  readonly states: ReadonlyMap<string, CardState>;
  /** Decisions already made for the batch's paymentIds (a replay or a duplicate). */
  readonly decisions: ReadonlyMap<string, StoredDecision>;
}

/** A detector's claim on one payments partition: writes carrying an older epoch are refused. */
export interface PartitionFence {
  readonly partition: number;
  readonly epoch: number;
}

export interface CardStateStore {
  /** Takes partition `partition` over: increments its epoch, fencing every earlier claimant. */
  claim(partition: number): Promise<PartitionFence>;
  load(cardIds: readonly string[], paymentIds: readonly string[]): Promise<BatchSnapshot>;
  /**
   * Writes the states and the new decisions in ONE script (atomic: all of them or none), only if
   * `fence` still holds the partition's current epoch; else nothing and a PartitionFencedError.
   */
  save(
    fence: PartitionFence,
    states: ReadonlyMap<string, CardState>,
    decisions: readonly StoredDecision[],
  ): Promise<void>;
}

/**
 * KEYS: epoch, then card keys, then decision + origin key pairs. ARGV: expected epoch, card TTL,
 * decision TTL, number of cards, the decisions channel and its message ('' for none), then one
 * value per key after the epoch ('' for an origin: none recorded). Checked, written and announced
 * in one script, so a detector fenced after its check can neither write nor announce.
 */
const fencedSaveScript = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED partition epoch is ' .. tostring(redis.call('GET', KEYS[1])))
end
local cards = tonumber(ARGV[4])
for i = 2, #KEYS do
  local value = ARGV[i + 5]
  if i <= cards + 1 then
    redis.call('SET', KEYS[i], value, 'EX', ARGV[2])
  elseif value ~= '' then
    redis.call('SET', KEYS[i], value, 'EX', ARGV[3])
  end
end
if ARGV[6] ~= '' then redis.call('PUBLISH', ARGV[5], ARGV[6]) end
return #KEYS - 1
`;

export interface CardStateStoreSettings {
  readonly redis: Redis;
  readonly keys: FraudRedisKeys;
  readonly cardStateTtlSeconds: number;
  readonly decisionTtlSeconds: number;
  /**
   * A value the detector cannot read is reported here and treated as absent: the card starts
   * afresh rather than every later payment of it failing into the DLQ.
   */
  readonly onCorrupt?: (error: CorruptStateError) => void;
}

/** The key beside a decision that names the Kafka record it was made for. */
export function decisionOriginKey(keys: FraudRedisKeys, paymentId: string): string {
  return `${keys.decision(paymentId)}:origin`;
}

/** `topic/partition/offset`: identifies one consumed record across restarts. */
export function recordOrigin(record: { topic: string; partition: number; offset: string }): string {
  return `${record.topic}/${record.partition}/${record.offset}`;
}

export function createCardStateStore(settings: CardStateStoreSettings): CardStateStore {
  const { redis, keys, cardStateTtlSeconds, decisionTtlSeconds } = settings;
  const onCorrupt =
    settings.onCorrupt ??
    ((error: CorruptStateError) => {
      throw error;
    });
  /** Parses one value; a corrupt one goes to onCorrupt and reads as absent. */
  function readable<T>(parse: () => T): T | undefined {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof CorruptStateError)) throw error;
      onCorrupt(error);
      return undefined;
    }
  }
  return {
    async load(cardIds, paymentIds) {
      const cardKeys = cardIds.map((id) => keys.card(id));
      const decisionKeys = paymentIds.flatMap((id) => [keys.decision(id), decisionOriginKey(keys, id)]);
      let values: (string | null)[];
      try {
        values = await redis.mget(...cardKeys, ...decisionKeys);
      } catch (error) {
        throw new StateStoreError('reading card states and decisions failed', error);
      }
      const states = new Map<string, CardState>();
      cardIds.forEach((id, i) => {
        const raw = values[i];
        const state = raw == null ? undefined : readable(() => parseCardState(cardKeys[i] ?? id, raw));
        if (state !== undefined) states.set(id, state);
      });
      const decisions = new Map<string, StoredDecision>();
      paymentIds.forEach((id, i) => {
        const raw = values[cardIds.length + 2 * i];
        const origin = values[cardIds.length + 2 * i + 1] ?? null;
        const decision = raw == null ? undefined : readable(() => parseDecision(keys.decision(id), raw));
        if (decision !== undefined) decisions.set(id, { decision, origin });
      });
      return { states, decisions };
    },

    async claim(partition) {
      try {
        return { partition, epoch: await redis.incr(keys.partitionEpoch(partition)) };
      } catch (error) {
        throw new StateStoreError(`claiming partition ${partition} failed`, error);
      }
    },

    async save(fence, states, decisions) {
      if (states.size === 0 && decisions.length === 0) return;
      const cardKeys: string[] = [];
      const values: string[] = [];
      for (const [cardId, state] of states) {
        cardKeys.push(keys.card(cardId));
        values.push(encodeCardState(state));
      }
      const decisionKeys: string[] = [];
      const announced: string[] = [];
      for (const { decision, origin } of decisions) {
        const json = JSON.stringify(decision);
        decisionKeys.push(keys.decision(decision.paymentId), decisionOriginKey(keys, decision.paymentId));
        values.push(json, origin ?? '');
        announced.push(decisionLine(decision.paymentId, json));
      }
      const allKeys = [keys.partitionEpoch(fence.partition), ...cardKeys, ...decisionKeys];
      try {
        await redis.eval(
          fencedSaveScript,
          allKeys.length,
          ...allKeys,
          String(fence.epoch),
          cardStateTtlSeconds,
          decisionTtlSeconds,
          cardKeys.length,
          keys.decisionsChannel(),
          announced.join('\n'),
          ...values,
        );
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('FENCED')) {
          throw new PartitionFencedError(fence.partition, fence.epoch, error);
        }
        throw new StateStoreError('writing card states and decisions failed', error);
      }
    },
  };
}

function parseJson(key: string, raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new CorruptStateError(key, error);
  }
}

/** A state as the detector writes it (version 2) or an older detector did (version 1); else corrupt. */
function parseCardState(key: string, raw: string): CardState {
  const state = decodeCardState(parseJson(key, raw));
  if (state === null) throw new CorruptStateError(key, new Error('not a card state of version 1 or 2'));
  return state;
}

function parseDecision(key: string, raw: string): PaymentDecision {
  const result = paymentDecisionValidator.validate(parseJson(key, raw));
  if (!result.ok) throw new CorruptStateError(key, new Error(JSON.stringify(result.errors)));
  return result.value;
}
