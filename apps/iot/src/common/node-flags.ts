import { defineNodeFlags } from '@streamkit/runtime';

/** V8 heap bounds per service (README of @streamkit/runtime, "V8 heap bounds"); compose carries the same. */
export const nodeFlags = defineNodeFlags({
  hub: ['--max-semi-space-size=16', '--max-old-space-size=192'],
  // room for 100,000 devices' open windows
  processor: ['--max-semi-space-size=16', '--max-old-space-size=320'],
  analytics: ['--max-semi-space-size=16', '--max-old-space-size=192'],
  devices: ['--max-semi-space-size=16', '--max-old-space-size=192'],
});
