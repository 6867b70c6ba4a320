/**
 * Every Redis key the pipeline uses, in one place: the gateway and the detector share some of them.
 * The prefix (REDIS_KEY_PREFIX, default "fraud:") isolates deployments and test files.
 */
export interface FraudRedisKeys {
  /** The gateway's record of an accepted payment (idempotency of POST /payments). */
  payment(paymentId: string): string;
  /** The decision for a payment, written by the detector; read by the gateway's GET. */
  decision(paymentId: string): string;
  /** A card's keyed state (velocity windows, last location, known merchants, amount statistics). */
  card(cardId: string): string;
  /** The detector's fencing epoch of one payments partition (see detector README, "Fencing"). */
  partitionEpoch(partition: number): string;
  /** The pub/sub channel of new decisions (detector → gateways' long-polls; decision-channel.ts). */
  decisionsChannel(): string;
}

export function fraudRedisKeys(prefix = 'fraud:'): FraudRedisKeys {
  return {
    payment: (id) => `${prefix}payment:${id}`,
    decision: (id) => `${prefix}decision:${id}`,
    card: (id) => `${prefix}card:${id}`,
    partitionEpoch: (partition) => `${prefix}detector-epoch:${partition}`,
    decisionsChannel: () => `${prefix}decisions`,
  };
}
