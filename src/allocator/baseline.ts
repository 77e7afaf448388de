import { buildModel } from './model.ts'
import type { Problem, Timetable } from './problem.ts'
import { toTimetable } from './solver.ts'
import { AllocationState } from './state.ts'

/**
 * First-come waiting lists, which is what allocation by hand amounts to: people in id order take, for
 * each activity they want (highest weight first), the first group in the offer's order that has room and
 * breaks no rule. Groups left below their minimum size then do not run. The bar the solver must clear.
 */
export function allocateFirstCome(problem: Problem): Timetable {
  const model = buildModel(problem)
  const state = new AllocationState(model)
  const people = Array.from({ length: model.personCount }, (_, p) => p).sort((a, b) =>
    problem.people[a].id < problem.people[b].id ? -1 : problem.people[a].id > problem.people[b].id ? 1 : 0,
  )
  for (const p of people) {
    const candidates = []
    for (let k = model.candStart[p]; k < model.candStart[p + 1]; k++) candidates.push(k)
    // Weight first, then the activity's and the group's place in the offer.
    candidates.sort((a, b) => model.candWant[b] - model.candWant[a] || model.candGroup[a] - model.candGroup[b])
    const taken = new Set<number>()
    for (const k of candidates) {
      const g = model.candGroup[k]
      const activity = model.groupActivity[g]
      if (taken.has(activity)) continue
      if (state.sessions[p] + model.groupSessions[g] > model.personMaxSessions[p]) continue
      if (model.groupSlots[g].some((s) => state.slotOwner[p * model.slotCount + s] >= 0)) continue
      if (!state.canJoin(p, g, false, true)) continue
      state.add(p, k)
      taken.add(activity)
    }
  }
  for (const g of state.groupsBelowMinimum())
    for (const p of [...state.members[g]]) state.remove(p, state.heldCandidate(p, g))
  return toTimetable(state)
}
