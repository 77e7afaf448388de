/**
 * A seeded pseudo-random generator (SplitMix32 seeding a small-state xorshift), so that the solver, the
 * generator and the property tests give the same answer for the same seed on every machine.
 */
export type Random = {
  /** A float in [0, 1). */
  next(): number
  /** An integer in [0, n). */
  below(n: number): number
  /** Shuffles in place and returns the same array. */
  shuffle<T>(items: T[]): T[]
}

export function seededRandom(seed: number): Random {
  let state = (seed | 0) ^ 0x9e3779b9
  const splitMix = () => {
    state = (state + 0x9e3779b9) | 0
    let z = state
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }
  let a = splitMix()
  let b = splitMix()
  let c = splitMix()
  let d = splitMix() | 1
  // sfc32: fast, passes PractRand for the lengths we need, and needs only 32-bit integer arithmetic.
  const next32 = () => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return t >>> 0
  }
  const random: Random = {
    next: () => next32() / 4294967296,
    below: (n) => Math.floor((next32() / 4294967296) * n),
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = random.below(i + 1)
        const swap = items[i]
        items[i] = items[j]
        items[j] = swap
      }
      return items
    },
  }
  return random
}
