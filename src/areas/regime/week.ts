/** R2: the usable day, which of the week's 21 slots run at the prison, and when. */
import type { Actor } from '../../platform/permissions.ts'
import { allocatorGroupId, usableDayProblems, type Refusal, type UsableSlot } from './rules.ts'
import * as store from './store.ts'
import { establishmentOrThrow, holdWeek, type RegimeDeps } from './deps.ts'

/** R2: the usable day: which of the 21 slots run, and when. */
export async function viewUsableDay(deps: RegimeDeps, actor: Actor) {
  const { db } = deps
  const [establishment, day] = await Promise.all([
    establishmentOrThrow(db, actor.establishmentCode),
    store.usableDay(db, actor.establishmentCode),
  ])
  return { establishment, usableDay: day }
}

/** A slot an active group meets in cannot be taken out of the day until the group moves. */
export async function saveUsableDay(deps: RegimeDeps, actor: Actor, slots: readonly UsableSlot[]): Promise<Refusal[]> {
  const { db, audit } = deps
  return db.transaction().execute(async (trx) => {
    const problems = usableDayProblems(slots)
    if (problems.length > 0) return problems
    const kept = new Set(slots.map((slot) => slot.slot))
    await holdWeek(trx, actor.establishmentCode)
    const stranded = (await store.groupsUsingSlots(trx, actor.establishmentCode)).filter((group) =>
      group.slots.some((slot) => !kept.has(slot)),
    )
    if (stranded.length > 0)
      return [
        {
          field: 'slots',
          messageKey: 'regime.usableDay.error.inUse',
          values: {
            // The first five by name, and an ellipsis where there are more.
            groups: [
              ...stranded.slice(0, 5).map((group) => allocatorGroupId(group.activityCode, group.code)),
              ...(stranded.length > 5 ? ['…'] : []),
            ].join(', '),
            count: stranded.length,
          },
        },
      ]
    await store.replaceUsableDay(trx, actor.establishmentCode, slots)
    await audit.record(trx, actor, { action: 'regime.usable-day-saved', details: { slots: slots.length } })
    return []
  })
}
