/** S3: the assessment interview, held by a trained assessor. */
import { isRefusal, type Outcome } from '../../platform/forms.ts'
import type { Actor } from '../../platform/permissions.ts'
import { stageOf } from './rules.ts'
import * as store from './store.ts'
import { findPlanOrThrow, stateOf, takeStep, trainedAt, trainedOrRefusal, viewed, type CarePlanDeps } from './deps.ts'

/** S3: staff on duty who may hold the assessment interview, the trained first. Audited as a view. */
export async function assessmentForm(deps: CarePlanDeps, actor: Actor, prisonNumber: string, carePlanId: string) {
  const { person, plan } = await findPlanOrThrow(deps, actor, prisonNumber, carePlanId)
  await viewed(deps, actor, plan, 'assessment')
  const assessors = (await trainedAt(deps, plan.establishmentCode, 'acct-assessor')).filter(
    (member) => member.isTrained,
  )
  return { person, plan, stage: stageOf(stateOf(plan)), assessors }
}

/** S3: the assessment interview, held by an assessor whose ACCT assessor training is current. */
export async function recordAssessment(
  deps: CarePlanDeps,
  actor: Actor,
  prisonNumber: string,
  carePlanId: string,
  input: { assessorId: string; heldAt: Date; notes: string },
): Promise<Outcome> {
  const { plan } = await findPlanOrThrow(deps, actor, prisonNumber, carePlanId)
  const assessor = await trainedOrRefusal(deps, plan.establishmentCode, 'acct-assessor', input.assessorId, {
    field: 'assessorId',
    notOnDuty: 'carePlans.assessment.error.assessor',
    untrained: 'carePlans.assessment.error.untrained',
  })
  if (isRefusal(assessor)) return assessor
  return takeStep(
    deps,
    actor,
    {
      prisonNumber,
      carePlanId,
      step: 'assessment',
      doneAt: { at: input.heldAt, field: 'heldOn' },
      auditedAs: 'care-plan.assessment-recorded',
    },
    async (trx) => {
      await store.recordAssessment(trx, plan.id, { at: input.heldAt, assessorId: assessor.id, notes: input.notes })
      return { audit: { assessorId: assessor.id } }
    },
  )
}
