/** S4, S5: family (consent and contact) and referrals to community and partner services. */
import type { Db } from '../../db/database.ts'
import { type Outcome, type Refusal } from '../../platform/forms.ts'
import type { ReferralOutcome } from '../../db/schema.ts'
import { NotFound } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import type { Actor } from '../../platform/permissions.ts'
import { consentStands } from './rules.ts'
import * as store from './store.ts'
import { findPlanOrThrow, takeStep, viewed, type CarePlanDeps } from './deps.ts'

/**
 * S4: consent to involve family, its withdrawal, and each contact. A relative's call about a worry is
 * written down whether or not the person has consented: consent governs what is shared with family,
 * not whether what they tell us is kept. `together` is saved in the same transaction, or refuses it: the
 * families' area marks the worry the contact came from, so a worry is added to the plan once.
 */
export async function recordFamily(
  deps: CarePlanDeps,
  actor: Actor,
  prisonNumber: string,
  carePlanId: string,
  input: { kind: 'consent-given' | 'consent-withdrawn' | 'contact'; familyMember: string; notes: string },
  together?: (trx: Db) => Promise<Refusal | null>,
): Promise<Outcome> {
  const { clock } = deps
  return takeStep(
    deps,
    actor,
    { prisonNumber, carePlanId, step: 'family', auditedAs: 'care-plan.family-recorded' },
    async (trx, plan) => {
      const events = await store.familyEventsOf(trx, plan.id)
      const consented = consentStands(events)
      if (input.kind === 'consent-withdrawn' && !consented)
        return { field: 'familyKind', messageKey: 'carePlans.family.error.nothingToWithdraw', values: {} }
      const refused = together ? await together(trx) : null
      if (refused) return refused
      const eventId = await store.insertFamilyEvent(trx, {
        carePlanId: plan.id,
        ...input,
        occurredAt: clock.now(),
        recordedBy: actor.id,
        recordedAt: clock.now(),
      })
      return { audit: { eventId, kind: input.kind } }
    },
  )
}

/**
 * S5: the referrals page: the person, the plan's referrals (those awaiting an outcome get a form of their own)
 * and the organisations a referral may go to. Only what the page shows, not the whole plan. Audited as a view.
 */
export async function viewReferrals(deps: CarePlanDeps, actor: Actor, prisonNumber: string, carePlanId: string) {
  const { db, staff } = deps
  const { person, plan } = await findPlanOrThrow(deps, actor, prisonNumber, carePlanId)
  const [referrals, organisations] = await Promise.all([store.referralsOf(db, plan.id), staff.listOrganisations()])
  await viewed(deps, actor, plan, 'referrals')
  return { person, plan, referrals, organisations }
}

/** S5: a referral to a community or partner service. */
export async function refer(
  deps: CarePlanDeps,
  actor: Actor,
  prisonNumber: string,
  carePlanId: string,
  input: { organisationId: string; reason: string },
): Promise<Outcome> {
  const { clock, staff } = deps
  const organisations = await staff.listOrganisations()
  if (!organisations.some((organisation) => organisation.id === input.organisationId))
    return { field: 'organisationId', messageKey: 'carePlans.referral.error.organisation', values: {} }
  return takeStep(
    deps,
    actor,
    { prisonNumber, carePlanId, step: 'referral', auditedAs: 'care-plan.referral-made' },
    async (trx, plan) => {
      const referralId = await store.insertReferral(trx, {
        carePlanId: plan.id,
        organisationId: input.organisationId,
        reason: input.reason,
        referredAt: clock.now(),
        referredBy: actor.id,
      })
      return { audit: { referralId, organisationId: input.organisationId } }
    },
  )
}

export async function recordReferralOutcome(
  deps: CarePlanDeps,
  actor: Actor,
  prisonNumber: string,
  carePlanId: string,
  referralId: string,
  input: { outcome: ReferralOutcome; notes: string },
): Promise<Outcome> {
  const { clock } = deps
  if (!isUuid(referralId)) throw new NotFound()
  return takeStep(
    deps,
    actor,
    { prisonNumber, carePlanId, step: 'referral', auditedAs: 'care-plan.referral-outcome-recorded' },
    async (trx, plan) => {
      const done = await store.recordReferralOutcome(trx, plan.id, referralId, {
        ...input,
        at: clock.now(),
        by: actor.id,
      })
      if (!done) return { field: `outcome-${referralId}`, messageKey: 'carePlans.referral.error.answered', values: {} }
      return { audit: { referralId, outcome: input.outcome } }
    },
  )
}
