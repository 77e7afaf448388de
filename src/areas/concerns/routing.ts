/** S1: where a concern goes once raised: the person's responsible officer and the safer custody leads on duty. */
import { aboutPerson } from '../../platform/audit.ts'
import { holdCustody } from '../../platform/locks.ts'
import { effectiveUrgency, escalateAt, recipientsOf } from './rules.ts'
import * as store from './store.ts'
import { onDutyWithRole, type ConcernAlongside, type ConcernPerson, type ConcernsDeps } from './deps.ts'

/**
 * S1: records a concern and, in the same transaction, tells the person's responsible officer and the safer
 * custody leads on duty at their prison: the detail to those who may read it, the list to the others.
 */
export async function recordAndRoute(
  deps: ConcernsDeps,
  person: ConcernPerson,
  fields: Omit<
    store.NewConcern,
    'personId' | 'establishmentCode' | 'raisedAt' | 'responsibleStaffUserId' | 'escalateAt'
  >,
  by: { id: string | null; username: string },
  alongside?: ConcernAlongside,
): Promise<{ concernId: string; responsibleName: string | null; leads: number; notified: number } | null> {
  const { db, clock, audit, journey, notifications, events } = deps
  // Read before the transaction: the embedded database has one connection, which the transaction holds.
  const leads = await onDutyWithRole(deps, person.establishmentCode, 'safercustody')
  const urgency = effectiveUrgency(fields.urgency, fields.safeNow)
  return db.transaction().execute(async (trx) => {
    if (alongside && !(await alongside.claim(trx))) return null
    // Who the concern goes to, under the hold that ending an officer's allocation takes: read before it, a
    // concern could go to an officer who had just stopped being responsible, and reach no one who is. Asking
    // writes no journey view to the audit, as the raiser never saw the journey.
    await holdCustody(trx, person.id)
    const responsibility = await journey.responsibilityOf(person.id, trx)
    const responsible = responsibility.kind === 'responsible' && responsibility.person ? responsibility.person : null
    const policy = await store.findPolicy(trx, person.establishmentCode)
    const raisedAt = clock.now()
    const concernId = await store.insertConcern(trx, {
      ...fields,
      personId: person.id,
      establishmentCode: person.establishmentCode,
      raisedAt,
      urgency,
      responsibleStaffUserId: responsible?.staffUserId ?? null,
      escalateAt: escalateAt(raisedAt, urgency, policy),
    })
    const recipients = recipientsOf(
      responsible?.staffUserId ?? null,
      leads.map((lead) => lead.id),
    ).filter((id) => id !== by.id)
    const params = { prisonNumber: person.prisonNumber, name: `${person.lastName}, ${person.firstName}` }
    const messageKey = `concerns.notification.raised.${urgency}`
    // Those who may not read a sensitive concern are sent to their list, which says it exists.
    const leadIds = new Set(leads.map((lead) => lead.id))
    const toDetail = recipients.filter((id) => !fields.isSensitive || leadIds.has(id))
    const toList = recipients.filter((id) => !toDetail.includes(id))
    const sends: [readonly string[], string][] = [
      [toDetail, `/concerns/${concernId}`],
      [toList, '/concerns'],
    ]
    for (const [recipientIds, href] of sends)
      if (recipientIds.length > 0)
        await notifications.notify(trx, {
          recipientIds,
          establishmentCode: person.establishmentCode,
          kind: 'concern-raised',
          messageKey,
          params,
          href,
        })
    await audit.record(
      trx,
      by,
      aboutPerson('concern.raised', person, {
        concernId,
        urgency,
        isSensitive: fields.isSensitive,
        onBehalfOfPeerSupporter: fields.peerSupporterId !== null,
        fromFamily: Boolean(fields.familyWorryId),
        notified: recipients.length,
      }),
    )
    await alongside?.record(trx, concernId)
    // Issue 15: other systems hear that a concern was raised and how urgent: never what it says, nor by whom.
    await events?.publish(
      trx,
      by,
      'concern.raised',
      { concernId, personId: person.id, urgency, indicatesSelfHarmRisk: fields.indicatesSelfHarmRisk ?? false },
      person.establishmentCode,
    )
    return {
      concernId,
      responsibleName: responsible?.displayName ?? null,
      leads: leads.length,
      notified: recipients.length,
    }
  })
}
