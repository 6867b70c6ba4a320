/** A message as sent on a stream; `id` (a decimal integer, increasing) is what a client resumes after. */
export interface StreamMessage {
  readonly id?: string;
  readonly event: string;
  readonly data: unknown;
}

/** A published message: it always has an id. */
export interface PublishedMessage extends StreamMessage {
  readonly id: string;
  /** The id as a number, for ordering. */
  readonly seq: bigint;
}

/** The newest `capacity` published messages, oldest first, in a ring (no copying per publish). */
export class ReplayBuffer {
  readonly #ring: (PublishedMessage | undefined)[];
  #start = 0;
  #size = 0;

  constructor(capacity: number) {
    this.#ring = new Array(capacity);
  }

  /** Adds a message; returns the one it pushed out, if the buffer was full. */
  push(message: PublishedMessage): PublishedMessage | undefined {
    const capacity = this.#ring.length;
    if (capacity === 0) return message;
    if (this.#size < capacity) {
      this.#ring[(this.#start + this.#size) % capacity] = message;
      this.#size++;
      return undefined;
    }
    const evicted = this.#ring[this.#start];
    this.#ring[this.#start] = message;
    this.#start = (this.#start + 1) % capacity;
    return evicted;
  }

  /** The messages with an id above `seq`, oldest first. */
  *after(seq: bigint): Generator<PublishedMessage> {
    for (let i = 0; i < this.#size; i++) {
      const message = this.#ring[(this.#start + i) % this.#ring.length];
      if (message !== undefined && message.seq > seq) yield message;
    }
  }
}
