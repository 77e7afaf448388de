/** S1: a concern still to act on stays with whoever is responsible for the person, when that changes. */
import type { EventListener, PublishedEvent } from '../../platform/events.ts'
import { holdCustody } from '../../platform/locks.ts'
import * as store from './store.ts'
import { aboutConcern, type ConcernsDeps } from './deps.ts'

/**
 * S1: when a person's dedicated officer's allocation ends (taken off, made unavailable, replaced, a change
 * agreed), their concerns not yet acted on go from that officer to whoever is responsible for them now, who is
 * told; with no one responsible, the safer custody leads on duty are told that no one has them. When an officer
 * is allocated to someone whose concerns no one had, those go to whoever is responsible now. Under the person's
 * custody hold, as a concern is routed when raised, so none is left with the officer who went. A transfer or a
 * release leaves them where they are: they belong to the prison they were raised at, whose leads have them, and
 * the escalation sweep still runs.
 */
export function handingOnListeners(deps: ConcernsDeps) {
  return [
    {
      name: 'concerns.hand-on-when-officer-ends',
      type: 'dedicated-officer.allocation-ended',
      handle: async (event) => {
        const { personId, staffUserId, reason } = event.payload
        if (reason === 'transfer' || reason === 'release') return
        await handOn(deps, event, personId, staffUserId)
      },
    },
    {
      name: 'concerns.hand-on-when-officer-allocated',
      type: 'dedicated-officer.allocated',
      handle: (event) => handOn(deps, event, event.payload.personId, null),
    },
  ] satisfies [EventListener<'dedicated-officer.allocation-ended'>, EventListener<'dedicated-officer.allocated'>]
}

/** The person's unacted concerns at the event's prison routed to `from` (null: to no one), to whoever is responsible now. */
async function handOn(
  deps: ConcernsDeps,
  event: PublishedEvent<'dedicated-officer.allocated' | 'dedicated-officer.allocation-ended'>,
  personId: string,
  from: string | null,
) {
  const { db, audit, journey, notifications, staff } = deps
  const establishmentCode = event.establishmentCode
  if (!establishmentCode) return
  await db.transaction().execute(async (trx) => {
    await holdCustody(trx, personId)
    const responsibility = await journey.responsibilityOf(personId, trx)
    const named = responsibility.kind === 'responsible' ? (responsibility.person?.staffUserId ?? null) : null
    if (named === from) return
    // Told late (a listener tried again), the person may have moved on since: a concern stays with the prison it
    // was raised at, so it goes only to someone on duty there, or to no one and the leads are told.
    const onDutyHere = await staff.listStaffOnDuty(establishmentCode, trx)
    const now = onDutyHere.some((member) => member.id === named) ? named : null
    // Still no one: the leads were told when it was raised, and have it still.
    if (from === null && now === null) return
    const handed = await store.handOn(trx, { personId, establishmentCode, from }, now)
    if (handed.length === 0) return
    // The officer now responsible opens a concern they may read; a sensitive one, only its place in the list.
    const to = now ? [now] : onDutyHere.filter((member) => member.role === 'safercustody').map((lead) => lead.id)
    for (const { id } of handed) {
      const concern = (await store.findConcern(trx, id))!
      if (to.length > 0)
        await notifications.notify(trx, {
          recipientIds: to,
          establishmentCode,
          kind: 'concern-handed-on',
          messageKey: now ? 'concerns.notification.handedOn' : 'concerns.notification.noOneResponsible',
          params: { prisonNumber: concern.prisonNumber, name: `${concern.lastName}, ${concern.firstName}` },
          href: now && !concern.isSensitive ? `/concerns/${concern.id}` : '/concerns',
        })
      await audit.record(
        trx,
        event.by,
        aboutConcern('concern.handed-on', concern, { from, to: now, notified: to.length, event: event.id }),
      )
    }
  })
}
