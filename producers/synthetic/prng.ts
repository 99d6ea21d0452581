/**
 * Seeded uniform random numbers for the synthetic history. sfc32 (Doty-Humphrey's Small
 * Fast Counting generator, from PractRand) passes PractRand far beyond the few million
 * draws a history needs, uses only 32-bit integer ops that V8 keeps unboxed, and — unlike
 * Math.random — replays exactly for a seed.
 *
 * Independent streams are derived by hashing (seed, stream, index): one stream per customer
 * and one per concern, so that changing, say, the duplicate rate never changes who buys
 * what, and customer 7's history does not depend on how many customers there are.
 */

/** Uniform in [0, 1), 32 bits of resolution. */
export type Rng = () => number;

/** Stream tags; one per concern that draws random numbers. */
export const RngStream = {
  acquisition: 1,
  customer: 2,
  orders: 3,
  noise: 4,
} as const;

/** murmur3's 32-bit finaliser: a bijection with full avalanche, good for seeding. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A generator for (seed, stream, index). `seed` is any safe integer (both 32-bit halves are
 * mixed in, so 1 and 2^32 + 1 differ); `stream` and `index` are non-negative integers.
 */
export function createRng(seed: number, stream = 0, index = 0): Rng {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  // Distinct odd constants keep (seed, stream, index) triples from colliding after mixing.
  let h = fmix32(lo ^ 0x9e3779b9);
  h = fmix32(h ^ Math.imul(hi + 1, 0x27d4eb2f));
  h = fmix32(h ^ Math.imul(stream + 1, 0x85ebca6b));
  h = fmix32(h ^ Math.imul(index + 1, 0xc2b2ae35));
  let a = h;
  let b = fmix32(h + 0x6a09e667);
  let c = fmix32(h + 0xbb67ae85);
  let d = 1;
  const next: Rng = () => {
    const t0 = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const t = (t0 + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // The reference implementation discards the first outputs so nearby seeds decorrelate.
  for (let i = 0; i < 12; i++) next();
  return next;
}
