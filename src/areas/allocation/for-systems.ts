import { DEFAULT_SLOTS } from '../../allocator/index.ts'
import type { ApiCaller } from '../../platform/api-callers.ts'
import { NotFound } from '../../platform/errors.ts'
import type { AllocationDeps } from './deps.ts'
import * as store from './store.ts'
import * as systems from './store/for-systems.ts'

/**
 * Issue 15, R5: a person's accepted weekly timetable for the prison's other systems (a wing kiosk, the
 * movements board): each session of the week, with its activity, slot, times and where it meets, in the week's
 * order. The groups are those the timetable tab shows; no one else's name travels. Audited with the client by
 * platform.
 */
export async function timetableForSystems(deps: AllocationDeps, caller: ApiCaller, prisonNumber: string) {
  const { db } = deps
  const person = await systems.personOnRollAt(db, caller.establishmentCode, prisonNumber)
  if (!person) throw new NotFound('No one with that prison number at the Caseload-Id prison')
  const [groups, times] = await Promise.all([
    store.personGroups(db, person.id),
    systems.slotTimesAt(db, caller.establishmentCode),
  ])
  const order = (slot: string) => {
    const index = DEFAULT_SLOTS.indexOf(slot)
    return index === -1 ? DEFAULT_SLOTS.length : index
  }
  const sessions = groups
    .flatMap((group) =>
      group.slots.map((slot) => ({
        day: slot.slice(0, 3),
        slot,
        startsAt: times.get(slot)?.startsAt ?? null,
        endsAt: times.get(slot)?.endsAt ?? null,
        activityCode: group.activityCode,
        activityName: group.activityName,
        groupCode: group.groupCode,
        location: group.location,
        allocatedFrom: group.startsOn,
      })),
    )
    .sort((a, b) => order(a.slot) - order(b.slot) || a.activityName.localeCompare(b.activityName))
  return { prisonNumber: person.prisonNumber, sessionsPerWeek: sessions.length, sessions }
}
