import { type ConfigSpec, ConfigError, type EnvSource, loadConfig } from '../src/index.ts';

/** The problems loadConfig reports for `source`, or [] when it loads. */
export function problemsOf(spec: ConfigSpec, source: EnvSource): readonly string[] {
  try {
    loadConfig(spec, source);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => `${p.variable}: ${p.message}`);
  }
}
