import type { Writable } from 'node:stream';

/** Where the runner writes: its own messages, its children's lines (prefixed), and whole blocks. */
export interface DemoOutput {
  info(message: string): void;
  error(message: string): void;
  serviceLine(service: string, stream: 'stdout' | 'stderr', line: string): void;
  block(text: string): void;
}

// ANSI colours cycled over services; only used when the output is a terminal.
const palette = ['36', '35', '33', '32', '34', '91', '96', '95'];
const paint = (code: string, text: string) => `\u001b[${code}m${text}\u001b[0m`;

export function createDemoOutput(options: {
  stdout: Writable;
  stderr: Writable;
  color: boolean;
  serviceNames: readonly string[];
}): DemoOutput {
  const width = Math.max(4, ...options.serviceNames.map((n) => n.length));
  const prefix = (name: string, colorCode: string) => {
    const label = `${name.padEnd(width)} |`;
    return options.color ? paint(colorCode, label) : label;
  };
  const colorOf = (name: string) =>
    palette[Math.max(0, options.serviceNames.indexOf(name)) % palette.length] ?? '0';
  const runner = prefix('demo', '1');
  return {
    info: (message) => options.stdout.write(`${runner} ${message}\n`),
    error: (message) => {
      const text = options.color ? paint('31', message) : message;
      options.stderr.write(`${runner} ${text}\n`);
    },
    serviceLine: (service, stream, line) => {
      const target = stream === 'stdout' ? options.stdout : options.stderr;
      target.write(`${prefix(service, colorOf(service))} ${line}\n`);
    },
    block: (text) => options.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  };
}
