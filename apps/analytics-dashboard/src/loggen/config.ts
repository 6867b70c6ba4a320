import { env, telemetryEnv } from '@streamkit/config';
import { LOG_FORMATS } from './line-source.ts';

/** The log generator's environment (read once, in main.ts). */
export const loggenEnv = Object.freeze({
  ...telemetryEnv,
  file: env.string('LOGGEN_FILE', { default: '.data/logs/access.log' }),
  rate: env.number('LOGGEN_RATE', { default: 50, min: 0.1, max: 1_000_000 }),
  format: env.enum('LOGGEN_FORMAT', LOG_FORMATS, { default: 'mixed' }),
  hosts: env.list('LOGGEN_HOSTS', { default: ['web-1.shop.example', 'web-2.shop.example'] }),
  errorRate: env.number('LOGGEN_ERROR_RATE', { default: 0.02, min: 0, max: 1 }),
  malformedRate: env.number('LOGGEN_MALFORMED_RATE', { default: 0.001, min: 0, max: 1 }),
  rotateAtBytes: env.int('LOGGEN_ROTATE_BYTES', { default: 10 * 1024 * 1024, min: 0 }),
  rotation: env.enum('LOGGEN_ROTATION', ['rename', 'copytruncate'], { default: 'rename' }),
  keep: env.int('LOGGEN_KEEP', { default: 3, min: 1, max: 100 }),
  seed: env.int('LOGGEN_SEED', { default: 1, min: 0, max: 2 ** 31 - 1 }),
});
