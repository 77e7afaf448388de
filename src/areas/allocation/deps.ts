import type { PlatformDeps } from '../../platform/use-cases.ts'
import type { Refusal } from '../../platform/forms.ts'
import type { Timetable } from '../../allocator/index.ts'
import type { Db } from '../../db/database.ts'
import { NotFound } from '../../platform/errors.ts'
import { holdUntilCommit } from '../../platform/locks.ts'
import type { Jobs } from '../../platform/jobs.ts'
import type { Events } from '../../platform/events.ts'
import type { Notifications } from '../../platform/notifications.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { PeopleService } from '../people/service.ts'
import { buildProblem, groupIdOf, type ChangeRefusal, type ProblemOverrides } from './rules.ts'
import * as store from './store.ts'

// A run's settings live here rather than in runs.ts, so that runs.ts exports only use cases and service.ts can
// bind the module whole.
export const RUN_QUEUE = 'allocation:run'
export const DEFAULT_TIME_BUDGET_MS = 3000

/** The error kept on a run whose worker's process ended while it built or solved the run. */
export const RUN_STOPPED_ERROR = 'Stopped: the process working on the run ended before it finished'

/** What every allocation use case is given: built once, in app.ts. */
export type AllocationDeps = PlatformDeps & {
  people: PeopleService
  jobs: Jobs
  notifications: Notifications
  /** Issue 15: an accepted timetable is told, by ids and counts, to the systems that subscribe to events. */
  events?: Pick<Events, 'publish'> | undefined
}

/** A problem a manager can put right, as a message key with its values (a field to point at, if any). */

/**
 * Holds the prison's timetable until the transaction ends. A change by hand and an acceptance each read the
 * timetable, check the rules against it and write it back: two at once would each pass against the timetable
 * before the other, and the prison would get a group over its capacity, or one change undone by the other.
 */
export async function holdTimetable(trx: Db, establishmentCode: string) {
  await holdUntilCommit(trx, `timetable:${establishmentCode}`)
}

export async function problemFor(
  deps: AllocationDeps,
  establishmentCode: string,
  overrides: ProblemOverrides = {},
  trx: Db = deps.db,
) {
  const { clock } = deps
  return buildProblem(await store.regimeFacts(trx, establishmentCode), clock.today(), overrides)
}

/** A run at the user's prison, or NotFound: a run elsewhere is not confirmed to exist. */
export async function runAt({ db }: AllocationDeps, actor: Actor, runId: string) {
  const run = await store.findRun(db, runId)
  if (!run || run.establishmentCode !== actor.establishmentCode) throw new NotFound()
  return run
}

/**
 * Names for the broken rules and the groups gone: group id to activity name and group. A violation keeps its
 * prison numbers as they are, so naming one reads no roll: the roll was most of the recheck page's reading.
 */
export async function groupLabels({ db }: AllocationDeps, establishmentCode: string) {
  const names = await store.activityNames(db, establishmentCode)
  return {
    group: (groupId: string) => {
      const [activityCode, groupCode] = groupId.split('/') as [string, string]
      return `${names.get(activityCode) ?? activityCode}/${groupCode}`
    },
    activity: (activityCode: string) => names.get(activityCode) ?? activityCode,
  }
}

/** Names for the review: prison number to name, besides the groups' and activities' names. */
export async function labels(deps: AllocationDeps, establishmentCode: string) {
  const [everyone, groups] = await Promise.all([
    deps.people.listPeopleAt(establishmentCode),
    groupLabels(deps, establishmentCode),
  ])
  const byNumber = new Map(everyone.map((person) => [person.prisonNumber, person]))
  return {
    ...groups,
    person: (prisonNumber: string) => {
      const person = byNumber.get(prisonNumber)
      return person ? `${person.lastName}, ${person.firstName} (${prisonNumber})` : prisonNumber
    },
    personRecord: (prisonNumber: string) => byNumber.get(prisonNumber),
  }
}

export type { Refusal }

export type Labels = Awaited<ReturnType<typeof groupLabels>>

/** Replaces the ids in a refusal's values with the names a manager knows them by. */
export function named(refusal: ChangeRefusal, label: Labels, field: string): Refusal {
  const values = { ...refusal.values }
  for (const key of ['group', 'other'] as const)
    if (typeof values[key] === 'string' && values[key].includes('/')) values[key] = label.group(values[key])
  if (typeof values.activity === 'string') values.activity = label.activity(values.activity)
  return { field, messageKey: refusal.messageKey, values }
}

/**
 * Writes a timetable into `activity_allocation`: closes what it drops, opens what it adds. Answers how many
 * places opened and closed, and for each person on the prison's roll whose groups changed, how many they
 * joined and left.
 */
export async function saveTimetable(
  deps: AllocationDeps,
  trx: Db,
  actor: Actor | null,
  establishmentCode: string,
  timetable: Timetable,
  runId: string | null,
) {
  const { clock } = deps
  const [current, everyone, groups] = await Promise.all([
    store.currentAllocationsAt(trx, establishmentCode),
    store.prisonNumbersAt(trx, establishmentCode),
    store.groupsAt(trx, establishmentCode),
  ])
  const numberOf = new Map(everyone.map((person) => [person.id, person.prisonNumber]))
  const groupIdOfUuid = new Map(groups.map((group) => [group.id, groupIdOf(group.activityCode, group.code)]))
  // Every current place in the prison's groups that the timetable does not hold ends, a person moved away included.
  const wanted = new Set(timetable.assignments.map(({ person, group }) => `${person}\n${group}`))
  const held = new Set<string>()
  const ending: string[] = []
  for (const row of current) {
    const key = `${numberOf.get(row.personId) ?? ''}\n${groupIdOfUuid.get(row.groupUuid) ?? ''}`
    if (wanted.has(key) && !held.has(key)) held.add(key)
    else ending.push(row.id)
  }
  const personIdOf = new Map(everyone.map((person) => [person.prisonNumber, person.id]))
  const groupUuidOf = new Map(groups.map((group) => [groupIdOf(group.activityCode, group.code), group.id]))
  const opening = timetable.assignments
    .filter(({ person, group }) => !held.has(`${person}\n${group}`))
    .map(({ person, group }) => ({ personId: personIdOf.get(person)!, groupUuid: groupUuidOf.get(group)! }))
  const changed = new Map<string, { personId: string; joined: number; left: number }>()
  const changeOf = (personId: string) => changed.get(personId) ?? { personId, joined: 0, left: 0 }
  const ends = new Set(ending)
  for (const row of current)
    if (ends.has(row.id) && numberOf.has(row.personId)) {
      const change = changeOf(row.personId)
      changed.set(row.personId, { ...change, left: change.left + 1 })
    }
  for (const { personId } of opening) {
    const change = changeOf(personId)
    changed.set(personId, { ...change, joined: change.joined + 1 })
  }
  const today = clock.today()
  await store.endAllocations(trx, ending, today, runId ? 'allocation-run' : 'manual')
  await store.insertAllocations(trx, opening, {
    startsOn: today,
    createdAt: clock.now(),
    createdBy: actor?.id ?? null,
    runId,
  })
  return { joined: opening.length, left: ending.length, people: [...changed.values()] }
}
