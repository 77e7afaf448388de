/** A small seeded generator (mulberry32): the same seed builds the same demo estate on every machine. */
export type Random = {
  next: () => number
  integer: (min: number, max: number) => number
  pick: <T>(items: readonly T[]) => T
  weighted: <T>(items: readonly (readonly [T, number])[]) => T
  chance: (probability: number) => boolean
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    integer: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted: (items) => {
      const total = items.reduce((sum, [, weight]) => sum + weight, 0)
      let target = next() * total
      for (const [item, weight] of items) {
        target -= weight
        if (target < 0) return item
      }
      return items[items.length - 1][0]
    },
    chance: (probability) => next() < probability,
  }
}
