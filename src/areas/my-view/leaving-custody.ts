/** C1: the person's own view when they leave custody or move to another prison. */
import type { EventListener, EventType, PublishedEvent } from '../../platform/events.ts'
import type { MyViewDeps } from './deps.ts'
import * as store from './store.ts'

/** C1: closes the account on leaving custody (not on a transfer) and ends its sessions, audited as the change. */
async function closeAccountOnLeaving(
  deps: MyViewDeps,
  event: PublishedEvent<EventType>,
  personId: string,
  reason: 'release' | 'transfer',
) {
  const { db, audit } = deps
  await db.transaction().execute(async (trx) => {
    const accountId = reason === 'release' ? await store.closeAccountOf(trx, personId) : null
    const sessionsEnded = await store.endSessionsOf(trx, personId)
    if (accountId || sessionsEnded > 0)
      await audit.record(trx, event.by, {
        action: accountId ? 'person-account.closed' : 'person-account.sessions-ended',
        personId,
        establishmentCode: event.establishmentCode ?? undefined,
        details: { reason, sessionsEnded, event: event.id },
      })
  })
}

/**
 * C1: a person leaving custody loses their own view, told by the journey (a release) or the measures (a
 * death in custody). The account closes and every session ends, so a laptop or kiosk left signed in is
 * theirs no more and /my/sign-in refuses them with the same words as for a wrong password.
 *
 * A transfer ends their sessions but keeps the account. It belongs to the person, not to a prison: the view
 * reads their prison from their record, so at the receiving prison it shows that prison's timetable and
 * officer and nothing of the sending one. Waymark has no way for a prison to open an account (one person,
 * one account), so closing it would leave them without a view until someone edits the database. The
 * sessions still end: the sending prison's devices are not theirs to use any more.
 */
export function leavingCustodyListeners(deps: MyViewDeps) {
  return [
    {
      name: 'my-view.close-account-on-leaving-custody',
      type: 'person.left-custody',
      handle: (event) => closeAccountOnLeaving(deps, event, event.payload.personId, 'release'),
    },
    {
      name: 'my-view.end-sessions-on-transfer',
      type: 'person.transferred',
      handle: (event) => closeAccountOnLeaving(deps, event, event.payload.personId, 'transfer'),
    },
  ] satisfies [EventListener<'person.left-custody'>, EventListener<'person.transferred'>]
}
