/** R5: timetables as people and officers read them: a person's week, and who goes where from a wing. */
import { DEFAULT_SLOTS } from '../../allocator/index.ts'
import type { Actor } from '../../platform/permissions.ts'
import * as store from './store.ts'
import type { AllocationDeps } from './deps.ts'

/** For attendance and the timetable tab: a person's current groups, with where and when they meet. */
export async function timetableFor({ db }: AllocationDeps, personId: string) {
  return store.personGroups(db, personId)
}

/** R5: a person's weekly timetable, for their record and their printed copy. */
export async function viewPersonTimetable(deps: AllocationDeps, actor: Actor, prisonNumber: string) {
  const { db, people } = deps
  const person = await people.personHeader(actor, prisonNumber)
  const groups = await store.personGroups(db, person.id)
  return { person, groups, sessions: groups.reduce((sum, group) => sum + group.slots.length, 0) }
}

/** R5: for officers, who goes where from a wing in one session, by destination. */
export async function movementList(
  { db }: AllocationDeps,
  actor: Actor,
  wingCode: string | undefined,
  slot: string | undefined,
) {
  const [wings, usable] = await Promise.all([
    store.wingsAt(db, actor.establishmentCode),
    store.usableSlots(db, actor.establishmentCode),
  ])
  const wing = wings.find((candidate) => candidate.code === wingCode) ?? null
  const slots = DEFAULT_SLOTS.filter((candidate) => usable.includes(candidate))
  const chosenSlot = slot && slots.includes(slot) ? slot : null
  const movements =
    wing && chosenSlot ? await store.movementsFrom(db, actor.establishmentCode, wing.code, chosenSlot) : []
  const destinations = new Map<
    string,
    { groupId: string; activityName: string; groupCode: string; location: string; people: typeof movements }
  >()
  for (const movement of movements) {
    const destination = destinations.get(movement.groupId) ?? {
      groupId: movement.groupId,
      activityName: movement.activityName,
      groupCode: movement.groupCode,
      location: movement.location,
      people: [],
    }
    destination.people.push(movement)
    destinations.set(movement.groupId, destination)
  }
  return { wings, slots, wing, slot: chosenSlot, destinations: [...destinations.values()], count: movements.length }
}
