/** What every care plan use case is given, and the few helpers more than one of them needs (issue 12). */
import type { Notifications } from '../../platform/notifications.ts'
import type { Events, WaymarkEvents } from '../../platform/events.ts'
import type { PlatformDeps } from '../../platform/use-cases.ts'
import { isRefusal, type Outcome } from '../../platform/forms.ts'
import type { Db } from '../../db/database.ts'
import { NotFound } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { PeopleService } from '../people/service.ts'
import {
  scheduleBetween,
  slotStates,
  stepRefusal,
  type CarePlanSettings,
  type PlanState,
  type Refusal,
  type Step,
  type Supervision,
} from './rules.ts'
import * as store from './store.ts'

/** Who can be told and who can be named, from the staff area. */
export type StaffForCarePlans = {
  listStaffOnDuty: (establishmentCode: string) => Promise<readonly { id: string; displayName: string; role: string }[]>
  listOrganisations: () => Promise<readonly { id: string; name: string; kind: string; services: string }[]>
}

/** The person's dedicated officer, from key work: the first of the wing to hear of an overdue observation. */
export type KeyworkForCarePlans = {
  currentDedicatedOfficers: (personIds: string[]) => Promise<Map<string, { staffUserId: string; displayName: string }>>
}

export type NotificationsForCarePlans = Pick<Notifications, 'notify'>

/** S1 to S3: the concern a plan is opened from, from the concerns area. */
export type ConcernsForCarePlans = {
  findConcernForCarePlan: (
    actor: Actor,
    concernId: string,
  ) => Promise<{
    id: string
    personId: string
    raisedAt: Date
    urgency: string
    whatHappened: string
    isOpen: boolean
    indicatesSelfHarmRisk: boolean
  }>
  recordCarePlanOpened: (trx: Db, actor: Actor, concernId: string, carePlanId: string) => Promise<boolean>
}

/** What every care plan use case is given: built once, in app.ts. */
export type CarePlanDeps = PlatformDeps & {
  people: PeopleService
  staff: StaffForCarePlans
  keywork: KeyworkForCarePlans
  notifications: NotificationsForCarePlans
  /** S3: concerns' links, built before this service (the concerns service, built after, counts care plans). */
  concerns?: ConcernsForCarePlans | undefined
  /** Issue 15: a plan opened or closed is told as an event, in the change's own transaction. */
  events?: Pick<Events, 'publish'> | undefined
}

/**
 * Issue 15: a plan's HMPPS alert moved from one code to another (HA1 to HA2 once its post-closure review is held
 * or it leaves custody in that period, HA1 back to HA when an immediate review reopens it), told as an event in
 * the change's own transaction.
 */
export async function publishAlertMoved(
  { events }: Pick<CarePlanDeps, 'events'>,
  trx: Db,
  by: Parameters<Events['publish']>[1],
  plan: { id: string; personId: string; establishmentCode: string },
  move: Pick<WaymarkEvents['care-plan.alert-moved'], 'from' | 'to'>,
): Promise<void> {
  await events?.publish(
    trx,
    by,
    'care-plan.alert-moved',
    { carePlanId: plan.id, personId: plan.personId, ...move },
    plan.establishmentCode,
  )
}

/** Constant watch is kept by officers on the wing (a dedicated officer among them). */
export const watchingRoles = new Set(['officer', 'keyworker'])

/** The counts a plan under constant supervision keeps: none, as no slot can be missed. */
export const noIntervals: Supervision = {
  observationsPerDay: 0,
  observationsPerNight: 0,
  conversationsPerDay: 0,
  conversationsPerNight: 0,
}

export const HOUR = 3_600_000

export type PlanRow = NonNullable<Awaited<ReturnType<typeof store.findPlan>>>

export function stateOf(
  plan: Pick<PlanRow, 'immediateActionAt' | 'assessmentAt' | 'caseManagerId' | 'closedAt' | 'postClosureReviewedAt'>,
): PlanState {
  return {
    immediateActionAt: plan.immediateActionAt,
    assessmentAt: plan.assessmentAt,
    firstReviewHeld: plan.caseManagerId !== null,
    closedAt: plan.closedAt,
    postClosureReviewedAt: plan.postClosureReviewedAt,
  }
}

/** Whether another step has moved the plan: its stage, a review held or asked for, its manager or risk. */
export function planMoved(before: PlanRow, now: PlanRow): boolean {
  const moves = (plan: PlanRow) =>
    JSON.stringify([
      stateOf(plan),
      plan.immediateReviewRequestedAt,
      plan.caseManagerId,
      plan.riskLevel,
      plan.supervisionSetAt,
      plan.nextReviewDueAt,
    ])
  return moves(before) !== moves(now)
}

/** What a schedule reads of a plan: when and how often it is watched, at what risk, and whether it is over. */
type PlanWatched = Pick<PlanRow, 'id' | 'supervisionSetAt' | 'closedAt' | 'constantOfficerId' | 'riskLevel'> &
  Supervision

function supervisionOf(plan: Supervision): Supervision {
  return {
    observationsPerDay: plan.observationsPerDay,
    observationsPerNight: plan.observationsPerNight,
    conversationsPerDay: plan.conversationsPerDay,
    conversationsPerNight: plan.conversationsPerNight,
  }
}

export function planHref(plan: { prisonNumber: string; id: string }) {
  return `/people/${plan.prisonNumber}/care-plans/${plan.id}`
}

/**
 * The schedule around now: the last day's slots and the next twelve hours', each with its state, from the
 * observations that stand (`standingObservations`, or as `standingObservationTimesOf` reads them).
 */
export function scheduleOf(
  plan: PlanWatched,
  settings: CarePlanSettings,
  standing: readonly store.ObservationTimes[],
  now: Date,
) {
  // Under constant supervision an officer is with the person all the time: there is no slot to miss.
  if (!plan.supervisionSetAt || plan.closedAt || plan.constantOfficerId) return []
  const slots = scheduleBetween(
    plan.id,
    { ...supervisionOf(plan), setAt: plan.supervisionSetAt, riskLevel: plan.riskLevel },
    settings,
    new Date(now.getTime() - 24 * HOUR),
    new Date(now.getTime() + 12 * HOUR),
  )
  const states = slotStates(slots, standing, now)
  return slots.map((slot, index) => ({ slot, state: states[index] }))
}

/** A person's plan, only through the person (404 outside the user's establishments or for another's plan). */
export async function findPlanOrThrow(deps: CarePlanDeps, actor: Actor, prisonNumber: string, carePlanId: string) {
  const { db, people } = deps
  const person = await people.personHeader(actor, prisonNumber)
  if (!isUuid(carePlanId)) throw new NotFound()
  const plan = await store.findPlan(db, carePlanId)
  if (!plan || plan.personId !== person.id) throw new NotFound()
  return { person, plan }
}

export async function trainedAt(
  deps: CarePlanDeps,
  establishmentCode: string,
  course: 'acct-assessor' | 'acct-case-manager',
) {
  const { db, clock, staff } = deps
  const onDuty = await staff.listStaffOnDuty(establishmentCode)
  const trained = await store.currentlyTrained(
    db,
    onDuty.map((member) => member.id),
    course,
    clock.today(),
  )
  return onDuty.map((member) => ({ ...member, isTrained: trained.has(member.id) }))
}

/**
 * S3: the member of staff named to hold the assessment or manage the case: on duty at the prison, with the
 * ACCT training for it current; otherwise the refusal beside the field they were chosen in.
 */
export async function trainedOrRefusal(
  deps: CarePlanDeps,
  establishmentCode: string,
  course: 'acct-assessor' | 'acct-case-manager',
  memberId: string | undefined,
  refusals: { field: string; notOnDuty: string; untrained: string },
): Promise<{ id: string; displayName: string } | Refusal> {
  const member = (await trainedAt(deps, establishmentCode, course)).find((onDuty) => onDuty.id === memberId)
  if (!member) return { field: refusals.field, messageKey: refusals.notOnDuty, values: {} }
  if (!member.isTrained)
    return { field: refusals.field, messageKey: refusals.untrained, values: { name: member.displayName } }
  return member
}

/**
 * A step on a person's plan, and the action the audit trail records it as. A step done at a time the user
 * gives (an observation, the assessment) names it and the field it came from: it must fall in the plan's life.
 */
export type StepOnPlan = {
  prisonNumber: string
  carePlanId: string
  step: Step
  doneAt?: { at: Date; field: string }
  auditedAs: string
  /**
   * The plan as the step was decided on, read before the lock: a step decided on a plan that another step has
   * moved since (a review recorded, an immediate review asked for) is refused, to be checked and sent again.
   */
  decidedOn?: PlanRow
}

/** One step on a plan, in one transaction with the plan row locked: refused, or done and audited. */
export async function takeStep(
  deps: CarePlanDeps,
  actor: Actor,
  { prisonNumber, carePlanId, step, doneAt, auditedAs, decidedOn }: StepOnPlan,
  work: (trx: Db, plan: PlanRow) => Promise<Refusal | null | { audit: Record<string, string | number | boolean> }>,
): Promise<Outcome> {
  const { db, clock, audit } = deps
  // Found outside the transaction (the embedded database has one connection), then locked inside it.
  const { person, plan: found } = await findPlanOrThrow(deps, actor, prisonNumber, carePlanId)
  const timing = doneAt && heldAtRefusal(doneAt.at, found.openedAt, clock.now(), doneAt.field)
  if (timing) return timing
  return db.transaction().execute(async (trx) => {
    const plan = await store.lockPlan(trx, carePlanId)
    if (!plan || plan.personId !== person.id) throw new NotFound()
    const refused = stepRefusal(stateOf(plan), step)
    if (refused) return refused
    if (decidedOn && planMoved(decidedOn, plan))
      return { field: 'step', messageKey: 'carePlans.step.changed', values: {} }
    const outcome = await work(trx, plan)
    if (outcome && isRefusal(outcome)) return outcome
    await audit.record(trx, actor, {
      action: auditedAs,
      personId: plan.personId,
      establishmentCode: plan.establishmentCode,
      details: { carePlanId: plan.id, ...(outcome?.audit ?? {}) },
    })
    return null
  })
}

/** The officer named for constant supervision, on duty at the prison; null when none is asked for. */
export async function constantOfficerOrRefusal(
  deps: CarePlanDeps,
  establishmentCode: string,
  officerId: string | null,
): Promise<{ id: string; displayName: string } | Refusal | null> {
  const { staff } = deps
  if (officerId === null) return null
  const onDuty = await staff.listStaffOnDuty(establishmentCode)
  const officer = onDuty.find((member) => member.id === officerId)
  if (!officer || !watchingRoles.has(officer.role))
    return { field: 'constantOfficerId', messageKey: 'carePlans.constant.error.officer', values: {} }
  return officer
}

/** A watch begins, changes hands or ends: each is a row, so the record of constant supervision has no gap. */
export async function keepWatch(trx: Db, actor: Actor, plan: PlanRow, officerId: string | null, at: Date) {
  if ((plan.constantOfficerId ?? null) === officerId) return
  await store.insertConstantWatch(trx, {
    carePlanId: plan.id,
    officerId,
    startedAt: at,
    recordedBy: actor.id,
    recordedAt: at,
  })
}

export async function viewed(deps: CarePlanDeps, actor: Actor, plan: { personId: string; id: string }, page: string) {
  const { db, audit } = deps
  await audit.record(db, actor, {
    action: 'care-plan.viewed',
    personId: plan.personId,
    details: { carePlanId: plan.id, page },
  })
}

/** A time something was done must be after the plan opened and not in the future. */
export function heldAtRefusal(at: Date, openedAt: Date, now: Date, field: string): Refusal | null {
  if (at.getTime() > now.getTime() + 60_000) return { field, messageKey: 'carePlans.error.future', values: {} }
  if (at.getTime() < openedAt.getTime() - 60_000)
    return { field, messageKey: 'carePlans.error.beforeOpened', values: {} }
  return null
}
