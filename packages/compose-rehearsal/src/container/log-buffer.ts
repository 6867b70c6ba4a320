import { appendFileSync } from 'node:fs';

/** A container's output: appended to a file (`docker logs`), the last lines kept for reports. */
export class LogBuffer {
  private readonly path: string;
  private lines: string[] = [];
  private partial = '';

  constructor(path: string) {
    this.path = path;
  }

  write(chunk: Buffer): void {
    appendFileSync(this.path, chunk);
    const text = this.partial + chunk.toString();
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts);
    if (this.lines.length > 200) this.lines = this.lines.slice(-200);
  }

  /** The last `n` lines (the unfinished one included). */
  tail(n: number): string[] {
    return [...this.lines, ...(this.partial === '' ? [] : [this.partial])].slice(-n);
  }

  get file(): string {
    return this.path;
  }
}
