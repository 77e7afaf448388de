/** S3: what staff and the person see of care plans: the care plan tab, the whole plan, the person's own copy. */
import { aboutPerson } from '../../platform/audit.ts'
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import { londonDate } from '../../platform/dates.ts'
import {
  alertOf,
  allowedSteps,
  consentStands,
  conversationTally,
  deadlineState,
  isLateEntry,
  nextDue,
  periodsBetween,
  reviewKindFor,
  stageOf,
  standingObservations,
} from './rules.ts'
import * as store from './store.ts'
import { findPlanOrThrow, scheduleOf, stateOf, viewed, type CarePlanDeps } from './deps.ts'

/**
 * The care plan tab: the person's current ACCT alert, their plan in progress and earlier ones. Those who
 * may only see a summary (partner workers) get the alert, the stage and the next case review. Audited.
 */
export async function viewPersonCarePlans(deps: CarePlanDeps, actor: Actor, prisonNumber: string) {
  const { db, audit, people } = deps
  const person = await people.personHeader(actor, prisonNumber)
  const plans = await store.plansOfPerson(db, person.id)
  const settings = await store.findSettings(db, person.establishmentCode)
  const full = hasPermission(actor.role, 'care-plans.view')
  await audit.record(db, actor, aboutPerson('care-plans.viewed', person, { plans: plans.length, summaryOnly: !full }))
  const latest = plans[0]
  return {
    person,
    settings,
    alert: latest ? alertOf(latest) : null,
    full,
    canOpen: hasPermission(actor.role, 'care-plans.open') && !plans.some((plan) => plan.postClosureReviewedAt === null),
    plans: plans.map((plan) => ({
      id: plan.id,
      stage: stageOf(stateOf(plan)),
      openedAt: plan.openedAt,
      closedAt: plan.closedAt,
      riskLevel: plan.riskLevel,
      nextReviewDueAt: plan.closedAt ? plan.postClosureReviewDueAt : (plan.nextReviewDueAt ?? plan.firstReviewDueAt),
      reason: full ? plan.reason : null,
    })),
  }
}

/**
 * S3: the person's own copy of their plan in progress (ACCT v6: the person keeps a copy of their care
 * map): who manages it, when it is next reviewed, what was agreed and what staff watch for, written with
 * them at review. Never the observations, why it was opened, the notes or anything about family. For the
 * person's own view, which audits the view; null when no plan is in progress.
 */
export async function ownCopyOf(deps: CarePlanDeps, personId: string) {
  const { db } = deps
  const plan = await store.currentPlanOf(db, personId)
  if (!plan) return null
  const actions = await store.actionsOf(db, plan.id)
  const nextReviewDueAt = plan.closedAt ? plan.postClosureReviewDueAt : (plan.nextReviewDueAt ?? plan.firstReviewDueAt)
  return {
    openedOn: londonDate(plan.openedAt),
    isClosed: plan.closedAt !== null,
    caseManagerName: plan.caseManagerName,
    nextReviewOn: nextReviewDueAt ? londonDate(nextReviewDueAt) : null,
    triggers: plan.triggers,
    warningSigns: plan.warningSigns,
    actions: actions.map((action) => ({
      description: action.description,
      owner: action.owner,
      dueOn: action.dueOn,
      isDone: action.completedAt !== null,
    })),
  }
}

/** S3: the whole plan, its deadlines, its supervision schedule and its history. Audited. */
export async function viewCarePlan(deps: CarePlanDeps, actor: Actor, prisonNumber: string, carePlanId: string) {
  const { db, clock } = deps
  const { person, plan } = await findPlanOrThrow(deps, actor, prisonNumber, carePlanId)
  const now = clock.now()
  const settings = await store.findSettings(db, plan.establishmentCode)
  const [reviews, actions, observations, family, referrals, alertsSent, watches] = await Promise.all([
    store.reviewsOf(db, [plan.id]),
    store.actionsOf(db, plan.id),
    store.observationsOf(db, [plan.id]),
    store.familyEventsOf(db, plan.id),
    store.referralsOf(db, plan.id),
    store.alertsSentFor(db, plan.id),
    store.constantWatchesOf(db, plan.id),
  ])
  await viewed(deps, actor, plan, 'plan')
  const state = stateOf(plan)
  const standing = standingObservations(observations)
  const schedule = scheduleOf(plan, settings, standing, now)
  const [period] = periodsBetween(now, new Date(now.getTime() + 1), settings)
  const correctedBy = new Map(
    observations.filter((entry) => entry.correctsId).map((entry) => [entry.correctsId!, entry]),
  )
  const firstReview = reviews.find((review) => review.kind === 'first')
  return {
    person,
    settings,
    plan,
    stage: stageOf(state),
    alert: alertOf(plan),
    steps: allowedSteps(state),
    reviewKind: reviewKindFor(state, plan.immediateReviewRequestedAt !== null),
    deadlines: {
      immediateAction: {
        dueAt: plan.immediateActionDueAt,
        doneAt: plan.immediateActionAt,
        state: deadlineState(plan.immediateActionDueAt, plan.immediateActionAt, now),
      },
      assessment: {
        dueAt: plan.assessmentDueAt,
        doneAt: plan.assessmentAt,
        state: deadlineState(plan.assessmentDueAt, plan.assessmentAt, now),
      },
      firstReview: {
        dueAt: plan.firstReviewDueAt,
        doneAt: firstReview?.heldAt ?? null,
        state: deadlineState(plan.firstReviewDueAt, firstReview?.heldAt ?? null, now),
      },
      nextReview:
        plan.nextReviewDueAt && !plan.closedAt
          ? { dueAt: plan.nextReviewDueAt, state: deadlineState(plan.nextReviewDueAt, null, now) }
          : null,
      postClosureReview: plan.postClosureReviewDueAt
        ? {
            dueAt: plan.postClosureReviewDueAt,
            doneAt: plan.postClosureReviewedAt,
            state: deadlineState(plan.postClosureReviewDueAt, plan.postClosureReviewedAt, now),
          }
        : null,
    },
    schedule,
    nextObservation: nextDue(schedule),
    overdueObservations: schedule.filter((entry) => entry.state === 'overdue' || entry.state === 'late'),
    conversations:
      period && plan.supervisionSetAt && !plan.closedAt
        ? {
            period: period.kind,
            ...conversationTally(
              period,
              standing,
              period.kind === 'day' ? plan.conversationsPerDay : plan.conversationsPerNight,
            ),
          }
        : null,
    reviews,
    actions,
    observations: observations
      .map((entry) => ({
        ...entry,
        isLate: isLateEntry(entry),
        correctedBy: correctedBy.get(entry.id) ?? null,
      }))
      .reverse(),
    family,
    familyConsent: consentStands(family),
    referrals,
    alertsSent,
    watches,
    overdueActions: actions.filter((action) => !action.completedAt && action.dueOn < londonDate(now)).length,
  }
}
