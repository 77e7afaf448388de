import { z } from 'zod'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import { registerFormPost } from '../../../platform/form-page.ts'
import type { Actor } from '../../../platform/permissions.ts'
import { referralOutcomes } from '../rules.ts'
import { DateText, OptionalText, Params, Text } from './forms.ts'
import { formPage, planForm, planUrl, planViewOf, type CarePlanRoutesDeps } from './pages.ts'

const ActionForm = z.object({ actionDescription: Text(500), actionOwner: Text(100), actionDueOn: DateText })
const FamilyForm = z.object({
  familyKind: z.enum(['consent-given', 'consent-withdrawn', 'contact']),
  familyMember: Text(100),
  familyNotes: OptionalText(4000),
})
const ReferralForm = z.object({ organisationId: z.string().uuid(), referralReason: Text(4000) })
const OutcomeForm = z.object({ outcome: z.enum(referralOutcomes), outcomeNotes: OptionalText(2000) })

/** The support around the person: the care map's actions (S3), their family (S4), referrals to partners (S5). */
export function registerSupportRoutes(app: AreaRoutes, { carePlans, clock }: CarePlanRoutesDeps) {
  const planView = planViewOf(carePlans)

  // S3: the care map
  planForm(app, clock, {
    path: 'actions',
    permission: 'care-plans.record',
    template: 'action',
    view: planView,
    schema: ActionForm,
    messages: {
      actionDescription: 'carePlans.action.error.description',
      actionOwner: 'carePlans.action.error.owner',
      actionDueOn: 'carePlans.error.date',
    },
    save: (actor, prisonNumber, id, data) =>
      carePlans.addAction(actor, prisonNumber, id, {
        description: data.actionDescription,
        owner: data.actionOwner,
        dueOn: data.actionDueOn,
      }),
    done: () => 'action',
  })
  app.post(
    '/people/:prisonNumber/care-plans/:id/actions/:actionId/complete',
    { config: { permission: 'care-plans.record' } },
    async (request, reply) => {
      const { prisonNumber, id, actionId } = Params.extend({ actionId: z.string().max(40) }).parse(request.params)
      const refusal = await carePlans.completeAction(actorOf(request), prisonNumber, id, actionId)
      if (refusal) return reply.redirect(planUrl(prisonNumber, id), 303)
      return reply.redirectWithNotice(planUrl(prisonNumber, id), 'completed')
    },
  )

  // S4: family
  planForm(app, clock, {
    path: 'family',
    permission: 'care-plans.record',
    template: 'family',
    view: planView,
    schema: FamilyForm,
    messages: {
      familyKind: 'carePlans.family.error.kind',
      familyMember: 'carePlans.family.error.member',
      familyNotes: 'carePlans.error.tooLong',
    },
    save: (actor, prisonNumber, id, data) =>
      carePlans.recordFamily(actor, prisonNumber, id, {
        kind: data.familyKind,
        familyMember: data.familyMember,
        notes: data.familyNotes,
      }),
    done: () => 'family',
  })

  // S5: referrals
  async function referralView(actor: Actor, prisonNumber: string, id: string) {
    return { ...(await carePlans.viewReferrals(actor, prisonNumber, id)), referralOutcomes }
  }
  planForm(app, clock, {
    path: 'referrals',
    permission: 'care-plans.record',
    template: 'referrals',
    view: referralView,
    schema: ReferralForm,
    messages: {
      organisationId: 'carePlans.referral.error.organisation',
      referralReason: 'carePlans.referral.error.reason',
    },
    save: (actor, prisonNumber, id, data) =>
      carePlans.refer(actor, prisonNumber, id, { organisationId: data.organisationId, reason: data.referralReason }),
    done: () => 'referral',
  })
  registerFormPost(app, {
    path: '/people/:prisonNumber/care-plans/:id/referrals/:referralId/outcome',
    params: Params.extend({ referralId: z.string().max(40) }),
    permission: 'care-plans.record',
    show: async (request, reply, { prisonNumber, id }, sentBack) =>
      formPage(clock, request, reply, 'referrals', await referralView(actorOf(request), prisonNumber, id), sentBack),
    form: OutcomeForm,
    // Each referral's outcome is a small form of its own on the page: whatever is wrong, one message beside it.
    messages: (_request, error, { referralId }) => {
      const outcome = { field: `outcome-${referralId}`, messageKey: 'carePlans.referral.error.outcome', values: {} }
      return Object.fromEntries(error.issues.map((issue) => [String(issue.path[0] ?? ''), outcome]))
    },
    onePerField: true,
    save: (actor, { prisonNumber, id, referralId }, form) =>
      carePlans.recordReferralOutcome(actor, prisonNumber, id, referralId, {
        outcome: form.outcome,
        notes: form.outcomeNotes,
      }),
    next: ({ prisonNumber, id }) => planUrl(prisonNumber, id),
    done: 'outcome',
  })
}
