/** One reading's place in its device's queue. */
export interface Turn {
  /** Resolves once every earlier reading of the device has released its turn. */
  readonly ready: Promise<void>;
  /** Lets the device's next reading go; idempotent. The next goes only after every earlier one too. */
  release(): void;
}

export interface PerDeviceOrder {
  /** Called in arrival order (synchronously, before any await); returns the reading's turn. */
  take(deviceId: string): Turn;
  /** Devices with a reading waiting or in progress (bounded by the readings in flight). */
  readonly size: number;
}

/**
 * Keeps each device's readings in arrival order on their way to Kafka while different devices (and
 * each reading's device lookup) proceed concurrently. Without it two readings of one device could
 * be produced in reverse order — e.g. when their device lookups fall into different registry
 * queries — and the processor drops a reading that arrives after its window closed as late.
 */
export function createPerDeviceOrder(): PerDeviceOrder {
  const tails = new Map<string, Promise<void>>();
  return {
    take(deviceId) {
      const previous = tails.get(deviceId) ?? Promise.resolve();
      const { promise, resolve } = Promise.withResolvers<void>();
      tails.set(deviceId, promise);
      let released = false;
      return {
        ready: previous,
        release() {
          if (released) return;
          released = true;
          // a reading that ends early (rejected) still lets the next go only after the earlier ones
          void previous.then(() => {
            resolve();
            if (tails.get(deviceId) === promise) tails.delete(deviceId);
          });
        },
      };
    },
    get size() {
      return tails.size;
    },
  };
}
