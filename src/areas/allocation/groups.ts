/** R5, M3: the prison's activity groups: who is in them, changes by hand, and who waits for a place. */
import { activityCategories } from '../../db/schema.ts'
import { NotFound } from '../../platform/errors.ts'
import type { Actor } from '../../platform/permissions.ts'
import { currentTimetable, groupIdOf, manualChangeRefusals } from './rules.ts'
import * as store from './store.ts'
import { holdTimetable, labels, named, problemFor, saveTimetable, type AllocationDeps, type Refusal } from './deps.ts'

/**
 * M3: everyone at a prison waiting for an activity they were assessed as wanting (no place in any group of
 * it now), with their reception and the date of their latest needs assessment. Not audited: no one is named
 * beyond the equality area, which audits its page.
 */
export async function waitingForActivitiesAt({ db }: AllocationDeps, establishmentCode: string) {
  return store.waitingForActivitiesAt(db, establishmentCode)
}

/** M3: sessions a week in each person's current timetable at a prison (people with none are absent). */
export async function sessionsPerWeekAt(
  { db }: AllocationDeps,
  establishmentCode: string,
): Promise<Map<string, number>> {
  const rows = await store.sessionsPerWeekAt(db, establishmentCode)
  return new Map(rows.map((row) => [row.personId, Number(row.sessions)]))
}

/** For attendance and the register: the people in a group now. */
export async function currentGroupMembers({ db }: AllocationDeps, groupId: string) {
  return store.groupMembers(db, groupId)
}

/**
 * The groups at the user's prison with their sizes now, for the registers and for changes by hand: each category of
 * activity first, with how many groups and places taken it has; the groups of the category asked for, if any.
 */
export async function listGroups({ db }: AllocationDeps, actor: Actor, asked: { category?: string | undefined } = {}) {
  const [groups, sizes] = await Promise.all([
    store.groupsAt(db, actor.establishmentCode),
    store.groupSizes(db, actor.establishmentCode),
  ])
  const sized = groups.map((group) => ({ ...group, size: sizes.get(group.id) ?? 0 }))
  const categories = new Map<
    string,
    { category: string; activities: Set<string>; groups: number; placesTaken: number }
  >()
  for (const group of sized) {
    const counted = categories.get(group.category) ?? {
      category: group.category,
      activities: new Set<string>(),
      groups: 0,
      placesTaken: 0,
    }
    counted.activities.add(group.activityId)
    counted.groups += 1
    counted.placesTaken += group.size
    categories.set(group.category, counted)
  }
  const category = asked.category !== undefined && categories.has(asked.category) ? asked.category : null
  return {
    // In the order the regime offer lists its kinds of activity.
    categories: activityCategories.flatMap((kind) => {
      const counted = categories.get(kind)
      return counted ? [{ ...counted, activities: counted.activities.size }] : []
    }),
    category,
    groups: category === null ? [] : sized.filter((group) => group.category === category),
  }
}

/** R5: a group's register: who is in it now, where they live. */
export async function viewGroupRegister({ db }: AllocationDeps, actor: Actor, groupId: string) {
  const group = await store.findGroup(db, groupId)
  if (!group || group.establishmentCode !== actor.establishmentCode) throw new NotFound()
  return { group, members: await store.groupMembers(db, groupId) }
}

/**
 * R5: adds a person to a group, or takes them out, by hand: refused, with the rule and the people or group
 * named, if it breaks any of the allocator's six rules. Audited.
 */
export async function changeGroupMembership(
  deps: AllocationDeps,
  actor: Actor,
  groupId: string,
  prisonNumber: string,
  kind: 'add' | 'remove',
): Promise<Refusal[]> {
  const { db, audit } = deps
  const group = await store.findGroup(db, groupId)
  if (!group || group.establishmentCode !== actor.establishmentCode) throw new NotFound()
  const label = await labels(deps, actor.establishmentCode)
  const person = label.personRecord(prisonNumber.trim().toUpperCase())
  if (!person)
    return [{ field: 'prisonNumber', messageKey: 'allocation.change.error.notFound', values: { prisonNumber } }]
  return db.transaction().execute(async (trx) => {
    await holdTimetable(trx, actor.establishmentCode)
    const problem = await problemFor(deps, actor.establishmentCode, {}, trx)
    const current = currentTimetable(problem)
    const allocatorGroupId = groupIdOf(group.activityCode, group.code)
    const refusals = manualChangeRefusals(problem, current, {
      kind,
      person: person.prisonNumber,
      group: allocatorGroupId,
    })
    if (refusals.length > 0) return refusals.map((refusal) => named(refusal, label, 'prisonNumber'))
    const assignments =
      kind === 'add'
        ? [...current.assignments, { person: person.prisonNumber, group: allocatorGroupId }]
        : current.assignments.filter((a) => !(a.person === person.prisonNumber && a.group === allocatorGroupId))
    await saveTimetable(deps, trx, actor, actor.establishmentCode, { version: 1, assignments }, null)
    await audit.record(trx, actor, {
      action: kind === 'add' ? 'activity-allocation.added' : 'activity-allocation.removed',
      personId: person.id,
      details: { groupId },
    })
    return []
  })
}
