/** One Server-Sent Events message as a client sees it (`comment` for heartbeat lines). */
export interface EventStreamMessage {
  readonly id?: string;
  readonly event?: string;
  readonly data?: string;
  readonly retry?: string;
  readonly comment?: string;
}

export interface EventStreamClient {
  /** Settles with the response's head (status, headers) as soon as it arrives. */
  readonly response: Promise<Response>;
  /** Every message so far, heartbeats included, in order. */
  readonly messages: readonly EventStreamMessage[];
  /** The messages with an `event:` field (of that name, when given). */
  events(name?: string): EventStreamMessage[];
  /** True once the server ended the stream. */
  readonly ended: boolean;
  close(): Promise<void>;
}

/**
 * A minimal EventSource over fetch for tests (Node has no EventSource): reads and parses the
 * stream of `url` until the server ends it or `close()`. `lastEventId` resumes as a browser would;
 * `headers` carry a credential (x-api-key, or a session cookie).
 */
export function openEventStream(
  url: string,
  options: { lastEventId?: string; headers?: Readonly<Record<string, string>> } = {},
): EventStreamClient {
  const controller = new AbortController();
  const messages: EventStreamMessage[] = [];
  let ended = false;
  const response = fetch(url, {
    headers: {
      ...options.headers,
      ...(options.lastEventId === undefined ? {} : { 'last-event-id': options.lastEventId }),
    },
    signal: controller.signal,
  });
  const reading = response.then(async (r) => {
    if (r.body === null) return;
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of r.body as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        messages.push(parseBlock(buffer.slice(0, end)));
        buffer = buffer.slice(end + 2);
      }
    }
    ended = true;
  });
  reading.catch(() => undefined);
  return {
    response,
    messages,
    events: (name) =>
      messages.filter((m) => m.event !== undefined && (name === undefined || m.event === name)),
    get ended() {
      return ended;
    },
    async close() {
      controller.abort();
      await reading.catch(() => undefined);
    },
  };
}

function parseBlock(block: string): EventStreamMessage {
  const message: Record<string, string> = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      message.comment = line.slice(1).trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon > 0) message[line.slice(0, colon)] = line.slice(colon + 1).replace(/^ /, '');
  }
  return message;
}
