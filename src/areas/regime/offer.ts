/** R2, R4: the prison's offer. Its activities, the needs each meets, and the groups that run them. */
import type { Db } from '../../db/database.ts'
import { NotFound } from '../../platform/errors.ts'
import type { Actor } from '../../platform/permissions.ts'
import { cohorts } from '../people/rules.ts'
import {
  activityProblems,
  allocatorGroupId,
  groupProblems,
  type ActivityInput,
  type GroupInput,
  type Need,
  type Refusal,
} from './rules.ts'
import * as store from './store.ts'
import { activityOrThrow, establishmentOrThrow, holdWeek, providerProblems, type RegimeDeps } from './deps.ts'

export function listOrganisations(deps: RegimeDeps) {
  return deps.staff.listOrganisations()
}

/** For the demo and the allocation helper's tests: the need map of a prison. */
export function needActivities(deps: RegimeDeps, establishmentCode: string) {
  return store.needActivities(deps.db, establishmentCode)
}

/** The activity catalogue of the user's prison, by category then name. */
export async function viewOffer(
  deps: RegimeDeps,
  actor: Actor,
  filter: { category?: string | undefined; includeRetired?: boolean },
) {
  const { db } = deps
  const [establishment, activities, day] = await Promise.all([
    establishmentOrThrow(db, actor.establishmentCode),
    store.listActivities(db, actor.establishmentCode, filter),
    store.usableDay(db, actor.establishmentCode),
  ])
  return { establishment, activities, usableSlotCount: day.length }
}

/** R2: adds an activity and the needs it meets, or returns what to put right and saves nothing. */
export async function addActivity(
  deps: RegimeDeps,
  actor: Actor,
  activity: ActivityInput,
  needs: readonly Need[],
): Promise<Refusal[]> {
  const { db, clock, audit } = deps
  // Before the transaction: the staff service reads on its own connection, which on PGlite (one
  // connection) would wait for this transaction for ever.
  const providerRefusals = await providerProblems(deps, activity.providerOrganisationId)
  return db.transaction().execute(async (trx) => {
    const problems = [
      ...activityProblems(activity, { codesInUse: await store.activityCodes(trx, actor.establishmentCode) }),
      ...providerRefusals,
    ]
    if (problems.length > 0) return problems
    const id = await store.insertActivity(trx, actor.establishmentCode, activity, clock.now())
    await store.replaceNeedsOfActivity(trx, actor.establishmentCode, id, needs)
    await audit.record(trx, actor, { action: 'regime.activity-added', details: { activityId: id } })
    return []
  })
}

/** An activity with its groups (each with the allocator's id) and the needs it meets. */
export async function viewActivity(deps: RegimeDeps, actor: Actor, code: string) {
  const { db } = deps
  const activity = await activityOrThrow(db, actor, code)
  const [groups, needs, day] = await Promise.all([
    store.groupsOf(db, activity.id),
    store.needsOfActivity(db, activity.id),
    store.usableDay(db, actor.establishmentCode),
  ])
  return {
    activity,
    groups: groups.map((group) => ({ ...group, allocatorId: allocatorGroupId(activity.code, group.code) })),
    needs,
    usableDay: day,
  }
}

export async function editActivity(
  deps: RegimeDeps,
  actor: Actor,
  code: string,
  activity: Omit<ActivityInput, 'code'>,
  needs: readonly Need[],
): Promise<Refusal[]> {
  const { db, audit } = deps
  // Before the transaction, as in addActivity.
  const problems = await providerProblems(deps, activity.providerOrganisationId)
  return db.transaction().execute(async (trx) => {
    const existing = await activityOrThrow(trx, actor, code)
    if (problems.length > 0) return problems
    await store.updateActivity(trx, existing.id, activity)
    await store.replaceNeedsOfActivity(trx, actor.establishmentCode, existing.id, needs)
    await audit.record(trx, actor, { action: 'regime.activity-changed', details: { activityId: existing.id } })
    return []
  })
}

/** Retired, not deleted: past allocations and attendance still name it. Its groups retire with it. */
export async function retireActivity(deps: RegimeDeps, actor: Actor, code: string): Promise<void> {
  const { db, audit } = deps
  await db.transaction().execute(async (trx) => {
    const activity = await activityOrThrow(trx, actor, code)
    await store.setActivityActive(trx, activity.id, false)
    await store.retireGroupsOf(trx, activity.id)
    await audit.record(trx, actor, { action: 'regime.activity-retired', details: { activityId: activity.id } })
  })
}

/** A group of one of the prison's activities, by its code; a group it does not have does not exist. */
async function groupOrThrow(trx: Db, actor: Actor, activityCode: string, groupCode: string) {
  const activity = await activityOrThrow(trx, actor, activityCode)
  const group = (await store.groupsOf(trx, activity.id)).find((row) => row.code === groupCode)
  if (!group) throw new NotFound()
  return { activity, group }
}

/** R4: what is wrong with a group: a session outside the prison's usable day, a code its activity already uses. */
async function problemsWithGroup(trx: Db, actor: Actor, group: GroupInput, codesInUse: readonly string[]) {
  await holdWeek(trx, actor.establishmentCode)
  const day = await store.usableDay(trx, actor.establishmentCode)
  return groupProblems(group, { usableSlots: day.map((slot) => slot.slot), codesInUse, cohorts })
}

/** R4: a group in the usable day, its minimum from the local risk assessment no more than its capacity. */
export async function addGroup(
  deps: RegimeDeps,
  actor: Actor,
  activityCode: string,
  group: GroupInput,
): Promise<Refusal[]> {
  const { db, audit } = deps
  return db.transaction().execute(async (trx) => {
    const activity = await activityOrThrow(trx, actor, activityCode)
    const codesInUse = (await store.groupsOf(trx, activity.id)).map((row) => row.code)
    const problems = await problemsWithGroup(trx, actor, group, codesInUse)
    if (problems.length > 0) return problems
    await store.insertGroup(trx, activity.id, group)
    await audit.record(trx, actor, {
      action: 'regime.group-added',
      details: { activityId: activity.id, group: group.code },
    })
    return []
  })
}

export async function findGroup(deps: RegimeDeps, actor: Actor, activityCode: string, groupCode: string) {
  const { db } = deps
  const { activity, group } = await groupOrThrow(db, actor, activityCode, groupCode)
  return { activity, group, usableDay: await store.usableDay(db, actor.establishmentCode) }
}

export async function editGroup(
  deps: RegimeDeps,
  actor: Actor,
  activityCode: string,
  groupCode: string,
  group: GroupInput,
): Promise<Refusal[]> {
  const { db, audit } = deps
  return db.transaction().execute(async (trx) => {
    const { activity, group: existing } = await groupOrThrow(trx, actor, activityCode, groupCode)
    const problems = await problemsWithGroup(trx, actor, { ...group, code: groupCode }, [])
    if (problems.length > 0) return problems
    await store.updateGroup(trx, existing.id, group)
    await audit.record(trx, actor, {
      action: 'regime.group-changed',
      details: { activityId: activity.id, group: groupCode },
    })
    return []
  })
}

export async function retireGroup(
  deps: RegimeDeps,
  actor: Actor,
  activityCode: string,
  groupCode: string,
): Promise<void> {
  const { db, audit } = deps
  await db.transaction().execute(async (trx) => {
    const { activity, group: existing } = await groupOrThrow(trx, actor, activityCode, groupCode)
    await store.setGroupActive(trx, existing.id, false)
    await audit.record(trx, actor, {
      action: 'regime.group-retired',
      details: { activityId: activity.id, group: groupCode },
    })
  })
}
