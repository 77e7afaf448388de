/** S3, M1: the ACCT deadlines: each step's share met at a prison, and the plans that missed one. */
import type { IsoDate } from '../../db/schema.ts'
import type { Actor } from '../../platform/permissions.ts'
import { londonDate } from '../../platform/dates.ts'
import {
  deadlinePeriodInstants,
  deadlinePeriodRefusal,
  deadlinesMetOf,
  lateEntriesByWing,
  measuredDeadlinesOf,
  percentOf,
  reviewParticipation,
  type CarePlanSettings,
  type MeasuredStep,
  type PlanForMeasure,
  type Refusal,
} from './rules.ts'
import * as store from './store.ts'
import type { CarePlanDeps } from './deps.ts'

/** The ACCT deadlines page: each step's share met in the period, and the plans that missed one. */
export type DeadlinesView = {
  period: { fromOn: IsoDate; toOn: IsoDate }
  settings: CarePlanSettings
  /** Plans opened in the period: none is the page's empty state. */
  opened: number
  /** Case reviews held in the period, and the share healthcare took part in and the person attended. */
  participation: { reviews: number; healthcare: number | null; person: number | null }
  lateEntries: { wingName: string | null; late: number; of: number }[]
  shares: { step: MeasuredStep; met: number; of: number; percent: number | null }[]
  missed: {
    carePlanId: string
    openedAt: Date
    prisonNumber: string
    firstName: string
    lastName: string
    isHere: boolean
    deadlines: { step: MeasuredStep; dueAt: Date; doneAt: Date | null }[]
  }[]
}

/**
 * A measure for later targets: per prison the user works in, the share of plans opened in [from, to)
 * that met the 1 hour, 24 hour and 24 hour deadlines, and of reviews held then that were on time.
 */
export async function deadlinesMet(deps: CarePlanDeps, actor: Actor, from: Date, to: Date) {
  const { db, clock, audit } = deps
  const now = clock.now()
  const result = []
  for (const establishmentCode of actor.establishmentCodes) {
    const measured = deadlinesMetOf(await measuredPlansAt(deps, establishmentCode, from), from, to, now)
    result.push({
      establishmentCode,
      ...measured,
      percent: {
        immediateAction: percentOf(measured.immediateAction),
        assessment: percentOf(measured.assessment),
        firstReview: percentOf(measured.firstReview),
        reviewsOnTime: percentOf(measured.reviewsOnTime),
      },
    })
  }
  await audit.record(db, actor, { action: 'care-plans.deadlines-measured', details: { prisons: result.length } })
  return result
}

/**
 * S3, M1: the ACCT deadlines page at the user's prison for a period of whole days: of the plans opened in
 * it, how many met each opening deadline, and of the case reviews held in it, how many were on time; then
 * each plan that missed one, with the person, to follow up. A period staff can put right (one ending after
 * today, or longer than a year) comes back as a refusal. Audited.
 */
export async function viewDeadlines(
  deps: CarePlanDeps,
  actor: Actor,
  period: { fromOn: IsoDate; toOn: IsoDate },
): Promise<Refusal | DeadlinesView> {
  const { db, clock, audit } = deps
  const now = clock.now()
  const refusal = deadlinePeriodRefusal(period.fromOn, period.toOn, londonDate(now))
  if (refusal) return refusal
  const { from, to } = deadlinePeriodInstants(period.fromOn, period.toOn)
  const plans = await measuredPlansAt(deps, actor.establishmentCode, from)
  const measured = deadlinesMetOf(plans, from, to, now)
  const missing = plans
    .map((plan) => ({ plan, missed: measuredDeadlinesOf(plan, from, to, now).filter((due) => !due.met) }))
    .filter((entry) => entry.missed.length > 0)
    .sort((a, b) => b.plan.openedAt.getTime() - a.plan.openedAt.getTime())
  const people = new Map(
    (
      await store.peopleOfPlans(
        db,
        missing.map((entry) => entry.plan.id),
      )
    ).map((row) => [row.carePlanId, row]),
  )
  const settings = await store.findSettings(db, actor.establishmentCode)
  const [reviewsHeld, entries] = await Promise.all([
    store.reviewsHeldBetween(db, actor.establishmentCode, from, to),
    store.entriesWithWingBetween(db, actor.establishmentCode, from, to),
  ])
  const participation = reviewParticipation(reviewsHeld)
  await audit.record(db, actor, {
    action: 'care-plans.deadlines-viewed',
    details: { fromOn: period.fromOn, toOn: period.toOn, missed: missing.length },
  })
  const steps = [
    ['immediateAction', measured.immediateAction],
    ['assessment', measured.assessment],
    ['firstReview', measured.firstReview],
    ['review', measured.reviewsOnTime],
  ] as const
  return {
    period,
    settings,
    opened: plans.filter((plan) => plan.openedAt >= from && plan.openedAt < to).length,
    participation: {
      reviews: reviewsHeld.length,
      healthcare: percentOf(participation.healthcare),
      person: percentOf(participation.person),
    },
    lateEntries: lateEntriesByWing(entries),
    shares: steps.map(([step, share]) => ({ step, ...share, percent: percentOf(share) })),
    missed: missing.map(({ plan, missed }) => {
      const person = people.get(plan.id)!
      return {
        carePlanId: plan.id,
        openedAt: plan.openedAt,
        prisonNumber: person.prisonNumber,
        firstName: person.firstName,
        lastName: person.lastName,
        // A person moved on is named, but their plan is another prison's to open.
        isHere: actor.establishmentCodes.includes(person.establishmentCode),
        deadlines: missed.map(({ step, dueAt, doneAt }) => ({ step, dueAt, doneAt })),
      }
    }),
  }
}

/** A prison's plans whose deadlines may count from `from` on, each with its scheduled reviews after the first. */
async function measuredPlansAt(
  deps: CarePlanDeps,
  establishmentCode: string,
  from: Date,
): Promise<(PlanForMeasure & { id: string })[]> {
  const { db } = deps
  const plans = await store.plansForMeasure(db, establishmentCode, from)
  const reviews = await store.reviewDueDates(
    db,
    plans.map((plan) => plan.id),
  )
  return plans.map((plan) => ({
    ...plan,
    reviews: reviews
      .filter((review) => review.carePlanId === plan.id && review.kind !== 'first')
      .map((review) => ({ dueAt: review.dueAt, heldAt: review.heldAt })),
  }))
}
