/**
 * S3: case reviews: the first, scheduled and immediate reviews, the closure, the post-closure review and the
 * pre-release review, and the request for a review now.
 */
import type { Db } from '../../db/database.ts'
import { isRefusal, type Outcome } from '../../platform/forms.ts'
import type { CaseReviewKind, ImmediateReviewReason, IsoDate, RiskLevel } from '../../db/schema.ts'
import type { Actor } from '../../platform/permissions.ts'
import {
  allowedSteps,
  attendanceRefusal,
  caseManagerChangeRefusal,
  closureChecklist,
  closureRefusal,
  consentStands,
  nextReviewRefusal,
  postClosureReviewDue,
  reviewKindFor,
  riskLevels,
  stageOf,
  stepRefusal,
  supervisionRefusal,
  type Attendance,
  type CarePlanSettings,
  type ClosureCheck,
  type Refusal,
  type Supervision,
} from './rules.ts'
import * as store from './store.ts'
import {
  attendanceColumns,
  attendanceOf,
  familyConsentRefusal,
  reviewWithoutDecisions,
  type AttendanceInput,
} from './review-attendance.ts'
import { officersOnDuty } from './constant-supervision.ts'
import {
  HOUR,
  constantOfficerOrRefusal,
  findPlanOrThrow,
  heldAtRefusal,
  keepWatch,
  noIntervals,
  planHref,
  stateOf,
  takeStep,
  trainedAt,
  trainedOrRefusal,
  viewed,
  publishAlertMoved,
  type CarePlanDeps,
  type PlanRow,
} from './deps.ts'

export type ReviewInput = AttendanceInput & {
  heldAt: Date
  notes: string
  /** Not for a post-closure review. */
  caseManagerId?: string | undefined
  caseManagerChangeReason?: string | undefined
  riskLevel?: RiskLevel | undefined
  supervision?: Supervision | undefined
  /** Why the supervision is below the floor of its level of risk. */
  supervisionReason?: string | undefined
  /** Constant supervision by this officer, in place of observations at intervals. */
  constantOfficerId?: string | null | undefined
  /** At closure: the person's own view, and a reason for each item of the checklist not met. */
  personView?: string | undefined
  closureReasons?: Partial<Record<ClosureCheck, string>> | undefined
  triggers?: string | undefined
  warningSigns?: string | undefined
  actions?: { description: string; owner: string; dueOn: IsoDate }[] | undefined
  /** Either the next review, or the plan closes. */
  nextReviewDueAt?: Date | null | undefined
  close?: boolean | undefined
  closureExpected?: boolean | undefined
}

/** S3: the case review form: which review it is, trained case managers, partner organisations. */
export async function reviewForm(deps: CarePlanDeps, actor: Actor, prisonNumber: string, carePlanId: string) {
  const { db, clock, staff } = deps
  const { person, plan } = await findPlanOrThrow(deps, actor, prisonNumber, carePlanId)
  await viewed(deps, actor, plan, 'review')
  const [managers, organisations, family, settings, actions, officers] = await Promise.all([
    trainedAt(deps, plan.establishmentCode, 'acct-case-manager'),
    staff.listOrganisations(),
    store.familyEventsOf(db, plan.id),
    store.findSettings(db, plan.establishmentCode),
    store.actionsOf(db, plan.id),
    officersOnDuty(deps, plan.establishmentCode),
  ])
  const stage = stageOf(stateOf(plan))
  return {
    person,
    plan,
    settings,
    stage,
    kind: reviewKindFor(stateOf(plan), plan.immediateReviewRequestedAt !== null),
    canHoldPreRelease: allowedSteps(stateOf(plan)).includes('pre-release-review'),
    caseManagers: managers.filter((member) => member.isTrained),
    organisations,
    familyConsent: consentStands(family),
    openActions: actions.filter((action) => !action.completedAt),
    officers,
    daysSinceArrival: plan.receivedAt
      ? Math.floor((clock.now().getTime() - plan.receivedAt.getTime()) / (24 * HOUR))
      : null,
  }
}

/**
 * S3: a case review. The first appoints the case manager, who carries the plan from then on; each sets
 * the risk, the supervision (no less than the level's floor without a reason, or constant supervision),
 * the triggers and warning signs, adds to the care map, and either sets the next review (sooner the
 * higher the risk) or closes the plan once its checklist is met or explained (the post-closure review
 * then due). A post-closure review ends the plan. Every review records who attended by role, and why the
 * person did not; the first and the closure, healthcare's part. Audited.
 */
export async function holdReview(
  deps: CarePlanDeps,
  actor: Actor,
  prisonNumber: string,
  carePlanId: string,
  input: ReviewInput,
): Promise<Outcome> {
  const { db, clock } = deps
  const { plan } = await findPlanOrThrow(deps, actor, prisonNumber, carePlanId)
  const now = clock.now()
  const kind = reviewKindFor(stateOf(plan), plan.immediateReviewRequestedAt !== null)
  if (!kind) return stepRefusal(stateOf(plan), 'review')
  const timing = heldAtRefusal(input.heldAt, plan.openedAt, now, 'heldOn')
  if (timing) return timing
  const closing = input.close === true && kind !== 'post-closure'
  const attendance = attendanceOf(input)
  const attendanceRefused = attendanceRefusal(closing ? 'closure' : kind, attendance)
  if (attendanceRefused) return attendanceRefused
  const settings = await store.findSettings(db, plan.establishmentCode)
  if (kind === 'post-closure')
    return takeStep(
      deps,
      actor,
      {
        prisonNumber,
        carePlanId,
        step: 'post-closure-review',
        auditedAs: 'care-plan.post-closure-reviewed',
        decidedOn: plan,
      },
      async (trx) => {
        const familyRefused = await familyConsentRefusal(trx, plan, input.attendees)
        if (familyRefused) return familyRefused
        const reviewId = await store.insertReview(trx, {
          ...reviewWithoutDecisions(plan, actor, input, attendance, now),
          kind,
          dueAt: plan.postClosureReviewDueAt,
        })
        await store.markPostClosureReviewed(trx, plan.id, input.heldAt)
        await publishAlertMoved(deps, trx, actor, plan, { from: 'HA1', to: 'HA2' })
        return { audit: { reviewId, kind } }
      },
    )
  const held = { plan, kind, closing, input, attendance, settings, now }
  const decisions = await decisionsOrRefusal(deps, held)
  if (isRefusal(decisions)) return decisions
  return recordReview(deps, actor, prisonNumber, carePlanId, held, decisions)
}

/** A case review other than the post-closure one, as the form gave it, with what was worked out for it. */
type HeldReview = {
  plan: PlanRow
  kind: Exclude<CaseReviewKind, 'post-closure'>
  closing: boolean
  input: ReviewInput
  attendance: Attendance
  settings: CarePlanSettings
  now: Date
}

/** What a review decides: its case manager, the risk and supervision, and the review it was due as. */
type ReviewDecisions = {
  manager: { id: string; displayName: string }
  changeReason: string
  riskLevel: RiskLevel
  watcher: { id: string; displayName: string } | null
  supervision: Supervision
  supervisionReason: string
  checklist: ReturnType<typeof closureChecklist> | null
  /** For a closure: the open actions on the care map its checklist counted. */
  openActions: number
  dueAt: Date | null
}

/**
 * A review's decisions, or why they cannot stand: a trained case manager (a change of manager with its
 * reason), a level of risk, supervision no less than its floor without a reason (or constant supervision by
 * an officer on duty), and either a next review in time for the risk or a closure whose checklist is met.
 */
async function decisionsOrRefusal(deps: CarePlanDeps, review: HeldReview): Promise<Refusal | ReviewDecisions> {
  const { db } = deps
  const { plan, kind, closing, input, attendance } = review
  const manager = await trainedOrRefusal(deps, plan.establishmentCode, 'acct-case-manager', input.caseManagerId, {
    field: 'caseManagerId',
    notOnDuty: 'carePlans.review.error.caseManager',
    untrained: 'carePlans.review.error.untrained',
  })
  if (isRefusal(manager)) return manager
  const changeReason = input.caseManagerChangeReason ?? ''
  const changeRefused = caseManagerChangeRefusal(plan.caseManagerId, manager.id, changeReason)
  if (changeRefused) return changeRefused
  const riskLevel = input.riskLevel
  if (!riskLevel || !riskLevels.includes(riskLevel))
    return { field: 'riskLevel', messageKey: 'carePlans.review.error.riskLevel', values: {} }
  const watcher = await constantOfficerOrRefusal(deps, plan.establishmentCode, input.constantOfficerId ?? null)
  if (watcher && isRefusal(watcher)) return watcher
  if (!watcher && !input.supervision)
    return { field: 'observationsPerDay', messageKey: 'carePlans.error.number', values: {} }
  const supervision = watcher ? noIntervals : input.supervision!
  const supervisionReason = watcher ? '' : (input.supervisionReason ?? '')
  if (!watcher) {
    const belowFloor = supervisionRefusal(riskLevel, supervision, supervisionReason)
    if (belowFloor) return belowFloor
  }
  if (closing && kind === 'first')
    return { field: 'outcome', messageKey: 'carePlans.review.error.closeAtFirst', values: {} }
  let checklist: ReturnType<typeof closureChecklist> | null = null
  const openActions = closing ? await openActionsOf(db, plan.id) : 0
  if (closing) {
    checklist = closureChecklist(
      {
        heldAt: input.heldAt,
        openActions: openActions + (input.actions ?? []).length,
        riskLevel,
        receivedAt: plan.receivedAt,
        healthcareGaveInput: attendance.healthcarePresent || attendance.healthcareInput.trim() !== '',
        personView: input.personView ?? '',
      },
      { ...input.closureReasons, healthcare: attendance.healthcareAbsentReason },
    )
    const unmet = closureRefusal(checklist)
    if (unmet) return unmet
  } else {
    if (!input.nextReviewDueAt)
      return { field: 'nextReviewOn', messageKey: 'carePlans.review.error.nextReview', values: {} }
    const next = nextReviewRefusal(input.heldAt, input.nextReviewDueAt, riskLevel)
    if (next) return next
  }
  const dueAt =
    kind === 'first'
      ? plan.firstReviewDueAt
      : kind === 'immediate'
        ? plan.immediateReviewRequestedAt
        : plan.nextReviewDueAt
  return { manager, changeReason, riskLevel, watcher, supervision, supervisionReason, checklist, openActions, dueAt }
}

async function openActionsOf(db: Db, carePlanId: string) {
  return (await store.actionsOf(db, carePlanId)).filter((action) => !action.completedAt).length
}

/** A review held and decided: recorded, applied to the plan, its watch kept and its actions added. */
async function recordReview(
  deps: CarePlanDeps,
  actor: Actor,
  prisonNumber: string,
  carePlanId: string,
  review: HeldReview,
  decisions: ReviewDecisions,
): Promise<Outcome> {
  const { plan, kind, closing, input, attendance, settings, now } = review
  const { manager, changeReason, riskLevel, watcher, supervision, supervisionReason, checklist, dueAt } = decisions
  return takeStep(
    deps,
    actor,
    {
      prisonNumber,
      carePlanId,
      step: closing ? 'closure' : kind === 'first' ? 'first-review' : 'review',
      auditedAs: closing ? 'care-plan.closed' : 'care-plan.reviewed',
      decidedOn: plan,
    },
    async (trx, locked) => {
      const familyRefused = await familyConsentRefusal(trx, plan, input.attendees)
      if (familyRefused) return familyRefused
      // An action added to the care map as the plan closed: the checklist counted the care map without it.
      if (closing && (await openActionsOf(trx, plan.id)) !== decisions.openActions)
        return { field: 'step', messageKey: 'carePlans.step.changed', values: {} }
      const reviewId = await store.insertReview(trx, {
        ...attendanceColumns(input, attendance, manager.id, manager.displayName),
        carePlanId: plan.id,
        establishmentCode: plan.establishmentCode,
        kind: closing ? 'closure' : kind,
        heldAt: input.heldAt,
        dueAt,
        chairedBy: actor.id,
        caseManagerId: manager.id,
        caseManagerChangeReason: plan.caseManagerId && plan.caseManagerId !== manager.id ? changeReason : '',
        riskLevel,
        supervision,
        supervisionReason,
        constantOfficerId: watcher?.id ?? null,
        triggers: input.triggers ?? '',
        warningSigns: input.warningSigns ?? '',
        notes: input.notes,
        immediateReason: kind === 'immediate' ? plan.immediateReviewReason : null,
        nextReviewDueAt: closing ? null : input.nextReviewDueAt!,
        closureExpected: !closing && input.closureExpected === true,
        closureChecklist: checklist,
        personView: closing ? (input.personView ?? '').trim() : '',
        recordedBy: actor.id,
        recordedAt: now,
      })
      await store.applyReview(trx, plan.id, {
        caseManagerId: manager.id,
        riskLevel,
        supervision,
        supervisionSetAt: now,
        constantOfficerId: closing ? null : (watcher?.id ?? null),
        triggers: input.triggers ?? '',
        warningSigns: input.warningSigns ?? '',
        nextReviewDueAt: closing ? null : input.nextReviewDueAt!,
        closureExpected: !closing && input.closureExpected === true,
        closedAt: closing ? input.heldAt : null,
        postClosureReviewDueAt: closing ? postClosureReviewDue(input.heldAt, settings) : null,
      })
      await keepWatch(trx, actor, locked, closing ? null : (watcher?.id ?? null), now)
      if (closing)
        await deps.events?.publish(
          trx,
          actor,
          'care-plan.closed',
          { carePlanId: plan.id, personId: plan.personId, alertCode: 'HA1' },
          plan.establishmentCode,
        )
      await store.insertActions(
        trx,
        (input.actions ?? []).map((action) => ({
          carePlanId: plan.id,
          reviewId,
          ...action,
          createdAt: now,
          createdBy: actor.id,
        })),
      )
      return {
        audit: { reviewId, kind: closing ? 'closure' : kind, riskLevel, constant: watcher !== null },
      }
    },
  )
}

/**
 * S3: before a release, a case review with the person that records what was passed to community
 * services (the GP, the community mental health team, probation); the release then closes the plan.
 */
export async function holdPreReleaseReview(
  deps: CarePlanDeps,
  actor: Actor,
  prisonNumber: string,
  carePlanId: string,
  input: AttendanceInput & { heldAt: Date; notes: string; communityInformation: string },
): Promise<Outcome> {
  const { clock } = deps
  const { plan } = await findPlanOrThrow(deps, actor, prisonNumber, carePlanId)
  const now = clock.now()
  const timing = heldAtRefusal(input.heldAt, plan.openedAt, now, 'heldOn')
  if (timing) return timing
  const attendance = attendanceOf(input)
  const attendanceRefused = attendanceRefusal('pre-release', attendance)
  if (attendanceRefused) return attendanceRefused
  if (input.communityInformation.trim() === '')
    return { field: 'communityInformation', messageKey: 'carePlans.preRelease.error.information', values: {} }
  return takeStep(
    deps,
    actor,
    { prisonNumber, carePlanId, step: 'pre-release-review', auditedAs: 'care-plan.pre-release-reviewed' },
    async (trx, locked) => {
      const familyRefused = await familyConsentRefusal(trx, locked, input.attendees)
      if (familyRefused) return familyRefused
      const reviewId = await store.insertReview(trx, {
        ...reviewWithoutDecisions(locked, actor, input, attendance, now),
        kind: 'pre-release',
        dueAt: null,
        communityInformation: input.communityInformation,
      })
      await store.markPreReleaseReviewed(trx, locked.id, input.heldAt)
      return { audit: { reviewId, kind: 'pre-release' } }
    },
  )
}

/**
 * S3: a trigger (self-harm, bad news, a worrying observation) demands a case review now: the review
 * falls due at once and the case manager and safer custody are told. One already asked for and not yet held
 * is refused, not asked for again: a second request put its reason in place of the first (the review then
 * met only the second) and moved the time it was due to later, hiding how long the first had waited.
 */
export async function requestImmediateReview(
  deps: CarePlanDeps,
  actor: Actor,
  prisonNumber: string,
  carePlanId: string,
  reason: ImmediateReviewReason,
): Promise<Outcome> {
  const { clock, notifications } = deps
  const { plan: found } = await findPlanOrThrow(deps, actor, prisonNumber, carePlanId)
  const recipients = (await safeCustodyAndManager(deps, found)).filter((id) => id !== actor.id)
  return takeStep(
    deps,
    actor,
    { prisonNumber, carePlanId, step: 'request-immediate-review', auditedAs: 'care-plan.immediate-review-requested' },
    async (trx, plan) => {
      if (plan.immediateReviewRequestedAt !== null)
        return { field: 'pending', messageKey: 'carePlans.immediateReview.error.alreadyAsked' }
      const reopened = plan.closedAt !== null
      await store.requestImmediateReview(trx, plan.id, clock.now(), reason)
      if (reopened) await publishAlertMoved(deps, trx, actor, plan, { from: 'HA1', to: 'HA' })
      await notifications.notify(trx, {
        recipientIds: recipients,
        establishmentCode: plan.establishmentCode,
        kind: 'care-plan.immediate-review',
        messageKey: 'carePlans.notification.immediateReview',
        params: { prisonNumber: plan.prisonNumber },
        href: planHref(plan),
      })
      return { audit: { reason, reopened } }
    },
  )
}

async function safeCustodyAndManager(deps: CarePlanDeps, plan: PlanRow) {
  const { staff } = deps
  const onDuty = await staff.listStaffOnDuty(plan.establishmentCode)
  return [
    ...onDuty.filter((member) => member.role === 'safercustody').map((member) => member.id),
    ...(plan.caseManagerId ? [plan.caseManagerId] : []),
  ]
}
