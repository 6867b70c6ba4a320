import { defineNodeFlags } from '@streamkit/runtime';

/** V8 heap bounds per service (README of @streamkit/runtime, "V8 heap bounds"); compose carries the same. */
export const nodeFlags = defineNodeFlags({
  web: ['--max-semi-space-size=16', '--max-old-space-size=192'],
  features: ['--max-semi-space-size=16', '--max-old-space-size=192'],
  recommender: ['--max-semi-space-size=16', '--max-old-space-size=192'],
  shoppers: ['--max-semi-space-size=16', '--max-old-space-size=192'],
});
