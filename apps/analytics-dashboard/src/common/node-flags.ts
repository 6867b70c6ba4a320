/**
 * V8 flags each service runs with, under `pnpm demo dashboard`, the shipper benchmark and (written
 * out, keep in step) infra/compose/dashboard.yaml. Without them V8 sizes its heap for the machine
 * and lets it grow during a backlog: the shipper peaked at ≈ 430 MB RSS on a 200 000-line file,
 * ≈ 250 MB with 16 MB semi-spaces and old space capped at 128 MB (4 MB semi-spaces: ≈ 210 MB, but
 * GC rose to a quarter of its CPU profile). The caps turn a leak into a crash (restarted, resumed
 * from the checkpoint) instead of swapping.
 */
export const SERVICE_NODE_FLAGS = Object.freeze({
  shipper: ['--max-old-space-size=128', '--max-semi-space-size=16'],
  sink: ['--max-old-space-size=192'],
  dashboard: ['--max-old-space-size=192'],
  loggen: ['--max-old-space-size=128'],
} as const);
