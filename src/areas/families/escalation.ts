/**
 * Issue 14, F1: a worry from family or friends that no one has matched in the time the prison gives a concern of
 * the same urgency is told, once, to the safer custody leads and the governors on duty: a worry about someone at
 * risk must not wait unseen on a list because the one notification sent went to someone who was busy or away.
 */
import { escalatesAt } from './rules.ts'
import * as store from './store.ts'
import { HOUR, system, type FamiliesDeps } from './deps.ts'

/** Worries older than the list shows are not escalated: the list is where one is found and matched. */
const WEIGHED_DAYS = 30

/** Escalates every worry past its prison's time, each in a transaction with its notification. Returns how many. */
export async function escalateUnmatched(deps: FamiliesDeps, now: Date): Promise<number> {
  const { db, audit, notifications, concerns, staff } = deps
  const waiting = await store.unmatchedSince(db, new Date(now.getTime() - WEIGHED_DAYS * 24 * HOUR))
  const policies = new Map<string, Awaited<ReturnType<typeof concerns.policyFor>>>()
  let escalated = 0
  for (const worry of waiting) {
    if (!policies.has(worry.establishmentCode))
      policies.set(worry.establishmentCode, await concerns.policyFor(worry.establishmentCode))
    if (escalatesAt(worry.receivedAt, worry.howSoon, policies.get(worry.establishmentCode)!) > now) continue
    await db.transaction().execute(async (trx) => {
      // A second worker weighing the same worry finds it taken, and tells no one.
      if (!(await store.claimEscalation(trx, worry.id, now))) return
      const onDuty = await staff.listStaffOnDuty(worry.establishmentCode, trx)
      const told = onDuty.filter((member) => member.role === 'safercustody' || member.role === 'governor')
      if (told.length > 0)
        await notifications.notify(trx, {
          recipientIds: told.map((member) => member.id),
          establishmentCode: worry.establishmentCode,
          kind: 'family-worry-escalated',
          messageKey: `families.notification.escalated.${worry.howSoon}`,
          params: { reference: worry.reference },
          href: `/family-worries/${worry.id}`,
        })
      await audit.record(trx, system, {
        action: 'family-worry.escalated',
        establishmentCode: worry.establishmentCode,
        details: { familyWorryId: worry.id, notified: told.length },
      })
      escalated += 1
    })
  }
  return escalated
}
