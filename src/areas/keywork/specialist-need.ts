import { aboutPerson } from '../../platform/audit.ts'
import { type Outcome } from '../../platform/forms.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { KeyworkDeps } from './deps.ts'
import * as store from './store.ts'

/** K1: whether a person needs a specialist dedicated officer, and every decision about it. Audited. */
export async function viewSpecialistNeed(deps: KeyworkDeps, actor: Actor, prisonNumber: string) {
  const { db, audit, people } = deps
  const person = await people.personHeader(actor, prisonNumber)
  const [policy, decisions] = await Promise.all([
    store.findPolicy(db, person.establishmentCode),
    store.specialistNeedDecisions(db, person.id),
  ])
  await audit.record(db, actor, aboutPerson('specialist-need.viewed', person))
  return { person, policy, needsSpecialistAllocation: person.needsSpecialistAllocation, decisions }
}

/**
 * K1: records that a person needs a specialist dedicated officer (left out of wing recommendations and
 * allocated by hand), or no longer does, with why. Deciding what is already so is a refusal. Audited.
 */
export async function decideSpecialistNeed(
  deps: KeyworkDeps,
  actor: Actor,
  prisonNumber: string,
  decision: { needsSpecialist: boolean; reason: string },
): Promise<Outcome> {
  const { db, clock, audit, people } = deps
  const person = await people.personHeader(actor, prisonNumber)
  const alreadySo: Outcome = {
    field: 'needsSpecialist',
    messageKey: decision.needsSpecialist ? 'keywork.specialist.error.already' : 'keywork.specialist.error.notMarked',
    values: {},
  }
  if (person.needsSpecialistAllocation === decision.needsSpecialist) return alreadySo
  return db.transaction().execute(async (trx) => {
    // Sent twice at once, the second finds it so already and records no second decision.
    if (!(await people.setNeedsSpecialistAllocation(trx, person.id, decision.needsSpecialist))) return alreadySo
    const decisionId = await store.insertSpecialistNeedDecision(trx, {
      personId: person.id,
      needsSpecialist: decision.needsSpecialist,
      reason: decision.reason,
      decidedBy: actor.id,
      decidedAt: clock.now(),
    })
    await audit.record(
      trx,
      actor,
      aboutPerson(decision.needsSpecialist ? 'specialist-need.marked' : 'specialist-need.cleared', person, {
        specialistNeedDecisionId: decisionId,
      }),
    )
    return null
  })
}
