import { type Outcome } from '../../../platform/forms.ts'
import { z } from 'zod'
import type { CaseReviewAttendee } from '../../../db/schema.ts'
import type { AreaRoutes } from '../../../platform/area.ts'
import type { Language } from '../../../platform/i18n.ts'
import type { Actor } from '../../../platform/permissions.ts'
import { closureChecks, riskLevels, supervisionFloors } from '../rules.ts'
import type { AttendanceInput, CarePlanService } from '../service.ts'
import {
  ConstantSupervision,
  DateText,
  IntervalSupervision,
  OptionalText,
  Text,
  TimeText,
  constantMessages,
  instantOf,
  isConstant,
  supervisionMessages,
  supervisionOf,
} from './forms.ts'
import { planForm, riskNamer, type CarePlanRoutesDeps } from './pages.ts'

const Tick = z
  .union([z.literal('yes'), z.literal('')])
  .optional()
  .transform((value) => value === 'yes')

/** Names typed into one box, separated by commas. */
const namesIn = (typed: string) =>
  typed
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)

/** Who attended a review by role, from the form; the case manager is added by the service from its choice. */
function attendanceOf(
  data: z.infer<typeof AttendanceForm>,
  organisations: readonly { id: string; name: string }[],
): AttendanceInput {
  const partnerIds = [data.partnerIds ?? []].flat()
  const attendees: CaseReviewAttendee[] = [
    ...(data.healthcareAttended ? [{ kind: 'healthcare' as const, name: data.healthcareAttended }] : []),
    ...namesIn(data.wingStaffAttended).map((name) => ({ kind: 'wing-staff' as const, name })),
    ...(data.chaplaincyAttended ? [{ kind: 'chaplaincy' as const, name: data.chaplaincyAttended }] : []),
    ...(data.familyAttended ? [{ kind: 'family' as const, name: data.familyAttended }] : []),
    ...organisations
      .filter((organisation) => partnerIds.includes(organisation.id))
      .map((organisation) => ({ kind: 'partner' as const, name: organisation.name })),
    ...namesIn(data.staffAttended).map((name) => ({ kind: 'staff' as const, name })),
  ]
  return {
    attendees,
    personPresent: data.personPresent === undefined ? null : data.personPresent === 'yes',
    personAbsentReason: data.personAbsentReason,
    healthcareInput: data.healthcareInput,
    healthcareAbsentReason: data.healthcareAbsentReason,
  }
}

const ImmediateActionForm = z.object({ immediateAction: Text(4000), ...IntervalSupervision })
const ConstantImmediateActionForm = z.object({ immediateAction: Text(4000), ...ConstantSupervision })
const AssessmentForm = z.object({
  assessorId: z.string().uuid(),
  heldOn: DateText,
  heldTime: TimeText,
  assessmentNotes: Text(8000),
})
const actionRows = [1, 2, 3] as const
/** The closure items a reason is typed for; healthcare's is the reason it did not attend or write. */
const closureReasonChecks = closureChecks.filter((check) => check !== 'healthcare')
/** Who attended, by the part they play, and why the person or healthcare did not. */
const AttendanceForm = z.object({
  personPresent: z.enum(['yes', 'no']).optional(),
  personAbsentReason: OptionalText(1000),
  healthcareAttended: OptionalText(100),
  healthcareInput: OptionalText(4000),
  healthcareAbsentReason: OptionalText(1000),
  wingStaffAttended: OptionalText(500),
  chaplaincyAttended: OptionalText(100),
  familyAttended: z.string().trim().max(100).default(''),
  partnerIds: z.union([z.string(), z.array(z.string())]).optional(),
  staffAttended: OptionalText(500),
})
const ReviewForm = AttendanceForm.extend({
  heldOn: DateText,
  heldTime: TimeText,
  notes: OptionalText(8000),
})
const reviewRest = {
  caseManagerId: z.string().uuid(),
  caseManagerChangeReason: OptionalText(1000),
  riskLevel: z.enum(riskLevels),
  supervisionReason: OptionalText(1000),
  personView: OptionalText(4000),
  ...Object.fromEntries(closureReasonChecks.map((check) => [`closure-${check}`, OptionalText(1000)])),
  triggers: OptionalText(4000),
  warningSigns: OptionalText(4000),
  outcome: z.enum(['continue', 'close']),
  nextReviewOn: z.string().trim().max(10).default(''),
  nextReviewTime: z.string().trim().max(5).default(''),
  closureExpected: Tick,
  ...Object.fromEntries(
    actionRows.flatMap((n) => [
      [`actionDescription${n}`, OptionalText(500)],
      [`actionOwner${n}`, OptionalText(100)],
      [`actionDueOn${n}`, z.string().trim().max(10).default('')],
    ]),
  ),
}
const FullReviewForm = ReviewForm.extend({ ...reviewRest, ...IntervalSupervision })
const ConstantReviewForm = ReviewForm.extend({ ...reviewRest, ...ConstantSupervision })
const PostClosureForm = ReviewForm.extend({ postClosure: z.literal('yes') })
const PreReleaseForm = ReviewForm.extend({ communityInformation: Text(4000) })
const HandoverForm = z.object({ constantOfficerId: z.string().uuid() })
const reviewMessages: Record<string, string> = {
  heldOn: 'carePlans.error.date',
  heldTime: 'carePlans.error.time',
  caseManagerId: 'carePlans.review.error.caseManager',
  riskLevel: 'carePlans.review.error.riskLevel',
  ...supervisionMessages,
  outcome: 'carePlans.review.error.outcome',
  notes: 'carePlans.error.tooLong',
  triggers: 'carePlans.error.tooLong',
  warningSigns: 'carePlans.error.tooLong',
  staffAttended: 'carePlans.error.tooLong',
  familyAttended: 'carePlans.error.tooLong',
  personAbsentReason: 'carePlans.error.tooLong',
  healthcareAttended: 'carePlans.error.tooLong',
  healthcareInput: 'carePlans.error.tooLong',
  healthcareAbsentReason: 'carePlans.error.tooLong',
  wingStaffAttended: 'carePlans.error.tooLong',
  chaplaincyAttended: 'carePlans.error.tooLong',
  caseManagerChangeReason: 'carePlans.error.tooLong',
  supervisionReason: 'carePlans.error.tooLong',
  personView: 'carePlans.error.tooLong',
  ...constantMessages,
  ...Object.fromEntries(closureReasonChecks.map((check) => [`closure-${check}`, 'carePlans.error.tooLong'])),
}

/** What a case review form may send: a full review (supervision at intervals or constant), or a post-closure one. */
type ReviewFormData =
  z.infer<typeof FullReviewForm> | z.infer<typeof ConstantReviewForm> | z.infer<typeof PostClosureForm>

/**
 * Holds the case review a form describes: a post-closure review takes only who attended and the notes; a
 * full one reads its care map actions and, unless it closes the plan, when the next review is due.
 */
async function holdReviewFrom(
  carePlans: CarePlanService,
  actor: Actor,
  prisonNumber: string,
  id: string,
  data: ReviewFormData,
): Promise<Outcome> {
  const form = await carePlans.reviewForm(actor, prisonNumber, id)
  const heldAt = instantOf(data.heldOn, data.heldTime)
  const attendance = attendanceOf(data, form.organisations)
  if ('postClosure' in data || form.kind === 'post-closure') {
    if (form.kind !== 'post-closure')
      return { field: 'caseManagerId', messageKey: 'carePlans.review.error.caseManager', values: {} }
    return carePlans.holdReview(actor, prisonNumber, id, { heldAt, ...attendance, notes: data.notes })
  }
  const full = data as (z.infer<typeof FullReviewForm> | z.infer<typeof ConstantReviewForm>) & Record<string, string>
  const actions = []
  for (const n of actionRows) {
    const description = full[`actionDescription${n}`] ?? ''
    const owner = full[`actionOwner${n}`] ?? ''
    const dueOn = full[`actionDueOn${n}`] ?? ''
    if (!description && !owner && !dueOn) continue
    const due = DateText.safeParse(dueOn)
    if (!description || !owner || !due.success)
      return { field: `actionDescription${n}`, messageKey: 'carePlans.review.error.action', values: { n } }
    actions.push({ description, owner, dueOn: due.data })
  }
  const close = full.outcome === 'close'
  let nextReviewDueAt: Date | null = null
  if (!close) {
    const nextOn = DateText.safeParse(full.nextReviewOn)
    if (!nextOn.success || !TimeText.safeParse(full.nextReviewTime).success)
      return { field: 'nextReviewOn', messageKey: 'carePlans.review.error.nextReview', values: {} }
    nextReviewDueAt = instantOf(nextOn.data, full.nextReviewTime)
  }
  return carePlans.holdReview(actor, prisonNumber, id, {
    heldAt,
    ...attendance,
    notes: full.notes,
    caseManagerId: full.caseManagerId,
    caseManagerChangeReason: full.caseManagerChangeReason,
    riskLevel: full.riskLevel,
    ...supervisionOf(full),
    supervisionReason: full.supervisionReason,
    personView: full.personView,
    closureReasons: Object.fromEntries(closureReasonChecks.map((check) => [check, full[`closure-${check}`] ?? ''])),
    triggers: full.triggers,
    warningSigns: full.warningSigns,
    actions,
    nextReviewDueAt,
    close,
    closureExpected: full.closureExpected,
  })
}

/** The steps that set a plan and its supervision: the immediate action plan, constant supervision's handover, the assessment, and case reviews. */
export function registerStepRoutes(app: AreaRoutes, { carePlans, clock }: CarePlanRoutesDeps) {
  /** A form that sets supervision: the plan, with the officers on duty who could keep constant watch. */
  const supervisionView = async (actor: Actor, prisonNumber: string, id: string) => {
    const view = await carePlans.viewCarePlan(actor, prisonNumber, id)
    return {
      ...view,
      officers: await carePlans.officersOnDuty(view.plan.establishmentCode),
      floors: supervisionFloors,
    }
  }

  planForm(app, clock, {
    path: 'immediate-action',
    permission: 'care-plans.record',
    template: 'immediate-action',
    view: supervisionView,
    schema: (body): z.ZodType<z.infer<typeof ImmediateActionForm> | z.infer<typeof ConstantImmediateActionForm>> =>
      isConstant(body) ? ConstantImmediateActionForm : ImmediateActionForm,
    messages: { immediateAction: 'carePlans.immediateAction.error.text', ...supervisionMessages, ...constantMessages },
    save: (actor, prisonNumber, id, data) =>
      carePlans.recordImmediateAction(actor, prisonNumber, id, {
        text: data.immediateAction,
        ...supervisionOf(data),
      }),
    done: () => 'immediate-action',
  })

  // S3: constant supervision passes from one officer to the next with no gap
  planForm(app, clock, {
    path: 'constant-supervision',
    permission: 'care-plans.record',
    template: 'constant-supervision',
    view: supervisionView,
    schema: HandoverForm,
    messages: constantMessages,
    save: (actor, prisonNumber, id, data) =>
      carePlans.handOverConstantSupervision(actor, prisonNumber, id, data.constantOfficerId),
    done: () => 'handover',
  })

  planForm(app, clock, {
    path: 'assessment',
    permission: 'care-plans.review',
    template: 'assessment',
    view: (actor, prisonNumber, id) => carePlans.assessmentForm(actor, prisonNumber, id),
    schema: AssessmentForm,
    messages: {
      assessorId: 'carePlans.assessment.error.assessor',
      heldOn: 'carePlans.error.date',
      heldTime: 'carePlans.error.time',
      assessmentNotes: 'carePlans.assessment.error.notes',
    },
    save: (actor, prisonNumber, id, data) =>
      carePlans.recordAssessment(actor, prisonNumber, id, {
        assessorId: data.assessorId,
        heldAt: instantOf(data.heldOn, data.heldTime),
        notes: data.assessmentNotes,
      }),
    done: () => 'assessment',
  })

  // S3: a case review; a post-closure review asks only who attended and what was decided.
  async function reviewView(actor: Actor, prisonNumber: string, id: string, language: Language) {
    const view = await carePlans.reviewForm(actor, prisonNumber, id)
    return {
      ...view,
      riskLevels,
      riskName: riskNamer(view.settings, language),
      actionRows,
      floors: supervisionFloors,
      closureReasonChecks,
    }
  }
  planForm(app, clock, {
    path: 'review',
    permission: 'care-plans.review',
    template: 'review',
    view: reviewView,
    schema: (body): z.ZodType<ReviewFormData> =>
      (body as { postClosure?: unknown } | undefined)?.postClosure === 'yes'
        ? PostClosureForm
        : isConstant(body)
          ? ConstantReviewForm
          : FullReviewForm,
    messages: reviewMessages,
    save: (actor, prisonNumber, id, data) => holdReviewFrom(carePlans, actor, prisonNumber, id, data),
    done: (data) => ('postClosure' in data ? 'post-closure' : data.outcome === 'close' ? 'closed' : 'review'),
  })

  // S3: before a release, a review that records what was passed to community services
  async function preReleaseView(actor: Actor, prisonNumber: string, id: string, language: Language) {
    const view = await carePlans.reviewForm(actor, prisonNumber, id)
    return { ...view, riskName: riskNamer(view.settings, language) }
  }
  planForm(app, clock, {
    path: 'pre-release-review',
    permission: 'care-plans.review',
    template: 'pre-release',
    view: preReleaseView,
    schema: PreReleaseForm,
    messages: { ...reviewMessages, communityInformation: 'carePlans.preRelease.error.information' },
    save: async (actor, prisonNumber, id, data) => {
      const form = await carePlans.reviewForm(actor, prisonNumber, id)
      return carePlans.holdPreReleaseReview(actor, prisonNumber, id, {
        heldAt: instantOf(data.heldOn, data.heldTime),
        ...attendanceOf(data, form.organisations),
        notes: data.notes,
        communityInformation: data.communityInformation,
      })
    },
    done: () => 'pre-release',
  })
}
