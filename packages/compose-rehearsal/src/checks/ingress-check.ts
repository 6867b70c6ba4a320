/** One event entered at a profile's ingress, followed to its output — from outside, as a user would. */
export interface IngressCheck {
  /** The compose profile whose pipeline it checks. */
  readonly profile: string;
  /** e.g. "a payment POSTed to the gateway → its decision". */
  readonly describe: string;
  /** Services the event passes through: each must be rehearsed and healthy for the check to run. */
  readonly path: readonly string[];
  /** Of those, the services whose spans must reach the collector when observability runs. */
  readonly traced: readonly string[];
  /** Enters the event and waits for the output; resolves with what was seen, rejects on a failure. */
  run(context: CheckContext): Promise<string>;
}

export interface CheckContext {
  /** host:port on this machine where a service's published container port answers. */
  published(service: string, port: number): string;
  /** The service's environment as the compose file gives it (after interpolation). */
  environment(service: string): Readonly<Record<string, string>>;
  /** The compose `mosquitto` service's stand-in (its own mosquitto, or this machine's). */
  readonly mqttUrl: string;
  /** Unique to this rehearsal, usable in ids. */
  readonly id: string;
  readonly timeoutMs: number;
}

/** Polls `fn` until it returns a value other than undefined; rejects with `what` and the last error after `timeoutMs`. */
export async function until<T>(
  what: string,
  timeoutMs: number,
  fn: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s (last: ${last})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** fetch that names the request in its error and returns the parsed JSON body with the status. */
export async function request(
  method: string,
  url: string,
  options: { headers?: Record<string, string>; body?: unknown; raw?: string } = {},
): Promise<{ status: number; body: unknown }> {
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(url, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(body === undefined ? {} : { body }),
    signal: AbortSignal.timeout(35_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: the text itself
  }
  return { status: response.status, body: parsed };
}

export function expectStatus(
  what: string,
  got: { status: number; body: unknown },
  ...expected: number[]
): void {
  if (!expected.includes(got.status))
    throw new Error(`${what}: HTTP ${got.status} ${JSON.stringify(got.body).slice(0, 300)}`);
}
