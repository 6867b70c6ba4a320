import { defineNodeFlags } from '@streamkit/runtime';

/** V8 heap bounds per service (README of @streamkit/runtime, "V8 heap bounds"); compose carries the same. */
export const nodeFlags = defineNodeFlags({
  detector: ['--max-semi-space-size=16', '--max-old-space-size=160'],
  alerts: ['--max-semi-space-size=16', '--max-old-space-size=160'],
  gateway: ['--max-semi-space-size=16', '--max-old-space-size=160'],
  generator: ['--max-semi-space-size=16', '--max-old-space-size=160'],
});
