/** S3: observations, formal or informal, and their corrections: never edited, only corrected by a new entry. */
import { type Outcome } from '../../platform/forms.ts'
import { NotFound } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { Db } from '../../db/database.ts'
import * as store from './store.ts'
import { findPlanOrThrow, takeStep, viewed, type CarePlanDeps, type PlanRow, type StepOnPlan } from './deps.ts'

/** `id`, where given, is the entry's own: another system names it so it can answer with the stored entry (issue 15). */
export type ObservationInput = { observedAt: Date; seen: string; wasConversation: boolean; id?: string }

/** S3: an observation, formal or informal, with a conversation or not. Never edited afterwards. */
export async function recordObservation(
  deps: CarePlanDeps,
  actor: Actor,
  prisonNumber: string,
  carePlanId: string,
  input: ObservationInput,
): Promise<Outcome> {
  return takeStep(
    deps,
    actor,
    entryStep(prisonNumber, carePlanId, input, 'care-plan.observation-recorded'),
    async (trx, plan) => {
      const observationId = await insertEntry(deps, trx, actor, plan, input, null)
      return { audit: { observationId } }
    },
  )
}

export async function observationForCorrection(
  deps: CarePlanDeps,
  actor: Actor,
  prisonNumber: string,
  carePlanId: string,
  observationId: string,
) {
  const { db } = deps
  const { person, plan } = await findPlanOrThrow(deps, actor, prisonNumber, carePlanId)
  if (!isUuid(observationId)) throw new NotFound()
  const observation = await store.findObservation(db, plan.id, observationId)
  if (!observation) throw new NotFound()
  await viewed(deps, actor, plan, 'correct-observation')
  return { person, plan, observation, isCorrected: await store.isCorrected(db, observation.id) }
}

/** S3: a correction is a new entry that points at the one it corrects; both stay in the history. */
export async function correctObservation(
  deps: CarePlanDeps,
  actor: Actor,
  prisonNumber: string,
  carePlanId: string,
  observationId: string,
  input: ObservationInput & { reason: string },
): Promise<Outcome> {
  const { db } = deps
  const { plan } = await findPlanOrThrow(deps, actor, prisonNumber, carePlanId)
  if (!isUuid(observationId) || !(await store.findObservation(db, plan.id, observationId))) throw new NotFound()
  return takeStep(
    deps,
    actor,
    entryStep(prisonNumber, carePlanId, input, 'care-plan.observation-corrected'),
    async (trx) => {
      if (await store.isCorrected(trx, observationId))
        return { field: 'reason', messageKey: 'carePlans.correction.error.already', values: {} }
      const correctionId = await insertEntry(deps, trx, actor, plan, input, {
        correctsId: observationId,
        reason: input.reason,
      })
      return { audit: { observationId: correctionId, correctsId: observationId } }
    },
  )
}

/** An entry in the plan's history is a step on it, at the time the user gives the person was seen. */
function entryStep(prisonNumber: string, carePlanId: string, input: ObservationInput, auditedAs: string): StepOnPlan {
  return {
    prisonNumber,
    carePlanId,
    step: 'observation',
    doneAt: { at: input.observedAt, field: 'observedOn' },
    auditedAs,
  }
}

/** An entry in the plan's history: an observation, or the correction of an earlier one. */
function insertEntry(
  deps: CarePlanDeps,
  trx: Db,
  actor: Actor,
  plan: PlanRow,
  input: ObservationInput,
  correction: { correctsId: string; reason: string } | null,
) {
  const { clock } = deps
  return store.insertObservation(trx, {
    id: input.id,
    carePlanId: plan.id,
    establishmentCode: plan.establishmentCode,
    observedAt: input.observedAt,
    seen: input.seen,
    wasConversation: input.wasConversation,
    correctsId: correction?.correctsId ?? null,
    correctionReason: correction?.reason ?? null,
    recordedBy: actor.id,
    recordedAt: clock.now(),
  })
}
