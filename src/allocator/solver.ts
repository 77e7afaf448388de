import { tightenBound } from './bound.ts'
import { buildModel } from './model.ts'
import type { Model } from './model.ts'
import type { Problem, Timetable } from './problem.ts'
import { seededRandom } from './random.ts'
import type { Random } from './random.ts'
import { AllocationState, EPSILON } from './state.ts'

export type SolveOptions = {
  /**
   * Stop improving after this many milliseconds and return the best timetable found (default 1000); the
   * last 4% of it goes to proving the upper bound.
   */
  timeMs?: number
  /** Seed for the search's random choices (default 1). */
  seed?: number
  /**
   * Large-neighbourhood rounds without improvement after which the search stops early. The answer is
   * the same for the same input and seed whenever this, rather than `timeMs`, ends the search.
   */
  patience?: number
  /** The clock the budget is read from, in milliseconds (default `Date.now`; the bench may pass CPU time). */
  clock?: () => number
  /** At most this many large-neighbourhood rounds (default: no limit); for measuring work, not time. */
  maxRounds?: number
  /** How far below the best so far a large-neighbourhood round may leave the timetable (default 0.2%). */
  slack?: number
  /** Rounds of price adjustment before the first timetable is built (default 30, stopped at a third of `timeMs`; 0 for a plain greedy start). */
  pricingRounds?: number
}

export type SolveStats = {
  objective: number
  constructed: number
  afterLocalSearch: number
  rounds: number
  improvingRounds: number
  stoppedBy: 'patience' | 'time'
  elapsedMs: number
  /**
   * A proven upper bound on the objective of any timetable for this problem (see bound.ts): `objective`
   * is within (1 - objective / upperBound) of the best timetable possible.
   */
  upperBound: number
  /** Milliseconds spent proving `upperBound`, after the search (part of `elapsedMs`). */
  boundMs: number
}

export type SolveResult = { timetable: Timetable; stats: SolveStats }

/**
 * Builds a timetable that keeps all six rules and scores as high as it can in the time given.
 *
 * The method: Lagrangian prices on group places (each group that both sides of a cohort separation ask
 * for given to one side half-way), a start in which each person takes their best timetable at those prices
 * (or a start from the current groups, whichever scores higher), minimum sizes repaired by filling or
 * closing groups, then local search by each person's exact best response, two-person exchanges into full
 * groups and ejection chains (p takes q's place, q takes r's), then large-neighbourhood search: clear a
 * cluster of people who share groups, re-time them at the prices and then at true values, reshape an
 * activity's or a minimum-size group's membership or turn a group over to the other side of a cohort
 * separation, and offer the freed places on, or try one person's exchanges and chains; keep the result
 * unless it is worse. The best timetable found is then polished by single moves and exchanges over
 * everyone (the rounds only ever re-time a few people).
 * Deterministic for a given problem and seed unless `timeMs` runs out. Last, the prices prove an upper
 * bound no timetable can beat (`stats.upperBound`, bound.ts), in the last 4% of the budget.
 *
 * @example
 * const { timetable, stats } = solve(problem, { timeMs: 1000, seed: 1 })
 */
export function solve(problem: Problem, options: SolveOptions = {}): SolveResult {
  const clock = options.clock ?? Date.now
  const startedAt = clock()
  const timeMs = options.timeMs ?? 1000
  const deadline = startedAt + timeMs
  // The end of the budget is kept for proving the bound.
  const searchDeadline = deadline - timeMs * BOUND_SHARE
  // Before it, a share is kept for polishing the best timetable the rounds found.
  const roundsDeadline = searchDeadline - timeMs * POLISH_SHARE
  const model = buildModel(problem)
  const random = seededRandom(options.seed ?? 1)
  const state = new AllocationState(model)
  state.nodeLimit = 2000
  const outOfTime = () => clock() >= searchDeadline

  // Two starts, and the better kept: one from the current groups (so that a timetable re-run after small
  // changes stays close to last week's), one from prices (so that a first run is not bound to history).
  startFromCurrent(state, random)
  const fromCurrent = state.total
  state.undo(0)
  // Prices sharpen the start but the search needs most of the budget: pricing stops at a third of it.
  const pricingDeadline = startedAt + timeMs / 3
  const {
    prices,
    rounds: pricingRoundsDone,
    sides,
  } = priceGroups(state, options.pricingRounds ?? 30, () => clock() >= pricingDeadline)
  const priced = Float64Array.from(model.candValue, (value, k) => value - prices[model.candGroup[k]])
  state.reservedCohort.set(sides)
  constructAtPrices(state, random, prices)
  repairMinimumSizes(state, random)
  state.reservedCohort.fill(-1)
  if (fromCurrent > state.total + EPSILON) {
    state.undo(0)
    startFromCurrent(state, seededRandom(options.seed ?? 1))
  }
  state.journal.length = 0
  const constructed = state.total

  polish(state, random, outOfTime)
  const afterLocalSearch = state.total

  const patience = options.patience ?? Math.max(3000, 3 * model.personCount)
  let rounds = 0
  let improvingRounds = 0
  let sinceImprovement = 0
  let stoppedBy: SolveStats['stoppedBy'] = 'patience'
  let best = state.total
  let bestHeld = snapshot(state)
  let bestKept = state.kept
  // Record-to-record travel: a round may leave the timetable a little below the best so far, which lets
  // the search step off a local optimum; the best is kept aside and returned.
  const slack = options.slack ?? 0.002 * Math.max(1, state.total) * Math.min(1, 60 / Math.max(1, model.personCount))
  const minimumGroups = Array.from({ length: model.groupCount }, (_, g) => g).filter((g) => model.groupMinSize[g] > 1)
  const maxRounds = options.maxRounds ?? Infinity
  const contestedGroups = Array.from({ length: model.groupCount }, (_, g) => g).filter((g) => {
    const cohorts = model.groupCandCohorts[g]
    return cohorts.some((a) => cohorts.some((b) => model.cohortSeparated[a * model.cohortCount + b]))
  })
  while (sinceImprovement < patience && rounds < maxRounds) {
    if ((rounds & 7) === 0 && clock() >= roundsDeadline) {
      stoppedBy = 'time'
      break
    }
    rounds++
    largeNeighbourhoodRound(state, random, best - slack, minimumGroups, priced, contestedGroups)
    if (state.total > best + EPSILON) {
      best = state.total
      bestKept = state.kept
      bestHeld = snapshot(state)
      improvingRounds++
      sinceImprovement = 0
    } else {
      // Of equal timetables, the one that keeps more people in their current groups is kept aside.
      if (state.total > best - EPSILON && state.kept > bestKept) {
        bestKept = state.kept
        bestHeld = snapshot(state)
      }
      sinceImprovement++
    }
    if (rounds % 2000 === 0) openClosedGroups(state, random, outOfTime)
  }
  state.journal.length = 0

  // The rounds end wherever the clock or patience stops them, and the best of them is rarely a local
  // optimum: each round re-times a few people, never everyone. A last pass of single moves and exchanges
  // over everyone finds what the rounds left. On 1,500 people that added ~0.4% of the LP bound in ~50 ms,
  // and halved the churn of next week's run, whose own first pass had been finding these same moves.
  restore(state, bestHeld)
  const polished = polish(state, random, outOfTime)
  if (polished > EPSILON) {
    best = state.total
    bestHeld = snapshot(state)
  }
  state.journal.length = 0

  const boundStartedAt = clock()
  // A step is taken only if one as long as the last still ends within the budget (steps grow cheaper as the
  // prices improve, so the first, the longest, would stop them too soon).
  let lastStepAt = boundStartedAt
  // Prices cut short by the clock (a busy machine) prove little: a full group's price is then raised to what
  // the member who values it least would give up. On 1,500 people that proved bounds 10-12% above the LP
  // bound after no rounds of pricing (50% from none) and 5-8% after three (7-11%); from ten, prices alone did
  // better.
  const start = pricingRoundsDone >= FEW_PRICING_ROUNDS ? prices : pricesOfTimetable(model, bestHeld, prices)
  const { bound: upperBound } = tightenBound(model, start, {
    floor: best,
    rounds: BOUND_STEPS,
    outOfTime: () => {
      const now = clock()
      const lastStep = now - lastStepAt
      lastStepAt = now
      return now + lastStep > deadline
    },
  })

  return {
    timetable: heldToTimetable(model, bestHeld),
    stats: {
      objective: best,
      constructed,
      afterLocalSearch,
      rounds,
      improvingRounds,
      stoppedBy,
      elapsedMs: clock() - startedAt,
      upperBound,
      boundMs: clock() - boundStartedAt,
    },
  }
}

/** Each full group's price as the least its members value it, or the given price where that is higher. */
function pricesOfTimetable(m: Model, held: Int32Array, prices: Float64Array): Float64Array {
  const size = new Int32Array(m.groupCount)
  const least = new Float64Array(m.groupCount).fill(Infinity)
  for (const k of held) {
    const g = m.candGroup[k]
    size[g]++
    least[g] = Math.min(least[g], m.candValue[k])
  }
  return Float64Array.from(prices, (price, g) => (size[g] >= m.groupCapacity[g] ? Math.max(price, least[g]) : price))
}

/** Puts the state back to the timetable `held` (a snapshot). */
function restore(state: AllocationState, held: Int32Array): void {
  const m = state.model
  for (let p = 0; p < m.personCount; p++) state.clear(p)
  for (const k of held) state.add(m.candPerson[k], k)
  state.journal.length = 0
}

/** Single moves, exchanges and openings over everyone until a pass finds nothing (at most twice); returns the gain. */
function polish(state: AllocationState, random: Random, outOfTime: () => boolean): number {
  const before = state.total
  for (let pass = 0; pass < 2 && !outOfTime(); pass++) {
    let gain = improveEveryone(state, random, outOfTime)
    gain += exchangeIntoFullGroups(state, random, outOfTime, state.model.personCount <= CHAIN_PEOPLE)
    gain += openClosedGroups(state, random, outOfTime)
    if (gain <= EPSILON) break
  }
  return state.total - before
}

function snapshot(state: AllocationState): Int32Array {
  let count = 0
  for (const held of state.held) count += held.length
  const flat = new Int32Array(count)
  let at = 0
  for (const held of state.held) for (const k of held) flat[at++] = k
  return flat.sort()
}

function heldToTimetable(m: Model, held: Int32Array): Timetable {
  const assignments = []
  for (const k of held)
    assignments.push({ person: m.problem.people[m.candPerson[k]].id, group: m.groupIds[m.candGroup[k]] })
  return { version: 1, assignments }
}

export function toTimetable(state: AllocationState): Timetable {
  return heldToTimetable(state.model, snapshot(state))
}

/**
 * Lagrangian prices on group places: everyone chooses their best timetable as if groups had no limits,
 * less each group's price; over-asked groups grow dearer and under-asked ones cheaper (subgradient steps).
 * The prices then say who should have the contested places: those who value them most above their next
 * best choice, which is what a first-come or greedy start gets wrong.
 */
function priceGroups(
  state: AllocationState,
  rounds: number,
  outOfTime: () => boolean,
): { prices: Float64Array; rounds: number; sides: Int32Array } {
  const m = state.model
  const prices = new Float64Array(m.groupCount)
  const sides = new Int32Array(m.groupCount).fill(-1)
  if (rounds === 0) return { prices, rounds: 0, sides }
  const priced = new Float64Array(m.candValue.length)
  const demand = new Int32Array(m.groupCount)
  state.searchValue = priced
  state.relaxed = true
  const nodeLimit = state.nodeLimit
  // Prices need many cheap, nearly best choices rather than a few exact ones.
  state.nodeLimit = 200
  let step = 1
  // A person's choice changes only when the price of one of their candidate groups does.
  const changed = new Uint8Array(m.groupCount).fill(1)
  const choices: number[][] = Array.from({ length: m.personCount }, () => [])
  for (let k = 0; k < priced.length; k++) priced[k] = m.candValue[k]
  let round = 0
  const sideRound = Math.floor(rounds / 2)
  for (; round < rounds && !outOfTime(); round++) {
    if (round === sideRound && round > 0) chooseSides(m, choices, sides, priced, changed)
    demand.fill(0)
    for (let p = 0; p < m.personCount; p++) {
      let stale = round === 0
      for (let k = m.candStart[p], end = m.candStart[p + 1]; k < end && !stale; k++)
        stale = changed[m.candGroup[k]] === 1
      if (stale) {
        state.bestResponse(p)
        const chosen = choices[p]
        chosen.length = 0
        for (const k of state.choice) chosen.push(k)
      }
      for (const k of choices[p]) demand[m.candGroup[k]]++
    }
    for (let g = 0; g < m.groupCount; g++) {
      const excess = (demand[g] - m.groupCapacity[g]) / m.groupCapacity[g]
      const price = Math.max(0, prices[g] + step * excess)
      changed[g] = price !== prices[g] ? 1 : 0
      if (changed[g]) {
        prices[g] = price
        for (const k of m.groupCands[g]) priced[k] = m.candValue[k] - price
        if (sides[g] >= 0) excludeOtherSide(m, g, sides[g], priced)
      }
    }
    step *= 0.9
  }
  state.relaxed = false
  state.nodeLimit = nodeLimit
  state.searchValue = m.candValue
  return { prices, rounds: round, sides }
}

/** A price low enough that nobody's best timetable takes the place. */
const BARRED_VALUE = -1e9

/**
 * Which side of a cohort separation each contested group serves. Pricing ignores separations, so left to
 * itself it asks a group of both sides, and the start then hands it to whichever side comes first; the
 * search rarely turns a full group over afterwards, since every member must leave at once. So, half-way
 * through pricing, each group asked for by both sides goes to the side whose askers value its places most
 * (its capacity's worth of them), and the other side is priced out of it for the rounds that remain.
 */
function chooseSides(
  m: Model,
  choices: number[][],
  sides: Int32Array,
  priced: Float64Array,
  changed: Uint8Array,
): void {
  const C = m.cohortCount
  const askers: number[][] = Array.from({ length: m.groupCount }, () => [])
  for (let p = 0; p < m.personCount; p++) for (const k of choices[p]) askers[m.candGroup[k]].push(k)
  for (let g = 0; g < m.groupCount; g++) {
    const cohorts = m.groupCandCohorts[g]
    const asking = askers[g]
    if (cohorts.length < 2 || asking.length === 0) continue
    let contested = false
    for (let i = 0; i < asking.length && !contested; i++)
      for (let j = i + 1; j < asking.length && !contested; j++)
        contested =
          m.cohortSeparated[m.personCohort[m.candPerson[asking[i]]] * C + m.personCohort[m.candPerson[asking[j]]]] === 1
    if (!contested) continue
    let best = -1
    let bestScore = -Infinity
    for (const c of cohorts) {
      if (m.cohortSeparatedList[c].length === 0) continue
      const values = asking
        .filter((k) => !m.cohortSeparated[c * C + m.personCohort[m.candPerson[k]]])
        .map((k) => m.candValue[k])
        .sort((a, b) => b - a)
      let score = 0
      for (let i = 0; i < values.length && i < m.groupCapacity[g]; i++) score += values[i]
      if (score > bestScore) {
        bestScore = score
        best = c
      }
    }
    if (best < 0) continue
    sides[g] = best
    excludeOtherSide(m, g, best, priced)
    changed[g] = 1
  }
}

function excludeOtherSide(m: Model, g: number, cohort: number, priced: Float64Array): void {
  for (const k of m.groupCands[g])
    if (m.cohortSeparated[cohort * m.cohortCount + m.personCohort[m.candPerson[k]]]) priced[k] = BARRED_VALUE
}

/** Builds a first timetable in which each person, in turn, takes their best choice at the prices. */
function constructAtPrices(state: AllocationState, random: Random, prices: Float64Array): void {
  const m = state.model
  const priced = Float64Array.from(m.candValue, (value, k) => value - prices[m.candGroup[k]])
  state.searchValue = priced
  const order = random.shuffle(Array.from({ length: m.personCount }, (_, p) => p))
  for (const p of order) {
    state.bestResponse(p)
    for (const k of state.choice) {
      const g = m.candGroup[k]
      if (state.canJoin(p, g, false, true)) state.add(p, k)
    }
  }
  state.searchValue = m.candValue
  construct(state, random)
}

function startFromCurrent(state: AllocationState, random: Random): void {
  const m = state.model
  for (let p = 0; p < m.personCount; p++)
    for (let k = m.candStart[p]; k < m.candStart[p + 1]; k++) {
      const g = m.candGroup[k]
      if (!m.candCurrent[k] || state.sessions[p] + m.groupSessions[g] > m.personMaxSessions[p]) continue
      if (m.groupSlots[g].some((s) => state.slotOwner[p * m.slotCount + s] >= 0)) continue
      if (state.held[p].some((held) => m.groupActivity[m.candGroup[held]] === m.groupActivity[g])) continue
      if (state.canJoin(p, g, false, true)) state.add(p, k)
    }
  construct(state, random)
  repairMinimumSizes(state, random)
}

/** Each person in turn takes their best next session; the order snakes so nobody always goes first. */
function construct(state: AllocationState, random: Random): void {
  const m = state.model
  const order = random.shuffle(Array.from({ length: m.personCount }, (_, p) => p))
  let active = order
  for (let round = 0; active.length > 0; round++) {
    const next: number[] = []
    const sequence = round % 2 === 0 ? active : [...active].reverse()
    for (const p of sequence) {
      const k = bestSingleAddition(state, p)
      if (k >= 0) {
        state.add(p, k)
        next.push(p)
      }
    }
    active = round % 2 === 0 ? next : next.reverse()
  }
}

function bestSingleAddition(state: AllocationState, p: number): number {
  const m = state.model
  const sessions = state.sessions[p]
  const base = p * m.slotCount
  let bestGain = EPSILON
  let best = -1
  for (let k = m.candStart[p], end = m.candStart[p + 1]; k < end; k++) {
    const g = m.candGroup[k]
    if (sessions + m.groupSessions[g] > m.personMaxSessions[p]) continue
    const slots = m.groupSlots[g]
    let clash = false
    for (let i = 0; i < slots.length && !clash; i++) clash = state.slotOwner[base + slots[i]] >= 0
    if (clash) continue
    const activity = m.groupActivity[g]
    const held = state.held[p]
    for (let i = 0; i < held.length && !clash; i++) clash = m.groupActivity[m.candGroup[held[i]]] === activity
    if (clash) continue
    if (!state.canJoin(p, g, false, true)) continue
    const gain = m.candValue[k] + state.fairness(sessions + m.groupSessions[g]) - state.fairness(sessions)
    if (gain > bestGain) {
      bestGain = gain
      best = k
    }
  }
  return best
}

/** Closes the group: its members leave and are re-timed without it. */
function closeGroup(state: AllocationState, g: number, random: Random): void {
  const members = [...state.members[g]]
  state.blocked[g] = 1
  for (const p of members) state.remove(p, state.heldCandidate(p, g))
  for (const p of random.shuffle(members)) state.improve(p)
  state.blocked[g] = 0
}

/**
 * Brings every group below its minimum size up to it by drawing in the people who lose least by joining,
 * or closes it when that costs less. Neither way pushes another group below its minimum.
 */
function repairMinimumSizes(state: AllocationState, random: Random): void {
  const m = state.model
  for (;;) {
    if (state.belowMinimum === 0) return
    const below = state.groupsBelowMinimum()
    below.sort((a, b) => m.groupMinSize[a] - state.size[a] - (m.groupMinSize[b] - state.size[b]) || a - b)
    const g = below[0]
    const before = state.total
    const mark = state.journal.length
    closeGroup(state, g, random)
    const closedGain = state.total - before
    state.undo(mark)
    const filled = fillGroup(state, g)
    if (filled && state.total - before >= closedGain - EPSILON) continue
    state.undo(mark)
    closeGroup(state, g, random)
  }
}

/** Draws people into g until it reaches its minimum size; returns false (having changed things) if it cannot. */
function fillGroup(state: AllocationState, g: number, allowOpening = false): boolean {
  const m = state.model
  const gains: { p: number; gain: number }[] = []
  for (const k of m.groupCands[g]) {
    const p = m.candPerson[k]
    if (state.isMember(p, g)) continue
    const best = state.bestResponse(p, { require: g, allowOpening })
    if (best > -Infinity) gains.push({ p, gain: best - state.value[p] })
  }
  gains.sort((a, b) => b.gain - a.gain || a.p - b.p)
  for (const { p } of gains) {
    if (state.size[g] >= m.groupMinSize[g]) break
    const best = state.bestResponse(p, { require: g, allowOpening })
    if (best > -Infinity) state.applyChoice(p)
  }
  return state.size[g] >= m.groupMinSize[g]
}

function improveEveryone(state: AllocationState, random: Random, outOfTime: () => boolean): number {
  const m = state.model
  const before = state.total
  for (let sweep = 0; sweep < 10; sweep++) {
    let gain = 0
    for (const p of random.shuffle(Array.from({ length: m.personCount }, (_, i) => i))) gain += state.improve(p)
    if (gain <= EPSILON || outOfTime()) break
  }
  return state.total - before
}

/**
 * Two-person exchanges: p takes q's place in a full group when p gains more than q loses by being
 * re-timed without it. This is the augmenting path of length two that best responses alone cannot find.
 */
function exchangeIntoFullGroups(
  state: AllocationState,
  random: Random,
  outOfTime: () => boolean,
  chains: boolean,
): number {
  const m = state.model
  const before = state.total
  for (const p of random.shuffle(Array.from({ length: m.personCount }, (_, i) => i))) {
    if (outOfTime()) break
    exchangeFor(state, p, chains)
  }
  return state.total - before
}

const weakest = new Int32Array(3)
const weakestValue = new Float64Array(3)

/** Fills `weakest` with up to three members of g who value it least (ties by index); returns how many. */
function leastValuedMembers(state: AllocationState, g: number): number {
  const m = state.model
  let count = 0
  for (const q of state.members[g]) {
    const value = m.candValue[state.heldCandidate(q, g)]
    let i = count < 3 ? count++ : 3
    if (i === 3 && (value > weakestValue[2] || (value === weakestValue[2] && q > weakest[2]))) continue
    if (i === 3) i = 2
    while (i > 0 && (weakestValue[i - 1] > value || (weakestValue[i - 1] === value && weakest[i - 1] > q))) {
      weakest[i] = weakest[i - 1]
      weakestValue[i] = weakestValue[i - 1]
      i--
    }
    weakest[i] = q
    weakestValue[i] = value
  }
  return count
}

const holders = new Int32Array(3)
const holderValues = new Float64Array(3)

function exchangeFor(state: AllocationState, p: number, chains: boolean): boolean {
  const m = state.model
  for (let k = m.candStart[p], end = m.candStart[p + 1]; k < end; k++) {
    const g = m.candGroup[k]
    if (state.size[g] < m.groupCapacity[g] || state.isMember(p, g) || state.blocked[g]) continue
    // A separation may bar p from g until a particular member leaves: then p's gain is judged per member.
    const open = state.canJoin(p, g, true)
    const best = open ? state.bestResponse(p, { require: g, allow: g }) : -Infinity
    if (open && best - state.value[p] <= EPSILON) continue
    // The members whose group is worth least to them are the likeliest to give way.
    const count = leastValuedMembers(state, g)
    holders.set(weakest)
    holderValues.set(weakestValue)
    const slack = m.fairnessWeight * m.groupSessions[g]
    for (let i = 0; i < count; i++) {
      const q = holders[i]
      if (!state.canJoin(p, g, true, false, q)) continue
      let gainP = best - state.value[p]
      if (!open) {
        const mark = state.journal.length
        state.remove(q, state.heldCandidate(q, g))
        gainP = state.bestResponse(p, { require: g }) - state.value[p]
        state.undo(mark)
        if (!(gainP > EPSILON)) continue
      }
      if (holderValues[i] < gainP + slack) {
        const before = state.total
        const mark = state.journal.length
        state.remove(q, state.heldCandidate(q, g))
        if (state.bestResponse(p, { require: g }) > -Infinity) {
          state.applyChoice(p)
          state.blocked[g] = 1
          state.improve(q)
          state.blocked[g] = 0
          if (state.total > before + EPSILON) {
            ripple(state, mark, RIPPLE_LIMIT)
            return true
          }
        }
        state.undo(mark)
        if (exchangeHolderFirst(state, p, g, q, before)) return true
      }
      if (chains && i === 0 && ejectionChain(state, p, g, q, gainP - holderValues[i] + slack)) return true
    }
  }
  return false
}

/**
 * The same exchange in the other order: q is re-timed first, with p's own places free as well, and then p takes
 * g and what else is left. Taken first, p may keep a place q needs more than p does (P1 takes ACT0/a and keeps
 * ACT1/a, worth 1 to it, where P0, leaving ACT0/a, needed ACT1/a for 4): the best of both orders is the exchange.
 */
function exchangeHolderFirst(state: AllocationState, p: number, g: number, q: number, before: number): boolean {
  const mark = state.journal.length
  state.remove(q, state.heldCandidate(q, g))
  state.clear(p)
  state.blocked[g] = 1
  state.improve(q)
  state.blocked[g] = 0
  if (state.bestResponse(p, { require: g }) > -Infinity) {
    state.applyChoice(p)
    if (state.belowMinimum === 0 && state.total > before + EPSILON) {
      ripple(state, mark, RIPPLE_LIMIT)
      return true
    }
  }
  state.undo(mark)
  return false
}

/**
 * The exchange one step further: p takes q's place in g, q takes r's place in another full group h, and r
 * (who may be p, giving up h for g) is re-timed without h. Judged on the total, so q may give up a place
 * it values more than the one it takes; no single person's move, nor a two-person exchange, finds this.
 * `margin` is p's gain less what g is worth to q (plus the fairness that may change): what q's new place
 * must make up.
 */
function ejectionChain(state: AllocationState, p: number, g: number, q: number, margin: number): boolean {
  const m = state.model
  for (let kq = m.candStart[q], end = m.candStart[q + 1]; kq < end; kq++) {
    const h = m.candGroup[kq]
    if (h === g || state.size[h] < m.groupCapacity[h] || state.isMember(q, h) || state.blocked[h]) continue
    const slack = m.fairnessWeight * m.groupSessions[h]
    if (margin + m.candValue[kq] + slack <= EPSILON || !fitsInstead(state, q, g, h)) continue
    // Only the member who values h least is asked to give way: wider chains cost the large-neighbourhood
    // search more than they found on 300 and 1,500 people.
    leastValuedMembers(state, h)
    const r = weakest[0]
    if (margin + m.candValue[kq] + slack - weakestValue[0] <= EPSILON) continue
    if (!state.canJoin(q, h, true, false, r)) continue
    const before = state.total
    const mark = state.journal.length
    state.remove(q, state.heldCandidate(q, g))
    if (state.bestResponse(p, { require: g }) > -Infinity) {
      state.applyChoice(p)
      if (state.isMember(r, h)) state.remove(r, state.heldCandidate(r, h))
      state.blocked[g] = 1
      // Unless q takes r's place, h may be left below its minimum size: then the chain is not made.
      const taken = state.bestResponse(q, { require: h }) > -Infinity
      if (taken) {
        state.applyChoice(q)
        state.blocked[h] = 1
        state.improve(r)
        state.blocked[h] = 0
      }
      state.blocked[g] = 0
      if (taken && state.total > before + EPSILON) {
        ripple(state, mark, RIPPLE_LIMIT)
        return true
      }
    }
    state.undo(mark)
  }
  return false
}

/** Whether q could hold h in place of g and keep everything else (slots, sessions, one group an activity). */
function fitsInstead(state: AllocationState, q: number, g: number, h: number): boolean {
  const m = state.model
  if (state.sessions[q] - m.groupSessions[g] + m.groupSessions[h] > m.personMaxSessions[q]) return false
  const base = q * m.slotCount
  for (const s of m.groupSlots[h]) {
    const owner = state.slotOwner[base + s]
    if (owner >= 0 && owner !== g) return false
  }
  const activity = m.groupActivity[h]
  if (activity === m.groupActivity[g]) return true
  for (const k of state.held[q]) if (m.groupActivity[m.candGroup[k]] === activity) return false
  return true
}

/** Tries to run each closed group with a minimum size by drawing in the people who gain most from it. */
function openClosedGroups(state: AllocationState, random: Random, outOfTime: () => boolean): number {
  const m = state.model
  const before = state.total
  for (let g = 0; g < m.groupCount; g++) {
    if (outOfTime()) break
    if (state.size[g] > 0 || m.groupMinSize[g] <= 1 || m.groupCands[g].length < m.groupMinSize[g]) continue
    const start = state.total
    const mark = state.journal.length
    if (fillGroup(state, g, true)) {
      for (const k of m.groupCands[g]) {
        const p = m.candPerson[k]
        if (state.size[g] >= m.groupCapacity[g]) break
        if (!state.isMember(p, g)) state.improve(p)
      }
      if (state.total > start + EPSILON) continue
    }
    state.undo(mark)
  }
  return state.total - before
}

/**
 * Clears a cluster of people who compete for the same groups, re-times them in a random order, and
 * keeps the result unless it is worse. Equal results are kept so the search can drift across plateaus.
 */
function largeNeighbourhoodRound(
  state: AllocationState,
  random: Random,
  floor: number,
  minimumGroups: number[],
  priced: Float64Array,
  contestedGroups: number[],
): void {
  const before = state.total
  const keptBefore = state.kept
  const mark = state.journal.length
  const roll = random.next()
  if (minimumGroups.length > 0 && roll < PM) reshapeMinimumGroups(state, random, minimumGroups)
  else if (roll >= PM && roll < PF && contestedGroups.length > 0)
    turnGroupOver(state, random, contestedGroups[random.below(contestedGroups.length)], priced)
  else if (roll < PA) reshapeActivity(state, random)
  else if (roll < PX) exchangeFor(state, random.below(state.model.personCount), true)
  else {
    const cluster = pickCluster(state, random)
    for (const p of cluster) state.clear(p)
    // Re-timed first at the start's prices, so that contested places go to those who value them most above
    // their next best choice (a greedy pass at true values hands them to whoever comes first), then at
    // true values. This doubled the search's gains on 300 and 1,500 people.
    state.searchValue = priced
    for (const p of random.shuffle(cluster)) if (state.bestResponse(p) > -Infinity) state.applyChoice(p)
    state.searchValue = state.model.candValue
    for (const p of cluster) state.improve(p)
  }
  if (state.belowMinimum > 0) repairMinimumSizes(state, random)
  if (roll < PA) ripple(state, mark, RIPPLE_LIMIT)
  // A round that gains nothing may not give up current places: the search may wander, but not away from
  // last week's timetable for nothing (the objective is untouched; this only chooses between equals).
  if (state.total < Math.min(before, floor) - EPSILON || (state.total <= before + EPSILON && state.kept < keptBefore))
    state.undo(mark)
  state.journal.length = 0
}

/**
 * The bound is proven in the last BOUND_SHARE of the budget, after the search: at the prices, then by up to
 * BOUND_STEPS subgradient steps while they fit. The first evaluation always runs, since it is the proof: on
 * 1,500 people it takes 2-5 ms of CPU, and a step as long. Twenty steps rather than ten lowered the bound by
 * another 0.1-0.4% of the LP bound on 300 and 1,500 people; forty by less than 0.15% more.
 */
const BOUND_STEPS = 20
const BOUND_SHARE = 0.04
/** The share of the budget, before the bound's, kept for the last polishing pass (it took ~5% on 1,500 people). */
const POLISH_SHARE = 0.06
/** Below this many rounds of pricing, the bound starts from prices read from the timetable as well. */
const FEW_PRICING_ROUNDS = 10

const RIPPLE_LIMIT = 60
/**
 * Shares of large-neighbourhood rounds: minimum-size reshapes below PM, groups turned over to the other
 * side of a cohort separation below PF, activity reshapes below PA, one person's exchanges and ejection
 * chains below PX, clusters above. A tenth for turning groups over lifted 300 people from 99.43% to 99.56%
 * of CBC's optimum (mean of 12 solver seeds on 3 prisons); a fifth did no better.
 */
const PM = 0.1
const PF = PM + 0.1
const PA = 0.45
const PX = 0.5
/**
 * Up to this many people, the local search tries ejection chains for everyone; above it they are left to
 * the large-neighbourhood rounds, since on 1,500 people a pass of them took a tenth of the budget for less
 * than the rounds it displaced would have found.
 */
const CHAIN_PEOPLE = 500

/**
 * Places freed by a move are offered on: everyone who could join a group that someone left since the
 * journal had length `mark` re-times by best response, and the places they free in turn are offered on,
 * up to `limit` re-timings. This is the chain of single moves that a cluster re-timed alone misses.
 */
function ripple(state: AllocationState, mark: number, limit: number): void {
  const m = state.model
  const journal = state.journal
  const queued = state.scratchPeople
  const queue = state.scratchQueue
  queue.length = 0
  let read = mark
  let head = 0
  let budget = limit
  for (;;) {
    for (; read < journal.length; read += 2) {
      const k = journal[read + 1]
      if (k >= 0) continue
      const g = m.candGroup[~k]
      if (state.size[g] >= m.groupCapacity[g]) continue
      const cands = m.groupCands[g]
      for (let i = 0; i < cands.length; i++) {
        const p = m.candPerson[cands[i]]
        if (queued[p]) continue
        queued[p] = 1
        queue.push(p)
      }
    }
    if (head >= queue.length || budget <= 0) break
    const p = queue[head++]
    queued[p] = 0
    budget--
    state.improve(p)
  }
  for (let i = head; i < queue.length; i++) queued[queue[i]] = 0
  queue.length = 0
}

/**
 * Which groups with a minimum size run is the decision that single moves cannot change: people in a group
 * at its minimum cannot leave, and nobody can join a closed group alone. So close a running group (its
 * members re-timed) and open a closed group of the same activity, or open a closed group outright.
 */
function reshapeMinimumGroups(state: AllocationState, random: Random, minimumGroups: number[]): void {
  const m = state.model
  const g = minimumGroups[random.below(minimumGroups.length)]
  if (state.size[g] > 0) {
    const members = [...state.members[g]]
    closeGroup(state, g, random)
    const activity = m.groupActivity[g]
    const siblings = minimumGroups.filter(
      (other) => other !== g && m.groupActivity[other] === activity && state.size[other] === 0,
    )
    if (siblings.length > 0) openGroup(state, siblings[random.below(siblings.length)])
    for (const p of members) state.improve(p)
  } else openGroup(state, g)
}

/**
 * A group open to every cohort serves whichever side of a separation joins first, and single moves can
 * never hand it to the other side. So empty all of one activity's groups, promise each to a cohort side at
 * random, and let the members and would-be members choose again.
 */
function reshapeActivity(state: AllocationState, random: Random): void {
  const m = state.model
  const activity = m.groupActivity[random.below(m.groupCount)]
  const groups = m.activityGroups[activity]
  const people = m.activityCandPeople[activity]
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]
    const cohorts = m.groupCandCohorts[g]
    if (cohorts.length > 1 && random.next() < 0.7) state.reservedCohort[g] = cohorts[random.below(cohorts.length)]
    for (const p of [...state.members[g]]) state.remove(p, state.heldCandidate(p, g))
  }
  // An activity's groups are contiguous.
  const unreserve = () => state.reservedCohort.fill(-1, groups[0], groups[groups.length - 1] + 1)
  if (people.length > 120) {
    unreserve()
    for (let i = 0; i < people.length; i++) state.improve(people[i])
    return
  }
  const order = random.shuffle(Array.from(people))
  for (const p of order) state.improve(p)
  unreserve()
  for (let i = 0; i < groups.length; i++)
    if (state.size[groups[i]] === 0 && m.groupMinSize[groups[i]] > 1) openGroup(state, groups[i])
  for (const p of order) state.improve(p)
}

/**
 * Hands a running group to the other side of a cohort separation: its members of this side leave and are
 * re-timed, and the other side's would-be members are offered it (at the start's prices first, as a
 * cluster is). Every member of a side must leave at once, which no single move or exchange does.
 */
function turnGroupOver(state: AllocationState, random: Random, g: number, priced: Float64Array): void {
  const m = state.model
  const C = m.cohortCount
  const members = state.members[g]
  let side = -1
  for (let i = 0; i < members.length && side < 0; i++)
    if (m.cohortSeparatedList[m.personCohort[members[i]]].length > 0) side = m.personCohort[members[i]]
  if (side < 0) return
  const others = m.groupCandCohorts[g].filter((c) => m.cohortSeparated[side * C + c])
  if (others.length === 0) return
  const target = others[random.below(others.length)]
  state.reservedCohort[g] = target
  const leaving = members.filter((p) => m.cohortSeparated[target * C + m.personCohort[p]])
  for (const p of leaving) state.remove(p, state.heldCandidate(p, g))
  const joining = random.shuffle(
    Array.from(new Set(Array.from(m.groupCands[g], (k) => m.candPerson[k]))).filter(
      (p) => !m.cohortSeparated[target * C + m.personCohort[p]] && !state.isMember(p, g),
    ),
  )
  state.searchValue = priced
  for (const p of joining)
    if (state.bestResponse(p, { require: g, allowOpening: true }) > -Infinity) state.applyChoice(p)
  state.searchValue = m.candValue
  for (const p of joining) state.improve(p)
  for (const p of leaving) state.improve(p)
  state.reservedCohort[g] = -1
}

function openGroup(state: AllocationState, g: number): void {
  const m = state.model
  if (!fillGroup(state, g, true)) return
  for (const k of m.groupCands[g]) {
    if (state.size[g] >= m.groupCapacity[g]) break
    const p = m.candPerson[k]
    if (!state.isMember(p, g)) state.improve(p)
  }
}

/**
 * People who compete for the same places: either a chain through shared candidate groups, or the
 * members and would-be members of one group, so that a group can change hands between cohorts or close.
 */
function pickCluster(state: AllocationState, random: Random): number[] {
  const m = state.model
  const size = 6 + random.below(Math.min(20, Math.max(1, m.personCount >> 2)))
  const chosen = new Set<number>()
  if (random.next() < 0.5) {
    const g = random.below(m.groupCount)
    for (const p of state.members[g]) chosen.add(p)
    const candidates = m.groupCands[g]
    for (let tries = 0; chosen.size < size + state.size[g] && tries < size * 2 && candidates.length > 0; tries++)
      chosen.add(m.candPerson[candidates[random.below(candidates.length)]])
    if (chosen.size > 0) return [...chosen]
  }
  let p = random.below(m.personCount)
  chosen.add(p)
  for (let tries = 0; chosen.size < size && tries < size * 4; tries++) {
    const start = m.candStart[p]
    const count = m.candStart[p + 1] - start
    if (count === 0) {
      p = random.below(m.personCount)
      chosen.add(p)
      continue
    }
    const g = m.candGroup[start + random.below(count)]
    const candidates = m.groupCands[g]
    p = m.candPerson[candidates[random.below(candidates.length)]]
    chosen.add(p)
  }
  return [...chosen]
}

export type { Model }
