import { SettingsError } from '@streamkit/runtime';

/** Simulator settings rejected at construction; the message lists every problem. */
export class SimulatorSettingsError extends SettingsError {}
