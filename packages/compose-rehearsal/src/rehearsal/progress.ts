/** Progress lines, each stamped with the seconds since the rehearsal began. */
export class Progress {
  private readonly began = Date.now();
  private readonly write: (line: string) => void;

  constructor(write: (line: string) => void) {
    this.write = write;
  }

  step(text: string): void {
    const seconds = ((Date.now() - this.began) / 1000).toFixed(1).padStart(6);
    this.write(`[${seconds}s] ${text}`);
  }
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
