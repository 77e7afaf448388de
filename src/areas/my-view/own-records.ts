/** C1, S3: what is kept about the person that is theirs to see: their timetable and their care plan. */
import type { Actor } from '../../platform/permissions.ts'
import { self, type MyViewDeps } from './deps.ts'
import { twoWeekTimetable } from './rules.ts'

/** S3: whether they have a care plan in progress, for the link on their home page. Not audited: it says no more. */
export async function hasCarePlan(deps: MyViewDeps, actor: Actor): Promise<boolean> {
  const { carePlans } = deps
  return (await carePlans.ownCopyOf(self(actor).id)) !== null
}

/** S3: their own copy of their care plan in progress, or null. Audited. */
export async function carePlan(deps: MyViewDeps, actor: Actor) {
  const { db, audit, carePlans } = deps
  const me = self(actor)
  const copy = await carePlans.ownCopyOf(me.id)
  await audit.record(db, actor, {
    action: 'my-view.care-plan-viewed',
    personId: me.id,
    establishmentCode: actor.establishmentCode,
    details: { inProgress: copy !== null },
  })
  return copy
}

/** Their timetable for this week and next, day by day. Audited. */
export async function timetable(deps: MyViewDeps, actor: Actor) {
  const { db, clock, audit, allocation } = deps
  const me = self(actor)
  const { groups } = await allocation.viewPersonTimetable(actor, me.prisonNumber)
  await audit.record(db, actor, {
    action: 'my-view.timetable-viewed',
    personId: me.id,
    establishmentCode: actor.establishmentCode,
  })
  return { weeks: twoWeekTimetable(groups, clock.today()), today: clock.today() }
}
