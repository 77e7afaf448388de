import type { Model } from './model.ts'

const EPSILON = 1e-9
const NO_MODE: ResponseMode = {}

/** What a person's best response may do with one group beyond the ordinary rules. */
export type ResponseMode = {
  /** The person must end up in this group (capacity still applies unless it is also `allow`). */
  require?: number
  /** The person may join this group even though it is full (someone is about to make room). */
  allow?: number
  /** The person may not be in this group, and leaves it if they are. */
  forbid?: number
  /** Lets the person open the empty `require` group though it has a minimum size above 1. */
  allowOpening?: boolean
}

/**
 * A timetable under construction that keeps every rule except minimum sizes true at all times, keeps its
 * objective up to date, and journals each change so that any trial move can be undone exactly.
 * Minimum sizes are kept by the moves: a person may leave a group only if it stays at or above its
 * minimum or empties, and may join an empty group with a minimum above 1 only through `allowOpening`.
 */
export class AllocationState {
  readonly model: Model
  readonly held: number[][]
  readonly sessions: Int32Array
  readonly sumValue: Float64Array
  readonly value: Float64Array
  readonly slotOwner: Int32Array
  readonly size: Int32Array
  readonly members: number[][]
  /**
   * barred[g * cohortCount + c]: how many of g's members belong to a cohort separated from cohort c, so
   * that whether c may join g is one look-up (canJoin runs for most candidates of every best response).
   */
  readonly barred: Int32Array
  readonly blocked: Uint8Array
  /** While a neighbourhood is rebuilt, a group may be promised to one cohort (-1: none). */
  readonly reservedCohort: Int32Array
  total = 0
  /** How many groups are running below their minimum size (kept up to date by every change). */
  belowMinimum = 0
  /** How many of the held places are people's current groups (continuity, for steering ties). */
  kept = 0
  readonly journal: number[] = []
  /** Scratch for the solver's queues of people (kept all zero between uses). */
  readonly scratchPeople: Uint8Array
  readonly scratchQueue: number[] = []
  /** Best response scratch: the chosen candidates after `bestResponse`. */
  readonly choice: number[] = []
  nodeLimit = 4000
  /** The values best responses maximise: the true ones, or the true ones less group prices while pricing. */
  searchValue: Float64Array
  /** While pricing, best responses ignore every group-level rule (capacity, minimum, cohorts, separations). */
  relaxed = false

  #slotStamp: Int32Array
  #activityStamp: Int32Array
  #stamp = 0
  #optionStart: Int32Array
  #options: Int32Array
  #activityMaxValue: Float64Array
  #activityMaxSessions: Int32Array
  #suffixValue: Float64Array
  #suffixSessions: Int32Array
  /**
   * The search's stack of candidates and the best set found so far, in typed arrays with their lengths: an
   * array emptied by `length = 0` gives up its storage, and refilling it allocated on every best response.
   */
  #stack: Int32Array
  #stackSize = 0
  #chosen: Int32Array
  #chosenSize = 0
  /**
   * The value so far at each level of the search, kept here rather than passed down: a fractional number
   * passed to a recursive call is boxed, and those boxes were most of what best responses still allocated.
   */
  #levelValue: Float64Array
  #best = 0
  #nodes = 0
  #activityCount = 0
  #maxSessions = 0

  constructor(model: Model) {
    this.model = model
    this.searchValue = model.candValue
    const { personCount: P, groupCount: G, slotCount: S, cohortCount: C } = model
    this.held = Array.from({ length: P }, () => [])
    this.sessions = new Int32Array(P)
    this.scratchPeople = new Uint8Array(P)
    this.sumValue = new Float64Array(P)
    this.value = new Float64Array(P)
    this.slotOwner = new Int32Array(P * S).fill(-1)
    this.size = new Int32Array(G)
    this.members = Array.from({ length: G }, () => [])
    this.barred = new Int32Array(G * C)
    this.blocked = new Uint8Array(G)
    this.reservedCohort = new Int32Array(G).fill(-1)
    let maxCandidates = 1
    for (let p = 0; p < P; p++) maxCandidates = Math.max(maxCandidates, model.candStart[p + 1] - model.candStart[p])
    this.#slotStamp = new Int32Array(S)
    this.#activityStamp = new Int32Array(model.activityCount)
    this.#optionStart = new Int32Array(maxCandidates + 2)
    this.#options = new Int32Array(maxCandidates + 1)
    this.#activityMaxValue = new Float64Array(maxCandidates + 1)
    this.#activityMaxSessions = new Int32Array(maxCandidates + 1)
    this.#suffixValue = new Float64Array(maxCandidates + 2)
    this.#suffixSessions = new Int32Array(maxCandidates + 2)
    this.#stack = new Int32Array(maxCandidates + 1)
    this.#chosen = new Int32Array(maxCandidates + 1)
    this.#levelValue = new Float64Array(maxCandidates + 2)
  }

  fairness(sessions: number): number {
    return this.model.fairnessWeight * Math.min(sessions, this.model.target)
  }

  isMember(p: number, g: number): boolean {
    return this.slotOwner[p * this.model.slotCount + this.model.groupFirstSlot[g]] === g
  }

  #addRaw(p: number, k: number): void {
    const m = this.model
    const g = m.candGroup[k]
    this.held[p].push(k)
    const base = p * m.slotCount
    // Indexed loops here and below: on typed arrays, for-of allocated an iterator result per step on the hot path.
    const slots = m.groupSlots[g]
    for (let i = 0; i < slots.length; i++) this.slotOwner[base + slots[i]] = g
    this.sessions[p] += m.groupSessions[g]
    this.sumValue[p] += m.candValue[k]
    this.kept += m.candCurrent[k]
    this.members[g].push(p)
    const min = m.groupMinSize[g]
    const size = ++this.size[g]
    if (size === 1 && min > 1) this.belowMinimum++
    else if (size === min && min > 1) this.belowMinimum--
    const separated = m.cohortSeparatedList[m.personCohort[p]]
    for (let i = 0; i < separated.length; i++) this.barred[g * m.cohortCount + separated[i]]++
    this.#revalue(p)
  }

  #removeRaw(p: number, k: number): void {
    const m = this.model
    const g = m.candGroup[k]
    const held = this.held[p]
    const at = held.indexOf(k)
    held[at] = held[held.length - 1]
    held.pop()
    const base = p * m.slotCount
    const slots = m.groupSlots[g]
    for (let i = 0; i < slots.length; i++) this.slotOwner[base + slots[i]] = -1
    this.sessions[p] -= m.groupSessions[g]
    this.sumValue[p] -= m.candValue[k]
    this.kept -= m.candCurrent[k]
    const list = this.members[g]
    const where = list.indexOf(p)
    list[where] = list[list.length - 1]
    list.pop()
    const min = m.groupMinSize[g]
    const size = --this.size[g]
    if (size === 0 && min > 1) this.belowMinimum--
    else if (size === min - 1 && min > 1) this.belowMinimum++
    const separated = m.cohortSeparatedList[m.personCohort[p]]
    for (let i = 0; i < separated.length; i++) this.barred[g * m.cohortCount + separated[i]]--
    this.#revalue(p)
  }

  #revalue(p: number): void {
    const next = this.sumValue[p] + this.fairness(this.sessions[p])
    this.total += next - this.value[p]
    this.value[p] = next
  }

  add(p: number, k: number): void {
    this.#addRaw(p, k)
    this.journal.push(p, k)
  }

  remove(p: number, k: number): void {
    this.#removeRaw(p, k)
    this.journal.push(p, ~k)
  }

  /** Undoes every change made since the journal had length `mark`. */
  undo(mark: number): void {
    const journal = this.journal
    while (journal.length > mark) {
      const k = journal.pop()!
      const p = journal.pop()!
      if (k >= 0) this.#removeRaw(p, k)
      else this.#addRaw(p, ~k)
    }
  }

  /** The candidate index by which p holds g, or -1. */
  heldCandidate(p: number, g: number): number {
    for (const k of this.held[p]) if (this.model.candGroup[k] === g) return k
    return -1
  }

  canLeave(g: number): boolean {
    const after = this.size[g] - 1
    return after === 0 || after >= this.model.groupMinSize[g]
  }

  /** Whether p may join g as things stand, leaving out `except` (someone about to leave g). */
  canJoin(p: number, g: number, ignoreCapacity = false, allowOpening = false, except = -1): boolean {
    const m = this.model
    if (this.blocked[g]) return false
    const leaving = except >= 0 ? 1 : 0
    const size = this.size[g] - leaving
    if (!ignoreCapacity && size >= m.groupCapacity[g]) return false
    if (!allowOpening && size === 0 && m.groupMinSize[g] > 1) return false
    const C = m.cohortCount
    const cohort = m.personCohort[p]
    const reserved = this.reservedCohort[g]
    if (reserved >= 0 && m.cohortSeparated[reserved * C + cohort]) return false
    // `except` is a member of g: if their cohort is separated from p's, they are one of those counted.
    const barring = this.barred[g * C + cohort] - (leaving ? m.cohortSeparated[m.personCohort[except] * C + cohort] : 0)
    if (barring > 0) return false
    const separated = m.personSeparated[p]
    for (let i = 0; i < separated.length; i++) {
      const q = separated[i]
      if (q !== except && this.isMember(q, g)) return false
    }
    return true
  }

  /**
   * The best timetable for p alone with everyone else fixed, found by depth-first branch and bound over
   * p's wanted activities (one group or none each). Leaves the chosen candidates in `choice` and returns
   * the value p would have, or -Infinity when `mode.require` cannot be met.
   */
  bestResponse(p: number, mode: ResponseMode = NO_MODE): number {
    const m = this.model
    const stamp = ++this.#stamp
    const slotStamp = this.#slotStamp
    const activityStamp = this.#activityStamp
    const useMask = m.slotMasks
    const groupMask = m.groupMask
    const candGroup = m.candGroup
    const groupActivity = m.groupActivity
    const groupSessions = m.groupSessions
    const searchValue = this.searchValue
    const forbid = mode.forbid ?? -1
    const require = mode.require ?? -1
    const allow = mode.allow ?? -1
    let fixedValue = 0
    let fixedSessions = 0
    let fixedMask = 0
    const stack = this.#stack
    this.#stackSize = 0
    for (const k of this.held[p]) {
      const g = candGroup[k]
      if (g === forbid) continue
      if (g === require || !this.canLeave(g)) {
        fixedValue += searchValue[k]
        fixedSessions += groupSessions[g]
        activityStamp[groupActivity[g]] = stamp
        if (useMask) fixedMask |= groupMask[g]
        else for (const s of m.groupSlots[g]) slotStamp[s] = stamp
        stack[this.#stackSize++] = k
      }
    }
    const maxSessions = m.personMaxSessions[p]
    if (require >= 0 && !this.isMember(p, require)) {
      const g = require
      const k = this.#candidateOf(p, g)
      if (k < 0 || activityStamp[groupActivity[g]] === stamp) return -Infinity
      if (!this.canJoin(p, g, allow === g, mode.allowOpening)) return -Infinity
      if (useMask) {
        if ((fixedMask & groupMask[g]) !== 0) return -Infinity
      } else for (const s of m.groupSlots[g]) if (slotStamp[s] === stamp) return -Infinity
      if (fixedSessions + groupSessions[g] > maxSessions) return -Infinity
      fixedValue += searchValue[k]
      fixedSessions += groupSessions[g]
      activityStamp[groupActivity[g]] = stamp
      if (useMask) fixedMask |= groupMask[g]
      else for (const s of m.groupSlots[g]) slotStamp[s] = stamp
      stack[this.#stackSize++] = k
    }

    let activityCount = 0
    let optionCount = 0
    let previousActivity = -1
    const optionStart = this.#optionStart
    const options = this.#options
    const maxValue = this.#activityMaxValue
    const maxSess = this.#activityMaxSessions
    const relaxed = this.relaxed
    const slotOwner = this.slotOwner
    const base = p * m.slotCount
    const firstSlot = m.groupFirstSlot
    const blocked = this.blocked
    const groupSize = this.size
    const capacity = m.groupCapacity
    for (let k = m.candStart[p], end = m.candStart[p + 1]; k < end; k++) {
      const g = candGroup[k]
      const activity = groupActivity[g]
      if (g === forbid || activityStamp[activity] === stamp) continue
      const sessions = groupSessions[g]
      if (fixedSessions + sessions > maxSessions) continue
      if (useMask) {
        if ((fixedMask & groupMask[g]) !== 0) continue
      } else {
        let clash = false
        for (const s of m.groupSlots[g])
          if (slotStamp[s] === stamp) {
            clash = true
            break
          }
        if (clash) continue
      }
      if (!relaxed && slotOwner[base + firstSlot[g]] !== g) {
        if (blocked[g] !== 0 || (allow !== g && groupSize[g] >= capacity[g])) continue
        if (!this.canJoin(p, g, allow === g)) continue
      }
      if (activity !== previousActivity) {
        optionStart[activityCount] = optionCount
        maxValue[activityCount] = 0
        maxSess[activityCount] = 0
        activityCount++
        previousActivity = activity
      }
      options[optionCount++] = k
      const value = searchValue[k]
      if (value > maxValue[activityCount - 1]) maxValue[activityCount - 1] = value
      if (sessions > maxSess[activityCount - 1]) maxSess[activityCount - 1] = sessions
    }
    optionStart[activityCount] = optionCount
    this.#suffixValue[activityCount] = 0
    this.#suffixSessions[activityCount] = 0
    for (let i = activityCount - 1; i >= 0; i--) {
      this.#suffixValue[i] = this.#suffixValue[i + 1] + maxValue[i]
      this.#suffixSessions[i] = this.#suffixSessions[i + 1] + maxSess[i]
    }
    this.#activityCount = activityCount
    this.#maxSessions = maxSessions
    this.#best = -Infinity
    this.#nodes = 0
    this.#chosenSize = 0
    this.#levelValue[0] = fixedValue
    if (useMask) this.#searchMask(0, fixedSessions, fixedMask)
    else this.#search(0, fixedValue, fixedSessions, stamp)
    // Written in place: the caller reads `choice` as a list.
    const choice = this.choice
    const chosen = this.#chosen
    for (let j = 0; j < this.#chosenSize; j++) choice[j] = chosen[j]
    choice.length = this.#chosenSize
    return this.#best
  }

  /** `#search` with the person's used slots as a bit mask (weeks of at most 32 slots). */
  #searchMask(i: number, sessions: number, used: number): void {
    if (++this.#nodes > this.nodeLimit && this.#best > -Infinity) return
    const m = this.model
    const levelValue = this.#levelValue
    const value = levelValue[i]
    const weight = m.fairnessWeight
    const target = m.target
    if (i === this.#activityCount) {
      const total = value + weight * (sessions < target ? sessions : target)
      if (total > this.#best + EPSILON) {
        this.#best = total
        this.#keepStack()
      }
      return
    }
    const reach = Math.min(sessions + this.#suffixSessions[i], this.#maxSessions)
    const bound = value + this.#suffixValue[i] + weight * (reach < target ? reach : target)
    if (bound <= this.#best + EPSILON) return
    const candGroup = m.candGroup
    const groupSessions = m.groupSessions
    const groupMask = m.groupMask
    const options = this.#options
    const searchValue = this.searchValue
    const maxSessions = this.#maxSessions
    for (let j = this.#optionStart[i], end = this.#optionStart[i + 1]; j < end; j++) {
      const k = options[j]
      const g = candGroup[k]
      const more = groupSessions[g]
      if (sessions + more > maxSessions || (used & groupMask[g]) !== 0) continue
      this.#stack[this.#stackSize++] = k
      levelValue[i + 1] = value + searchValue[k]
      this.#searchMask(i + 1, sessions + more, used | groupMask[g])
      this.#stackSize--
    }
    levelValue[i + 1] = value
    this.#searchMask(i + 1, sessions, used)
  }

  /** The search's stack is the best set so far. */
  #keepStack(): void {
    const stack = this.#stack
    const chosen = this.#chosen
    const size = this.#stackSize
    for (let j = 0; j < size; j++) chosen[j] = stack[j]
    this.#chosenSize = size
  }

  #candidateOf(p: number, g: number): number {
    const m = this.model
    for (let k = m.candStart[p], end = m.candStart[p + 1]; k < end; k++) if (m.candGroup[k] === g) return k
    return -1
  }

  #search(i: number, value: number, sessions: number, stamp: number): void {
    const m = this.model
    if (++this.#nodes > this.nodeLimit && this.#best > -Infinity) return
    if (i === this.#activityCount) {
      const total = value + this.fairness(sessions)
      if (total > this.#best + EPSILON) {
        this.#best = total
        this.#keepStack()
      }
      return
    }
    const bound =
      value + this.#suffixValue[i] + this.fairness(Math.min(sessions + this.#suffixSessions[i], this.#maxSessions))
    if (bound <= this.#best + EPSILON) return
    const slotStamp = this.#slotStamp
    for (let j = this.#optionStart[i], end = this.#optionStart[i + 1]; j < end; j++) {
      const k = this.#options[j]
      const g = m.candGroup[k]
      const groupSessions = m.groupSessions[g]
      if (sessions + groupSessions > this.#maxSessions) continue
      const slots = m.groupSlots[g]
      let clash = false
      for (const s of slots)
        if (slotStamp[s] === stamp) {
          clash = true
          break
        }
      if (clash) continue
      for (const s of slots) slotStamp[s] = stamp
      this.#stack[this.#stackSize++] = k
      this.#search(i + 1, value + this.searchValue[k], sessions + groupSessions, stamp)
      this.#stackSize--
      for (const s of slots) slotStamp[s] = 0
    }
    this.#search(i + 1, value, sessions, stamp)
  }

  /** Moves p to the timetable left in `choice` by the last best response for p. */
  applyChoice(p: number): void {
    const choice = this.choice
    const held = this.held[p]
    for (let i = held.length - 1; i >= 0; i--) {
      const k = held[i]
      if (!choice.includes(k)) this.remove(p, k)
    }
    for (const k of choice) if (!this.held[p].includes(k)) this.add(p, k)
  }

  /** Re-times p by best response if that strictly improves p; returns the gain. */
  improve(p: number, mode: ResponseMode = NO_MODE): number {
    const best = this.bestResponse(p, mode)
    const gain = best - this.value[p]
    if (gain > EPSILON) {
      this.applyChoice(p)
      return gain
    }
    return 0
  }

  /** Takes p out of every group, minimum sizes notwithstanding (the caller repairs them). */
  clear(p: number): void {
    const held = this.held[p]
    while (held.length > 0) this.remove(p, held[held.length - 1])
  }

  /** Groups that are running below their minimum size. */
  groupsBelowMinimum(): number[] {
    const result: number[] = []
    for (let g = 0; g < this.model.groupCount; g++)
      if (this.size[g] > 0 && this.size[g] < this.model.groupMinSize[g]) result.push(g)
    return result
  }
}

export { EPSILON }
