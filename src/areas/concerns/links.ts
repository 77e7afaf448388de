/**
 * S3, J3: what other areas ask of concerns inside their own work: the concern a care plan is opened from, and
 * the open concerns a transfer's handover carries. Each needs only concerns' own records and the audit
 * (`ConcernLinksDeps`), so app.ts builds them before care plans and journey (`createConcernLinks`).
 */
import type { Db } from '../../db/database.ts'
import type { ConcernUrgency } from '../../db/schema.ts'
import type { Actor } from '../../platform/permissions.ts'
import { londonClock, londonDate } from '../../platform/dates.ts'
import { aboutConcern, auditingRefusal, findVisibleConcern, type ConcernLinksDeps } from './deps.ts'
import * as store from './store.ts'

/** The handover summary is stored as text and read at the receiving prison, so it is written out in words. */
const urgencyWords: Record<ConcernUrgency, string> = {
  immediate: 'immediate',
  today: 'to act on today',
  'can-wait': 'can wait a day',
}

/**
 * S3, for the care plan area: the concern a care plan is being opened from, to a user who may read it
 * (404 otherwise). Audited as a view of the concern.
 */
export async function findConcernForCarePlan(deps: ConcernLinksDeps, actor: Actor, concernId: string) {
  const { db, audit } = deps
  const concern = await auditingRefusal(deps, actor, () => findVisibleConcern(deps, actor, concernId))
  await audit.record(db, actor, aboutConcern('concern.viewed', concern, { for: 'care-plan' }))
  return {
    id: concern.id,
    personId: concern.personId,
    prisonNumber: concern.prisonNumber,
    raisedAt: concern.raisedAt,
    urgency: concern.urgency,
    safeNow: concern.safeNow,
    isSensitive: concern.isSensitive,
    whatHappened: concern.whatHappened,
    isOpen: concern.actedAt === null,
    indicatesSelfHarmRisk: concern.indicatesSelfHarmRisk,
  }
}

/**
 * S3, for the care plan area, inside its transaction: the concern is acted on, its outcome the care plan
 * opened. False, and nothing written, when someone had already acted on it.
 */
export async function recordCarePlanOpened(
  deps: ConcernLinksDeps,
  trx: Db,
  actor: Actor,
  concernId: string,
  carePlanId: string,
): Promise<boolean> {
  const { clock, audit } = deps
  const concern = await findVisibleConcern(deps, actor, concernId, trx)
  const acted = await store.markActed(trx, concern.id, {
    at: clock.now(),
    by: actor.id,
    outcome: 'care-plan-opened',
    note: '',
    carePlanId,
  })
  if (acted)
    await audit.record(
      trx,
      actor,
      aboutConcern('concern.acted-on', concern, { outcome: 'care-plan-opened', carePlanId }),
    )
  return acted
}

/**
 * J3, for the journey area's handover, inside its transaction: the person's open concerns as ids and a
 * line of facts (when, how urgent, escalated or not), never what was seen or heard nor whether it is sensitive.
 */
export async function openConcernsForHandover(
  _deps: ConcernLinksDeps,
  trx: Db,
  personId: string,
): Promise<{ id: string; summary: string }[]> {
  const rows = await store.openOfPerson(trx, personId)
  return rows.map((row) => ({
    id: row.id,
    summary: `Concern raised ${londonDate(row.raisedAt)} at ${londonClock(row.raisedAt)} UK time (${urgencyWords[row.urgency]}), ${row.escalatedAt ? 'escalated and ' : ''}not yet acted on`,
  }))
}
