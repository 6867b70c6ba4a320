/** The logging every streamkit package takes; a service passes its own (e.g. a pino/fastify logger wrapped to this). */
export interface Logger {
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

export type LogLevel = 'error' | 'warn' | 'info' | 'debug' | 'silent';

const rank: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 };

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && value in rank;
}

/** JSON lines on stderr at `level` and above; `base` fields (e.g. the service name) go on every line. */
export function createConsoleLogger(
  level: LogLevel = 'warn',
  write: (line: string) => void = defaultWrite,
  base: Readonly<Record<string, unknown>> = {},
): Logger {
  const at =
    (l: Exclude<LogLevel, 'silent'>) =>
    (message: string, fields?: Readonly<Record<string, unknown>>): void => {
      if (rank[l] > rank[level]) return;
      write(JSON.stringify({ level: l, time: new Date().toISOString(), ...base, message, ...fields }));
    };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

export const silentLogger: Logger = Object.freeze({
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
});

function defaultWrite(line: string): void {
  process.stderr.write(`${line}\n`);
}
