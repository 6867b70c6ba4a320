/**
 * Stateless, seeded randomness: every value is a hash of (seed, device, tick, channel), so a
 * reading can be computed in any order, by any process, and is the same every time.
 */

/** A 32-bit mix of the inputs (murmur3's finaliser over an FNV-style combination). */
export function hash32(...parts: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    // fold doubles/large integers into 32-bit words first
    const lo = part >>> 0;
    const hi = Math.floor(part / 4_294_967_296) >>> 0;
    h = Math.imul(h ^ lo, 0x01000193);
    h = Math.imul(h ^ hi, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform in [0, 1). */
export function uniform(...parts: readonly number[]): number {
  return hash32(...parts) / 4_294_967_296;
}

/** Standard normal (Box–Muller over two independent uniforms). */
export function gaussian(...parts: readonly number[]): number {
  const u1 = Math.max(uniform(...parts, 1), Number.EPSILON);
  const u2 = uniform(...parts, 2);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Uniform in [min, max). */
export function between(min: number, max: number, ...parts: readonly number[]): number {
  return min + (max - min) * uniform(...parts);
}
