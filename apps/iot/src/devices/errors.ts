/** Simulator settings rejected at construction; the message lists every problem. */
export class SimulatorSettingsError extends Error {
  readonly retriable = false;
  readonly problems: readonly string[];
  constructor(component: string, problems: readonly string[]) {
    super(`invalid ${component} settings: ${problems.join('; ')}`);
    this.name = 'SimulatorSettingsError';
    this.problems = problems;
  }
}
