import type { Problem } from './problem.ts'

/**
 * A problem turned into integer indices and typed arrays. Every person's candidate groups (those the
 * rules could ever allow them: wanted, admitting their cohort, clear of their unavailable slots and
 * within their most sessions) are listed once, grouped by activity, so the solver never looks at the rest.
 */
export type Model = {
  problem: Problem
  personCount: number
  groupCount: number
  slotCount: number
  cohortCount: number
  target: number
  fairnessWeight: number
  groupIds: string[]
  groupActivity: Int32Array
  groupSlots: Int32Array[]
  /** Each group's first slot (membership is read from the person's slot owners there). */
  groupFirstSlot: Int32Array
  /** Each group's slots as a bit mask, when the week has at most 32 slots (`slotMasks`). */
  groupMask: Int32Array
  slotMasks: boolean
  activityCount: number
  groupSessions: Int32Array
  groupCapacity: Int32Array
  groupMinSize: Int32Array
  /** cohortSeparated[a * cohortCount + b] is 1 when cohorts a and b never share a group. */
  cohortSeparated: Uint8Array
  /** For each cohort, the cohorts it is separated from. */
  cohortSeparatedList: Int32Array[]
  personCohort: Int32Array
  personMaxSessions: Int32Array
  personSeparated: Int32Array[]
  /** Candidates of person p are candStart[p] .. candStart[p + 1] - 1, contiguous by activity. */
  candStart: Int32Array
  candGroup: Int32Array
  /** Want weight plus the continuity bonus when the person is in the group now. */
  candValue: Float64Array
  candWant: Float64Array
  candCurrent: Uint8Array
  /** For each group, the candidate indices that name it (the people who could ever join it). */
  groupCands: Int32Array[]
  /** For each group, the cohorts of the people who could ever join it, each once, in the order of `groupCands`. */
  groupCandCohorts: Int32Array[]
  /** For each activity, its groups in index order (an activity's groups are contiguous). */
  activityGroups: Int32Array[]
  /** For each activity, the people who could ever join one of its groups, each once, in the order of its groups' `groupCands`. */
  activityCandPeople: Int32Array[]
  candPerson: Int32Array
}

export function buildModel(problem: Problem): Model {
  const slotIndex = new Map(problem.slots.map((slot, index) => [slot, index]))
  const cohortIndex = new Map<string, number>()
  const cohortOf = (cohort: string) => {
    if (!cohortIndex.has(cohort)) cohortIndex.set(cohort, cohortIndex.size)
    return cohortIndex.get(cohort)!
  }
  for (const person of problem.people) cohortOf(person.cohort)
  for (const pair of problem.separations.cohorts) pair.forEach(cohortOf)

  const groupIds: string[] = []
  const groupActivityList: number[] = []
  const groupSlots: Int32Array[] = []
  const groupCapacityList: number[] = []
  const groupMinSizeList: number[] = []
  const groupCohorts: (Set<string> | undefined)[] = []
  const groupIndex = new Map<string, number>()
  const activityGroups: number[][] = []
  problem.activities.forEach((activity, activityIndex) => {
    activityGroups.push([])
    for (const group of activity.groups) {
      groupIndex.set(group.id, groupIds.length)
      activityGroups[activityIndex].push(groupIds.length)
      groupIds.push(group.id)
      groupActivityList.push(activityIndex)
      groupSlots.push(Int32Array.from(group.slots.map((slot) => slotIndex.get(slot)!)))
      groupCapacityList.push(group.capacity)
      groupMinSizeList.push(group.minSize)
      groupCohorts.push(group.cohorts ? new Set(group.cohorts) : undefined)
    }
  })
  const activityIndex = new Map(problem.activities.map((activity, index) => [activity.id, index]))
  const groupCount = groupIds.length
  const groupSessions = Int32Array.from(groupSlots.map((slots) => slots.length))

  const cohortCount = cohortIndex.size
  const cohortSeparated = new Uint8Array(cohortCount * cohortCount)
  for (const [a, b] of problem.separations.cohorts) {
    cohortSeparated[cohortOf(a) * cohortCount + cohortOf(b)] = 1
    cohortSeparated[cohortOf(b) * cohortCount + cohortOf(a)] = 1
  }
  const cohortSeparatedList = Array.from({ length: cohortCount }, (_, a) =>
    Int32Array.from(
      Array.from({ length: cohortCount }, (__, b) => b).filter((b) => cohortSeparated[a * cohortCount + b]),
    ),
  )

  const personIndex = new Map(problem.people.map((person, index) => [person.id, index]))
  const separatedLists: number[][] = problem.people.map(() => [])
  for (const [a, b] of problem.separations.people) {
    const ia = personIndex.get(a)!
    const ib = personIndex.get(b)!
    if (!separatedLists[ia].includes(ib)) separatedLists[ia].push(ib)
    if (!separatedLists[ib].includes(ia)) separatedLists[ib].push(ia)
  }

  const candStart = new Int32Array(problem.people.length + 1)
  const candGroupList: number[] = []
  const candValueList: number[] = []
  const candWantList: number[] = []
  const candCurrentList: number[] = []
  const candPersonList: number[] = []
  problem.people.forEach((person, p) => {
    candStart[p] = candGroupList.length
    const unavailable = new Set(person.unavailable.map((slot) => slotIndex.get(slot)!))
    const current = new Set(person.current)
    const perActivity: { best: number; entries: { g: number; value: number; want: number; current: number }[] }[] = []
    for (const [activityId, want] of Object.entries(person.wants)) {
      const entries = []
      for (const g of activityGroups[activityIndex.get(activityId)!]) {
        const cohorts = groupCohorts[g]
        if (cohorts && !cohorts.has(person.cohort)) continue
        if (groupSessions[g] > person.maxSessions) continue
        if (groupSlots[g].some((slot) => unavailable.has(slot))) continue
        if (groupCapacityList[g] === 0) continue
        const isCurrent = current.has(groupIds[g]) ? 1 : 0
        entries.push({ g, value: want + isCurrent * problem.continuityBonus, want, current: isCurrent })
      }
      if (entries.length === 0) continue
      entries.sort((a, b) => b.value - a.value || a.g - b.g)
      perActivity.push({ best: entries[0].value, entries })
    }
    // Highest-value activities first: the person's search then finds its good timetables early.
    perActivity.sort((a, b) => b.best - a.best || a.entries[0].g - b.entries[0].g)
    for (const { entries } of perActivity)
      for (const entry of entries) {
        candGroupList.push(entry.g)
        candValueList.push(entry.value)
        candWantList.push(entry.want)
        candCurrentList.push(entry.current)
        candPersonList.push(p)
      }
  })
  candStart[problem.people.length] = candGroupList.length
  const groupCandLists: number[][] = Array.from({ length: groupCount }, () => [])
  candGroupList.forEach((g, k) => groupCandLists[g].push(k))
  const personCohort = Int32Array.from(problem.people.map((person) => cohortOf(person.cohort)))
  const distinct = (lists: number[][]) => lists.map((list) => Int32Array.from(new Set(list)))

  return {
    problem,
    personCount: problem.people.length,
    groupCount,
    slotCount: problem.slots.length,
    cohortCount,
    target: problem.fairness.targetSessions,
    fairnessWeight: problem.fairness.weight,
    groupIds,
    groupActivity: Int32Array.from(groupActivityList),
    groupSlots,
    groupFirstSlot: Int32Array.from(groupSlots, (slots) => (slots.length > 0 ? slots[0] : 0)),
    groupMask: Int32Array.from(groupSlots, (slots) =>
      problem.slots.length <= 32 ? slots.reduce((mask, slot) => mask | (1 << slot), 0) : 0,
    ),
    slotMasks: problem.slots.length <= 32,
    activityCount: problem.activities.length,
    groupSessions,
    groupCapacity: Int32Array.from(groupCapacityList),
    groupMinSize: Int32Array.from(groupMinSizeList),
    cohortSeparated,
    cohortSeparatedList,
    personCohort,
    personMaxSessions: Int32Array.from(problem.people.map((person) => person.maxSessions)),
    personSeparated: separatedLists.map((list) => Int32Array.from(list)),
    candStart,
    candGroup: Int32Array.from(candGroupList),
    candValue: Float64Array.from(candValueList),
    candWant: Float64Array.from(candWantList),
    candCurrent: Uint8Array.from(candCurrentList),
    groupCands: groupCandLists.map((list) => Int32Array.from(list)),
    groupCandCohorts: distinct(groupCandLists.map((list) => list.map((k) => personCohort[candPersonList[k]]))),
    activityGroups: activityGroups.map((groups) => Int32Array.from(groups)),
    activityCandPeople: distinct(
      activityGroups.map((groups) => groups.flatMap((g) => groupCandLists[g].map((k) => candPersonList[k]))),
    ),
    candPerson: Int32Array.from(candPersonList),
  }
}
