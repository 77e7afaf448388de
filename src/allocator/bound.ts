import type { Model } from './model.ts'

/**
 * A proven upper bound on the objective: no timetable that keeps the six rules can score more.
 *
 * It is the Lagrangian dual of the group capacities. Give each group g a price λ[g] ≥ 0 and charge it to
 * everyone who joins. For any valid timetable, every group holds at most its capacity, so the prices paid
 * are at most Σ λ[g]·cap[g], and
 *
 *   objective ≤ Σ_g λ[g]·cap[g] + Σ_p max over p's own timetables of (value(p) − Σ_{g ∈ p's groups} λ[g])
 *
 * where "p's own timetables" keep the rules that concern p alone (rules 1 to 3 and a group's cohorts, the
 * model's candidates already) and drop the rules between people (capacity, minimum sizes, separations):
 * dropping rules only widens the maximum, so the bound holds for every λ ≥ 0. Each person's maximum is
 * found by branch and bound over their activities; when a person's search runs out of nodes, the bound of
 * every branch left unexplored stands in for it, so the sum is still an upper bound, never a guess.
 * Two facts that hold in every valid timetable sharpen it for free: a group holds at most as many people
 * as could ever join it, and a group with fewer possible members than its minimum size never runs.
 *
 * The solver's prices are such λ; a few subgradient steps (`tightenBound`) lower the bound further. The
 * bound is exact when no group-level rule binds (every price 0): then everyone's own best is the optimum.
 * Floating-point sums may differ from the checker's in the last digits (about 1e-12 of the total).
 */
export type DualEvaluation = {
  /** The upper bound at these prices. */
  bound: number
  /** How many people take each group in their own best timetable at these prices (the subgradient). */
  demand: Int32Array
  /** Whether every person's maximum was found exactly (otherwise a branch bound stood in for it). */
  exact: boolean
}

/** A person's branch and bound stops after this many nodes and counts the bounds of the branches left. */
const NODE_LIMIT = 20_000

/** The number of people who could ever be in g at once: its capacity, or its possible members if fewer. */
function effectiveCapacity(m: Model, g: number): number {
  return Math.min(m.groupCapacity[g], m.groupCands[g].length)
}

/** Whether g can never run: fewer people could ever join it than its minimum size. */
function neverRuns(m: Model, g: number): boolean {
  return m.groupMinSize[g] > 1 && m.groupCands[g].length < m.groupMinSize[g]
}

/** The bound at the prices `prices` (one per group, each ≥ 0; a negative price is read as 0). */
export function evaluateBound(m: Model, prices: Float64Array, nodeLimit = NODE_LIMIT): DualEvaluation {
  const weight = m.fairnessWeight
  const target = m.target
  const fairness = (sessions: number) => weight * (sessions < target ? sessions : target)
  const priceOf = (g: number) => (prices[g] > 0 ? prices[g] : 0)
  let total = 0
  for (let g = 0; g < m.groupCount; g++) total += priceOf(g) * effectiveCapacity(m, g)

  let maxCandidates = 0
  for (let p = 0; p < m.personCount; p++) maxCandidates = Math.max(maxCandidates, m.candStart[p + 1] - m.candStart[p])
  // A person's useful options, grouped by activity: segment i is options[segmentStart[i] .. segmentStart[i + 1]).
  const options = new Int32Array(maxCandidates)
  const optionValue = new Float64Array(maxCandidates)
  const segmentStart = new Int32Array(maxCandidates + 1)
  const order = new Int32Array(maxCandidates)
  const segmentBest = new Float64Array(maxCandidates)
  const segmentSessions = new Int32Array(maxCandidates)
  const suffixValue = new Float64Array(maxCandidates + 1)
  const suffixSessions = new Int32Array(maxCandidates + 1)
  const occupied = new Uint8Array(m.slotCount)
  const stack: number[] = []
  const choice: number[] = []
  const demand = new Int32Array(m.groupCount)
  let exact = true

  let segments = 0
  let maxSessions = 0
  let best = 0
  let unexplored = -Infinity
  let nodes = 0
  const ceiling = (i: number, value: number, sessions: number) => {
    const reach = Math.min(sessions + suffixSessions[i], maxSessions)
    return value + suffixValue[i] + Math.max(fairness(sessions), fairness(reach))
  }
  // A person's taken slots are a bit mask when the week has at most 32 slots, else marks in `occupied`.
  const masks = m.slotMasks
  const search = (i: number, value: number, sessions: number, used: number): void => {
    if (i === segments) {
      const total = value + fairness(sessions)
      if (total > best) {
        best = total
        choice.length = 0
        for (const k of stack) choice.push(k)
      }
      return
    }
    const bound = ceiling(i, value, sessions)
    if (bound <= best) return
    if (++nodes > nodeLimit) {
      if (bound > unexplored) unexplored = bound
      return
    }
    const segment = order[i]
    for (let j = segmentStart[segment], end = segmentStart[segment + 1]; j < end; j++) {
      const k = options[j]
      const g = m.candGroup[k]
      const more = m.groupSessions[g]
      if (sessions + more > maxSessions) continue
      if (masks) {
        const mask = m.groupMask[g]
        if ((used & mask) !== 0) continue
        stack.push(k)
        search(i + 1, value + optionValue[j], sessions + more, used | mask)
        stack.pop()
        continue
      }
      const slots = m.groupSlots[g]
      let clash = false
      for (let s = 0; s < slots.length && !clash; s++) clash = occupied[slots[s]] === 1
      if (clash) continue
      for (let s = 0; s < slots.length; s++) occupied[slots[s]] = 1
      stack.push(k)
      search(i + 1, value + optionValue[j], sessions + more, used)
      stack.pop()
      for (let s = 0; s < slots.length; s++) occupied[slots[s]] = 0
    }
    search(i + 1, value, sessions, used)
  }

  const gainCeiling = weight > 0 ? weight : 0
  for (let p = 0; p < m.personCount; p++) {
    segments = 0
    let count = 0
    let previousActivity = -1
    for (let k = m.candStart[p], end = m.candStart[p + 1]; k < end; k++) {
      const g = m.candGroup[k]
      if (neverRuns(m, g)) continue
      const value = m.candValue[k] - priceOf(g)
      // Leaving a group out keeps every rule of p's own, so a group worth nothing even with its sessions'
      // fairness never raises p's maximum.
      if (value + gainCeiling * m.groupSessions[g] <= 0) continue
      const activity = m.groupActivity[g]
      if (activity !== previousActivity) {
        segmentStart[segments] = count
        segmentBest[segments] = 0
        segmentSessions[segments] = 0
        segments++
        previousActivity = activity
      }
      // Kept in descending value within the activity, so good timetables are found first.
      let j = count++
      while (j > segmentStart[segments - 1] && optionValue[j - 1] < value) {
        options[j] = options[j - 1]
        optionValue[j] = optionValue[j - 1]
        j--
      }
      options[j] = k
      optionValue[j] = value
      if (value > segmentBest[segments - 1]) segmentBest[segments - 1] = value
      segmentSessions[segments - 1] = Math.max(segmentSessions[segments - 1], m.groupSessions[g])
    }
    segmentStart[segments] = count
    // Activities worth most first (an insertion sort: a person has a few dozen at most).
    for (let i = 0; i < segments; i++) {
      let j = i
      while (j > 0 && segmentBest[order[j - 1]] < segmentBest[i]) {
        order[j] = order[j - 1]
        j--
      }
      order[j] = i
    }
    suffixValue[segments] = 0
    suffixSessions[segments] = 0
    for (let i = segments - 1; i >= 0; i--) {
      suffixValue[i] = suffixValue[i + 1] + segmentBest[order[i]]
      suffixSessions[i] = suffixSessions[i + 1] + segmentSessions[order[i]]
    }
    maxSessions = m.personMaxSessions[p]
    best = 0
    unexplored = -Infinity
    nodes = 0
    choice.length = 0
    search(0, 0, 0, 0)
    if (unexplored > best) {
      exact = false
      total += unexplored
    } else total += best
    for (const k of choice) demand[m.candGroup[k]]++
  }
  return { bound: total, demand, exact }
}

/**
 * Polyak's step aims at `floor`, but the best bound lies well above any timetable found (the dual gap), so
 * the full step overshoots. Half of it, halved again after two steps that do not lower the bound, lowered
 * it most in ten steps from the solver's prices on 300 and 1,500 people (of 1, 0.5 and 0.2, after 1 to 3).
 */
const FIRST_STEP_SCALE = 0.5
const HALVE_AFTER = 2

export type TightenOptions = {
  /** The best objective known (a timetable's): the subgradient steps aim the bound at it. */
  floor: number
  /** At most this many subgradient steps. */
  rounds: number
  /** Stops the steps early (the bound so far is kept). */
  outOfTime?: () => boolean
  nodeLimit?: number
}

/**
 * The lowest bound found from `prices` and a few subgradient steps after it (Polyak's step towards
 * `floor`, halved after steps that do not lower the bound). Every bound it evaluates is proven, so the
 * lowest is too; the steps only choose better prices.
 */
export function tightenBound(m: Model, prices: Float64Array, options: TightenOptions): DualEvaluation {
  const nodeLimit = options.nodeLimit ?? NODE_LIMIT
  let current = Float64Array.from(prices, (price) => (price > 0 ? price : 0))
  let evaluation = evaluateBound(m, current, nodeLimit)
  let lowest = evaluation
  let scale = FIRST_STEP_SCALE
  let idle = 0
  const step = new Float64Array(m.groupCount)
  for (let round = 0; round < options.rounds && !(options.outOfTime?.() ?? false); round++) {
    const gap = evaluation.bound - options.floor
    if (gap <= 0) break
    let norm = 0
    for (let g = 0; g < m.groupCount; g++) {
      // The bound falls where a group is asked for beyond its places (raise its price) or below them (lower
      // it), except that a price already at 0 cannot be lowered.
      const excess = evaluation.demand[g] - effectiveCapacity(m, g)
      step[g] = current[g] <= 0 && excess < 0 ? 0 : excess
      norm += step[g] * step[g]
    }
    if (norm === 0) break
    const size = (scale * gap) / norm
    const next = Float64Array.from(current, (price, g) => Math.max(0, price + size * step[g]))
    const nextEvaluation = evaluateBound(m, next, nodeLimit)
    if (nextEvaluation.bound < lowest.bound) {
      lowest = nextEvaluation
      idle = 0
    } else if (++idle >= HALVE_AFTER) {
      scale /= 2
      idle = 0
    }
    current = next
    evaluation = nextEvaluation
  }
  return lowest
}
