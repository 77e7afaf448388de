/**
 * Issue 14, F1: a worry from family or friends that no one has matched in the time the prison gives a concern of
 * the same urgency is told, once, to the safer custody leads and the governors on duty: a worry about someone at
 * risk must not wait unseen on a list because the one notification sent went to someone who was busy or away.
 */
import { escalatesAt } from './rules.ts'
import * as store from './store.ts'
import { HOUR, system, type FamiliesDeps } from './deps.ts'

/**
 * Worries older than this are not weighed: the longest time a prison may give a concern is a week (S1's policy
 * limits), so any worry past it has been escalated or was matched, and the list shows thirty days.
 */
const WEIGHED_DAYS = 8

/**
 * Escalates every worry past its prison's time, each in a transaction with its notification. One whose prison has
 * no safer custody lead or governor on duty is left to be weighed again next minute: escalated is told. One that
 * fails is left too, after the others are weighed, and the sweep then fails with it. Returns how many escalated.
 */
export async function escalateUnmatched(deps: FamiliesDeps, now: Date): Promise<number> {
  const { db, concerns } = deps
  const waiting = await store.unmatchedSince(db, new Date(now.getTime() - WEIGHED_DAYS * 24 * HOUR))
  const policies = new Map<string, Awaited<ReturnType<typeof concerns.policyFor>>>()
  let escalated = 0
  const failures: unknown[] = []
  for (const worry of waiting) {
    if (!policies.has(worry.establishmentCode))
      policies.set(worry.establishmentCode, await concerns.policyFor(worry.establishmentCode))
    if (escalatesAt(worry.receivedAt, worry.howSoon, policies.get(worry.establishmentCode)!) > now) continue
    try {
      if (await escalate(deps, worry, now)) escalated += 1
    } catch (error) {
      failures.push(error)
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} worries could not be escalated`)
  return escalated
}

async function escalate(
  deps: FamiliesDeps,
  worry: Awaited<ReturnType<typeof store.unmatchedSince>>[number],
  now: Date,
): Promise<boolean> {
  const { db, audit, notifications, staff } = deps
  return db.transaction().execute(async (trx) => {
    const onDuty = await staff.listStaffOnDuty(worry.establishmentCode, trx)
    const told = onDuty.filter((member) => member.role === 'safercustody' || member.role === 'governor')
    if (told.length === 0) return false
    // A second worker weighing the same worry finds it taken, and tells no one.
    if (!(await store.claimEscalation(trx, worry.id, now))) return false
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
    return true
  })
}
