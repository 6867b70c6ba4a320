/** The messages between the IoT scenarios and their forked publishers (publisher-worker.ts). */
export interface PublisherWorkerSettings {
  readonly mqttUrl: string;
  readonly mqttTopicPrefix: string;
  readonly clientId: string;
  readonly idPrefix: string;
  readonly devices: number;
  readonly maxUnacked: number;
}

/** parent → worker */
export type PublisherWorkerMessage =
  | { readonly kind: 'publish'; readonly ops: readonly number[]; readonly ts: readonly number[] }
  | { readonly kind: 'close' };

/** worker → parent */
export type PublisherWorkerReply =
  | { readonly kind: 'ready' }
  | {
      readonly kind: 'closed';
      readonly published: number;
      readonly failed: number;
      readonly firstFailure?: string;
      readonly cpuMs: number;
    };
