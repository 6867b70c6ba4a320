import { env, loadConfig } from '@streamkit/config';
import type { DemoService } from './types.ts';

/** `http://127.0.0.1:<port><path>`: where a demo or chaos service answers on this machine. */
export function localUrl(port: number, path = ''): string {
  return `http://127.0.0.1:${port}${path}`;
}

/**
 * Where a service listens on 127.0.0.1: an HTTP service (`serves: 'http'`) gets PORT and HOST, a
 * worker only its metrics port (METRICS_PORT).
 */
export function listenEnv(port: number, serves: 'http' | 'metrics'): Record<string, string> {
  return serves === 'http' ? { PORT: String(port), HOST: '127.0.0.1' } : { METRICS_PORT: String(port) };
}

export interface AppServiceOptions {
  readonly name: string;
  readonly command: readonly string[];
  /** The app's folder. */
  readonly cwd: string;
  /** The port whose `/health` says the service is ready (its HTTP or metrics port). */
  readonly port: number;
  readonly env: () => Record<string, string>;
  readonly url?: string;
  readonly readyTimeoutMs: number;
}

/** An app's long-running service, ready once `/health` answers on `port`. */
export function appService(options: AppServiceOptions): DemoService {
  return {
    name: options.name,
    command: options.command,
    cwd: options.cwd,
    env: options.env,
    ...(options.url === undefined ? {} : { url: options.url }),
    ready: { http: localUrl(options.port, '/health') },
    readyTimeoutMs: options.readyTimeoutMs,
  };
}

/**
 * The secret in `variable` when it is set, else the demo's development default: the demo, loadgen and
 * the README's curl examples agree on the default.
 */
export function secretOrDemoDefault(variable: string, demoDefault: string): string {
  return loadConfig({ secret: env.secret(variable, { optional: true }) }).secret ?? demoDefault;
}
