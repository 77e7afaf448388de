import type { Db } from '../../db/database.ts'
import type { CaseReviewAttendee, ImmediateReviewReason, IsoDate, ReferralOutcome, RiskLevel } from '../../db/schema.ts'
import type { Audit } from '../../platform/audit.ts'
import type { Clock } from '../../platform/clock.ts'
import { Conflict, NotFound } from '../../platform/errors.ts'
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import type { PeopleService, PersonAlert } from '../people/service.ts'
import {
  alertOf,
  allowedSteps,
  attendanceRefusal,
  caseManagerChangeRefusal,
  clockStartsAt,
  consentStands,
  closureChecklist,
  closureRefusal,
  isLateEntry,
  lateEntriesByWing,
  reviewParticipation,
  supervisionRefusal,
  byRiskAndUrgency,
  conversationTally,
  daysAtEachLevel,
  deadlinePeriodInstants,
  deadlinePeriodRefusal,
  deadlinesMetOf,
  deadlineState,
  measuredDeadlinesOf,
  nextDue,
  nextReviewRefusal,
  observationAlertsDue,
  openingDeadlines,
  percentOf,
  periodsBetween,
  postClosureReviewDue,
  reviewDueAfterArrival,
  reviewKindFor,
  riskLevels,
  scheduleBetween,
  settingsProblems,
  slotState,
  stageOf,
  standingObservations,
  stepRefusal,
  type Attendance,
  type CarePlanSettings,
  type ClosureCheck,
  type MeasuredStep,
  type PlanForMeasure,
  type PlanState,
  type Refusal,
  type Step,
  type Supervision,
} from './rules.ts'
import { londonDate } from '../../platform/dates.ts'
import type { EventListener } from '../../platform/events.ts'
import * as store from './store.ts'
import { toCsv } from '../../platform/csv.ts'
import { isUuid } from '../../platform/ids.ts'

/** Who can be told and who can be named, from the staff area. */
export type StaffForCarePlans = {
  listStaffOnDuty: (establishmentCode: string) => Promise<readonly { id: string; displayName: string; role: string }[]>
  listOrganisations: () => Promise<readonly { id: string; name: string; kind: string; services: string }[]>
}

/** The person's dedicated officer, from key work: the first of the wing to hear of an overdue observation. */
export type KeyworkForCarePlans = {
  currentDedicatedOfficers: (personIds: string[]) => Promise<Map<string, { staffUserId: string; displayName: string }>>
}

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

export type NotificationsForCarePlans = {
  notify: (
    trx: Db,
    notification: {
      recipientIds: readonly string[]
      establishmentCode: string
      kind: string
      messageKey: string
      params: Record<string, string | number>
      href: string
    },
  ) => Promise<unknown>
}

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

export type CarePlanService = ReturnType<typeof createCarePlanService>

/** Who attended a review beyond the case manager (added from the choice of case manager), and who did not. */
export type AttendanceInput = {
  /** Partners, family, healthcare, wing staff, chaplaincy and other staff; the person comes from personPresent. */
  attendees: CaseReviewAttendee[]
  /** Null when the form did not say. */
  personPresent: boolean | null
  personAbsentReason?: string | undefined
  healthcareInput?: string | undefined
  healthcareAbsentReason?: string | undefined
}

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

export type ObservationInput = { observedAt: Date; seen: string; wasConversation: boolean }

/** Constant watch is kept by officers on the wing (a dedicated officer among them). */
const watchingRoles = new Set(['officer', 'keyworker'])

/** The counts a plan under constant supervision keeps: none, as no slot can be missed. */
const noIntervals: Supervision = {
  observationsPerDay: 0,
  observationsPerNight: 0,
  conversationsPerDay: 0,
  conversationsPerNight: 0,
}

const system = { id: null, username: 'system' }
const HOUR = 3_600_000

type PlanRow = NonNullable<Awaited<ReturnType<typeof store.findPlan>>>

function stateOf(plan: PlanRow): PlanState {
  return {
    immediateActionAt: plan.immediateActionAt,
    assessmentAt: plan.assessmentAt,
    firstReviewHeld: plan.caseManagerId !== null,
    closedAt: plan.closedAt,
    postClosureReviewedAt: plan.postClosureReviewedAt,
  }
}

function supervisionOf(plan: PlanRow): Supervision {
  return {
    observationsPerDay: plan.observationsPerDay,
    observationsPerNight: plan.observationsPerNight,
    conversationsPerDay: plan.conversationsPerDay,
    conversationsPerNight: plan.conversationsPerNight,
  }
}

function planHref(plan: { prisonNumber: string; id: string }) {
  return `/people/${plan.prisonNumber}/care-plans/${plan.id}`
}

/** The schedule around now: the last day's slots and the next twelve hours', each with its state. */
function scheduleOf(
  plan: PlanRow,
  settings: CarePlanSettings,
  observations: readonly store.ObservationRow[],
  now: Date,
) {
  // Under constant supervision an officer is with the person all the time: there is no slot to miss.
  if (!plan.supervisionSetAt || plan.closedAt || plan.constantOfficerId) return []
  const standing = standingObservations(observations)
  const slots = scheduleBetween(
    plan.id,
    { ...supervisionOf(plan), setAt: plan.supervisionSetAt, riskLevel: plan.riskLevel },
    settings,
    new Date(now.getTime() - 24 * HOUR),
    new Date(now.getTime() + 12 * HOUR),
  )
  return slots.map((slot) => ({ slot, state: slotState(slot, standing, now) }))
}

/**
 * S3: the ACCT alert in the header of every page of the person's record while a plan is in progress: open
 * (HA), or closed with its post-closure review to come (HA1). For the people area, which shows it to those who
 * may see the care plan tab. A read of care plans' own records and nothing else, so people, built before every
 * area, is handed it at start-up. Not audited: the page it sits on audits its own view.
 */
export async function carePlanHeaderAlertsOf(db: Db, personId: string): Promise<PersonAlert[]> {
  const current = await store.currentPlanOf(db, personId)
  if (!current) return []
  const { code } = alertOf(current)
  const colour = code === 'HA' ? 'red' : 'orange'
  return [{ messageKey: `carePlans.headerAlert.${code}`, tabPath: 'care-plans', colour }]
}

export function createCarePlanService({
  db,
  clock,
  audit,
  people,
  staff,
  keywork,
  notifications,
  concerns,
}: {
  db: Db
  clock: Clock
  audit: Audit
  people: PeopleService
  staff: StaffForCarePlans
  keywork: KeyworkForCarePlans
  notifications: NotificationsForCarePlans
  /** S3: concerns' links, built before this service (the concerns service, built after, counts care plans). */
  concerns?: ConcernsForCarePlans | undefined
}) {
  /** A person's plan, only through the person (404 outside the user's establishments or for another's plan). */
  async function findPlanOrThrow(actor: Actor, prisonNumber: string, carePlanId: string) {
    const person = await people.personHeader(actor, prisonNumber)
    if (!isUuid(carePlanId)) throw new NotFound()
    const plan = await store.findPlan(db, carePlanId)
    if (!plan || plan.personId !== person.id) throw new NotFound()
    return { person, plan }
  }

  async function trainedAt(establishmentCode: string, course: 'acct-assessor' | 'acct-case-manager') {
    const onDuty = await staff.listStaffOnDuty(establishmentCode)
    const trained = await store.currentlyTrained(
      db,
      onDuty.map((member) => member.id),
      course,
      clock.today(),
    )
    return onDuty.map((member) => ({ ...member, isTrained: trained.has(member.id) }))
  }

  async function safeCustodyAndManager(plan: PlanRow) {
    const onDuty = await staff.listStaffOnDuty(plan.establishmentCode)
    return [
      ...onDuty.filter((member) => member.role === 'safercustody').map((member) => member.id),
      ...(plan.caseManagerId ? [plan.caseManagerId] : []),
    ]
  }

  /** One step on a plan, in one transaction with the plan row locked: refused, or done and audited. */
  async function step(
    actor: Actor,
    prisonNumber: string,
    carePlanId: string,
    which: Step,
    work: (trx: Db, plan: PlanRow) => Promise<Refusal | null | { audit: Record<string, string | number | boolean> }>,
    action: string,
  ): Promise<Refusal | null> {
    // Found outside the transaction (the embedded database has one connection), then locked inside it.
    const { person } = await findPlanOrThrow(actor, prisonNumber, carePlanId)
    return db.transaction().execute(async (trx) => {
      const plan = await store.lockPlan(trx, carePlanId)
      if (!plan || plan.personId !== person.id) throw new NotFound()
      const refused = stepRefusal(stateOf(plan), which)
      if (refused) return refused
      const outcome = await work(trx, plan)
      if (outcome && 'messageKey' in outcome) return outcome
      await audit.record(trx, actor, {
        action,
        personId: plan.personId,
        establishmentCode: plan.establishmentCode,
        details: { carePlanId: plan.id, ...(outcome?.audit ?? {}) },
      })
      return null
    })
  }

  /** A prison's plans whose deadlines may count from `from` on, each with its scheduled reviews after the first. */
  async function measuredPlansAt(establishmentCode: string, from: Date): Promise<(PlanForMeasure & { id: string })[]> {
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

  /** The officer named for constant supervision, on duty at the prison; null when none is asked for. */
  async function constantOfficerOrRefusal(
    establishmentCode: string,
    officerId: string | null,
  ): Promise<{ id: string; displayName: string } | Refusal | null> {
    if (officerId === null) return null
    const onDuty = await staff.listStaffOnDuty(establishmentCode)
    const officer = onDuty.find((member) => member.id === officerId)
    if (!officer || !watchingRoles.has(officer.role))
      return { field: 'constantOfficerId', messageKey: 'carePlans.constant.error.officer', values: {} }
    return officer
  }

  /** Family attend a review only with the person's consent, which governs what is shared with them. */
  async function familyConsentRefusal(plan: PlanRow, attendees: readonly CaseReviewAttendee[]) {
    if (!attendees.some((attendee) => attendee.kind === 'family')) return null
    const family = await store.familyEventsOf(db, plan.id)
    if (consentStands(family)) return null
    return { field: 'attendees', messageKey: 'carePlans.review.error.familyConsent', values: {} }
  }

  /** A watch begins, changes hands or ends: each is a row, so the record of constant supervision has no gap. */
  async function keepWatch(trx: Db, actor: Actor, plan: PlanRow, officerId: string | null, at: Date) {
    if ((plan.constantOfficerId ?? null) === officerId) return
    await store.insertConstantWatch(trx, {
      carePlanId: plan.id,
      officerId,
      startedAt: at,
      recordedBy: actor.id,
      recordedAt: at,
    })
  }

  async function viewed(actor: Actor, plan: { personId: string; id: string }, page: string) {
    await audit.record(db, actor, {
      action: 'care-plan.viewed',
      personId: plan.personId,
      details: { carePlanId: plan.id, page },
    })
  }

  const service = {
    async settingsFor(establishmentCode: string): Promise<CarePlanSettings> {
      return store.findSettings(db, establishmentCode)
    },

    /** S3: the prison's timings and names; refused as a whole if any is wrong. Audited. */
    async saveSettings(actor: Actor, settings: CarePlanSettings): Promise<Refusal[]> {
      const problems = settingsProblems(settings)
      if (problems.length > 0) return problems
      await db.transaction().execute(async (trx) => {
        await store.saveSettings(trx, actor.establishmentCode, settings)
        await audit.record(trx, actor, { action: 'care-plan.settings-saved' })
      })
      return []
    },

    /**
     * The care plan tab: the person's current ACCT alert, their plan in progress and earlier ones. Those who
     * may only see a summary (partner workers) get the alert, the stage and the next case review. Audited.
     */
    async viewPersonCarePlans(actor: Actor, prisonNumber: string) {
      const person = await people.personHeader(actor, prisonNumber)
      const plans = await store.plansOfPerson(db, person.id)
      const settings = await store.findSettings(db, person.establishmentCode)
      const full = hasPermission(actor.role, 'care-plans.view')
      await audit.record(db, actor, {
        action: 'care-plans.viewed',
        personId: person.id,
        establishmentCode: person.establishmentCode,
        details: { plans: plans.length, summaryOnly: !full },
      })
      const latest = plans[0]
      return {
        person,
        settings,
        alert: latest ? alertOf(latest) : null,
        full,
        canOpen:
          hasPermission(actor.role, 'care-plans.open') && !plans.some((plan) => plan.postClosureReviewedAt === null),
        plans: plans.map((plan) => ({
          id: plan.id,
          stage: stageOf(stateOf(plan)),
          openedAt: plan.openedAt,
          closedAt: plan.closedAt,
          riskLevel: plan.riskLevel,
          nextReviewDueAt: plan.closedAt
            ? plan.postClosureReviewDueAt
            : (plan.nextReviewDueAt ?? plan.firstReviewDueAt),
          reason: full ? plan.reason : null,
        })),
      }
    },

    /**
     * S3: the person's own copy of their plan in progress (ACCT v6: the person keeps a copy of their care
     * map): who manages it, when it is next reviewed, what was agreed and what staff watch for, written with
     * them at review. Never the observations, why it was opened, the notes or anything about family. For the
     * person's own view, which audits the view; null when no plan is in progress.
     */
    async ownCopyOf(personId: string) {
      const plan = await store.currentPlanOf(db, personId)
      if (!plan) return null
      const actions = await store.actionsOf(db, plan.id)
      const nextReviewDueAt = plan.closedAt
        ? plan.postClosureReviewDueAt
        : (plan.nextReviewDueAt ?? plan.firstReviewDueAt)
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
    },

    /** S3: the ACCT alert in the person's header (carePlanHeaderAlertsOf). */
    headerAlertsOf: (personId: string) => carePlanHeaderAlertsOf(db, personId),

    /** S3: the form to open a plan, with the concern it comes from when there is one. */
    async openForm(actor: Actor, prisonNumber: string, concernId: string | null) {
      const person = await people.personHeader(actor, prisonNumber)
      const current = await store.currentPlanOf(db, person.id)
      const concern = concernId ? await findConcern(actor, person.id, concernId) : null
      if (current) await viewed(actor, current, 'open')
      return { person, current: current ? { id: current.id, stage: stageOf(stateOf(current)) } : null, concern }
    },

    /**
     * S3: opens a plan and starts its clock. From a concern, the concern is acted on in the same transaction.
     * The person's dedicated officer and the safer custody leads on duty are told. Audited.
     */
    async openCarePlan(
      actor: Actor,
      prisonNumber: string,
      input: { reason: string; concernId: string | null },
    ): Promise<Refusal | { carePlanId: string }> {
      const person = await people.personHeader(actor, prisonNumber)
      const concern = input.concernId ? await findConcern(actor, person.id, input.concernId) : null
      const settings = await store.findSettings(db, person.establishmentCode)
      const [officers, onDuty] = await Promise.all([
        keywork.currentDedicatedOfficers([person.id]),
        staff.listStaffOnDuty(person.establishmentCode),
      ])
      return db.transaction().execute(async (trx) => {
        if (await store.currentPlanOf(trx, person.id))
          return { field: 'reason', messageKey: 'carePlans.open.error.alreadyOpen', values: {} }
        const openedAt = clock.now()
        const startsAt = clockStartsAt(openedAt, concern)
        const carePlanId = await store.insertPlan(trx, {
          personId: person.id,
          establishmentCode: person.establishmentCode,
          concernId: concern?.id ?? null,
          reason: input.reason,
          openedAt,
          openedBy: actor.id,
          clockStartedAt: startsAt === openedAt ? null : startsAt,
          ...openingDeadlines(startsAt, settings),
        })
        if (concern) await concerns?.recordCarePlanOpened(trx, actor, concern.id, carePlanId)
        const officer = officers.get(person.id)
        await notifications.notify(trx, {
          recipientIds: [
            ...(officer ? [officer.staffUserId] : []),
            ...onDuty.filter((member) => member.role === 'safercustody').map((member) => member.id),
          ].filter((id) => id !== actor.id),
          establishmentCode: person.establishmentCode,
          kind: 'care-plan.opened',
          messageKey: 'carePlans.notification.opened',
          params: { prisonNumber: person.prisonNumber },
          href: planHref({ prisonNumber: person.prisonNumber, id: carePlanId }),
        })
        await audit.record(trx, actor, {
          action: 'care-plan.opened',
          personId: person.id,
          establishmentCode: person.establishmentCode,
          details: { carePlanId, concernId: concern?.id ?? null },
        })
        return { carePlanId }
      })
    },

    /** S3: the whole plan, its deadlines, its supervision schedule and its history. Audited. */
    async viewCarePlan(actor: Actor, prisonNumber: string, carePlanId: string) {
      const { person, plan } = await findPlanOrThrow(actor, prisonNumber, carePlanId)
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
      await viewed(actor, plan, 'plan')
      const state = stateOf(plan)
      const schedule = scheduleOf(plan, settings, observations, now)
      const [period] = periodsBetween(now, new Date(now.getTime() + 1), settings)
      const standing = standingObservations(observations)
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
    },

    /**
     * S3: the immediate action plan, which also sets the first supervision: observations at intervals, or
     * constant supervision by a named officer on duty.
     */
    async recordImmediateAction(
      actor: Actor,
      prisonNumber: string,
      carePlanId: string,
      input: { text: string; supervision: Supervision; constantOfficerId?: string | null | undefined },
    ): Promise<Refusal | null> {
      const { plan: found } = await findPlanOrThrow(actor, prisonNumber, carePlanId)
      const watcher = await constantOfficerOrRefusal(found.establishmentCode, input.constantOfficerId ?? null)
      if (watcher && 'messageKey' in watcher) return watcher
      return step(
        actor,
        prisonNumber,
        carePlanId,
        'immediate-action',
        async (trx, plan) => {
          const at = clock.now()
          await store.recordImmediateAction(trx, plan.id, {
            at,
            by: actor.id,
            text: input.text,
            supervision: watcher ? noIntervals : input.supervision,
            constantOfficerId: watcher?.id ?? null,
          })
          await keepWatch(trx, actor, plan, watcher?.id ?? null, at)
          return { audit: { ...(watcher ? noIntervals : input.supervision), constant: watcher !== null } }
        },
        'care-plan.immediate-action-recorded',
      )
    },

    /**
     * S3: constant supervision passes from one officer to the next with no gap: the new officer's watch
     * begins as the last one's ends, and both are on the record.
     */
    async handOverConstantSupervision(
      actor: Actor,
      prisonNumber: string,
      carePlanId: string,
      officerId: string,
    ): Promise<Refusal | null> {
      const { plan: found } = await findPlanOrThrow(actor, prisonNumber, carePlanId)
      const watcher = await constantOfficerOrRefusal(found.establishmentCode, officerId)
      if (!watcher) return { field: 'constantOfficerId', messageKey: 'carePlans.constant.error.officer', values: {} }
      if ('messageKey' in watcher) return watcher
      return step(
        actor,
        prisonNumber,
        carePlanId,
        'constant-supervision',
        async (trx, plan) => {
          if (!plan.constantOfficerId)
            return { field: 'constantOfficerId', messageKey: 'carePlans.constant.error.notConstant', values: {} }
          if (plan.constantOfficerId === watcher.id)
            return { field: 'constantOfficerId', messageKey: 'carePlans.constant.error.same', values: {} }
          await store.setConstantOfficer(trx, plan.id, watcher.id)
          await keepWatch(trx, actor, plan, watcher.id, clock.now())
          return { audit: { from: plan.constantOfficerId, to: watcher.id } }
        },
        'care-plan.constant-supervision-handed-over',
      )
    },

    /** S3: the officers on duty at a prison who may be named to keep constant watch. */
    async officersOnDuty(establishmentCode: string) {
      const onDuty = await staff.listStaffOnDuty(establishmentCode)
      return onDuty.filter((member) => watchingRoles.has(member.role))
    },

    /** S3: staff on duty who may hold the assessment interview, the trained first. Audited as a view. */
    async assessmentForm(actor: Actor, prisonNumber: string, carePlanId: string) {
      const { person, plan } = await findPlanOrThrow(actor, prisonNumber, carePlanId)
      await viewed(actor, plan, 'assessment')
      const assessors = (await trainedAt(plan.establishmentCode, 'acct-assessor')).filter((member) => member.isTrained)
      return { person, plan, stage: stageOf(stateOf(plan)), assessors }
    },

    /** S3: the assessment interview, held by an assessor whose ACCT assessor training is current. */
    async recordAssessment(
      actor: Actor,
      prisonNumber: string,
      carePlanId: string,
      input: { assessorId: string; heldAt: Date; notes: string },
    ): Promise<Refusal | null> {
      const { plan } = await findPlanOrThrow(actor, prisonNumber, carePlanId)
      const assessor = (await trainedAt(plan.establishmentCode, 'acct-assessor')).find(
        (member) => member.id === input.assessorId,
      )
      if (!assessor) return { field: 'assessorId', messageKey: 'carePlans.assessment.error.assessor', values: {} }
      if (!assessor.isTrained)
        return {
          field: 'assessorId',
          messageKey: 'carePlans.assessment.error.untrained',
          values: { name: assessor.displayName },
        }
      const timing = heldAtRefusal(input.heldAt, plan.openedAt, clock.now(), 'heldOn')
      if (timing) return timing
      return step(
        actor,
        prisonNumber,
        carePlanId,
        'assessment',
        async (trx) => {
          await store.recordAssessment(trx, plan.id, { at: input.heldAt, assessorId: assessor.id, notes: input.notes })
          return { audit: { assessorId: assessor.id } }
        },
        'care-plan.assessment-recorded',
      )
    },

    /** S3: the case review form: which review it is, trained case managers, partner organisations. */
    async reviewForm(actor: Actor, prisonNumber: string, carePlanId: string) {
      const { person, plan } = await findPlanOrThrow(actor, prisonNumber, carePlanId)
      await viewed(actor, plan, 'review')
      const [managers, organisations, family, settings, actions, officers] = await Promise.all([
        trainedAt(plan.establishmentCode, 'acct-case-manager'),
        staff.listOrganisations(),
        store.familyEventsOf(db, plan.id),
        store.findSettings(db, plan.establishmentCode),
        store.actionsOf(db, plan.id),
        service.officersOnDuty(plan.establishmentCode),
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
    },

    /**
     * S3: a case review. The first appoints the case manager, who carries the plan from then on; each sets
     * the risk, the supervision (no less than the level's floor without a reason, or constant supervision),
     * the triggers and warning signs, adds to the care map, and either sets the next review (sooner the
     * higher the risk) or closes the plan once its checklist is met or explained (the post-closure review
     * then due). A post-closure review ends the plan. Every review records who attended by role, and why the
     * person did not; the first and the closure, healthcare's part. Audited.
     */
    async holdReview(
      actor: Actor,
      prisonNumber: string,
      carePlanId: string,
      input: ReviewInput,
    ): Promise<Refusal | null> {
      const { plan } = await findPlanOrThrow(actor, prisonNumber, carePlanId)
      const now = clock.now()
      const kind = reviewKindFor(stateOf(plan), plan.immediateReviewRequestedAt !== null)
      if (!kind) return stepRefusal(stateOf(plan), 'review')
      const timing = heldAtRefusal(input.heldAt, plan.openedAt, now, 'heldOn')
      if (timing) return timing
      const closing = input.close === true && kind !== 'post-closure'
      const attendance = attendanceOf(input)
      const attendanceRefused = attendanceRefusal(closing ? 'closure' : kind, attendance)
      if (attendanceRefused) return attendanceRefused
      const familyRefused = await familyConsentRefusal(plan, input.attendees)
      if (familyRefused) return familyRefused
      const settings = await store.findSettings(db, plan.establishmentCode)
      if (kind === 'post-closure')
        return step(
          actor,
          prisonNumber,
          carePlanId,
          'post-closure-review',
          async (trx) => {
            const reviewId = await store.insertReview(trx, {
              ...reviewWithoutDecisions(plan, actor, input, attendance, now),
              kind,
              dueAt: plan.postClosureReviewDueAt,
            })
            await store.markPostClosureReviewed(trx, plan.id, input.heldAt)
            return { audit: { reviewId, kind } }
          },
          'care-plan.post-closure-reviewed',
        )

      const managers = await trainedAt(plan.establishmentCode, 'acct-case-manager')
      const manager = managers.find((member) => member.id === input.caseManagerId)
      if (!manager) return { field: 'caseManagerId', messageKey: 'carePlans.review.error.caseManager', values: {} }
      if (!manager.isTrained)
        return {
          field: 'caseManagerId',
          messageKey: 'carePlans.review.error.untrained',
          values: { name: manager.displayName },
        }
      const changeReason = input.caseManagerChangeReason ?? ''
      const changeRefused = caseManagerChangeRefusal(plan.caseManagerId, manager.id, changeReason)
      if (changeRefused) return changeRefused
      const riskLevel = input.riskLevel
      if (!riskLevel || !riskLevels.includes(riskLevel))
        return { field: 'riskLevel', messageKey: 'carePlans.review.error.riskLevel', values: {} }
      const watcher = await constantOfficerOrRefusal(plan.establishmentCode, input.constantOfficerId ?? null)
      if (watcher && 'messageKey' in watcher) return watcher
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
      if (closing) {
        const openActions = (await store.actionsOf(db, plan.id)).filter((action) => !action.completedAt).length
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
      return step(
        actor,
        prisonNumber,
        carePlanId,
        closing ? 'closure' : kind === 'first' ? 'first-review' : 'review',
        async (trx, locked) => {
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
        closing ? 'care-plan.closed' : 'care-plan.reviewed',
      )
    },

    /**
     * S3: before a release, a case review with the person that records what was passed to community
     * services (the GP, the community mental health team, probation); the release then closes the plan.
     */
    async holdPreReleaseReview(
      actor: Actor,
      prisonNumber: string,
      carePlanId: string,
      input: AttendanceInput & { heldAt: Date; notes: string; communityInformation: string },
    ): Promise<Refusal | null> {
      const { plan } = await findPlanOrThrow(actor, prisonNumber, carePlanId)
      const now = clock.now()
      const timing = heldAtRefusal(input.heldAt, plan.openedAt, now, 'heldOn')
      if (timing) return timing
      const attendance = attendanceOf(input)
      const attendanceRefused = attendanceRefusal('pre-release', attendance)
      if (attendanceRefused) return attendanceRefused
      if (input.communityInformation.trim() === '')
        return { field: 'communityInformation', messageKey: 'carePlans.preRelease.error.information', values: {} }
      const familyRefused = await familyConsentRefusal(plan, input.attendees)
      if (familyRefused) return familyRefused
      return step(
        actor,
        prisonNumber,
        carePlanId,
        'pre-release-review',
        async (trx, locked) => {
          const reviewId = await store.insertReview(trx, {
            ...reviewWithoutDecisions(locked, actor, input, attendance, now),
            kind: 'pre-release',
            dueAt: null,
            communityInformation: input.communityInformation,
          })
          await store.markPreReleaseReviewed(trx, locked.id, input.heldAt)
          return { audit: { reviewId, kind: 'pre-release' } }
        },
        'care-plan.pre-release-reviewed',
      )
    },

    /** S3: an observation, formal or informal, with a conversation or not. Never edited afterwards. */
    async recordObservation(
      actor: Actor,
      prisonNumber: string,
      carePlanId: string,
      input: ObservationInput,
    ): Promise<Refusal | null> {
      const { plan } = await findPlanOrThrow(actor, prisonNumber, carePlanId)
      const timing = heldAtRefusal(input.observedAt, plan.openedAt, clock.now(), 'observedOn')
      if (timing) return timing
      return step(
        actor,
        prisonNumber,
        carePlanId,
        'observation',
        async (trx) => {
          const observationId = await store.insertObservation(trx, {
            carePlanId: plan.id,
            establishmentCode: plan.establishmentCode,
            observedAt: input.observedAt,
            seen: input.seen,
            wasConversation: input.wasConversation,
            correctsId: null,
            correctionReason: null,
            recordedBy: actor.id,
            recordedAt: clock.now(),
          })
          return { audit: { observationId } }
        },
        'care-plan.observation-recorded',
      )
    },

    async observationForCorrection(actor: Actor, prisonNumber: string, carePlanId: string, observationId: string) {
      const { person, plan } = await findPlanOrThrow(actor, prisonNumber, carePlanId)
      if (!isUuid(observationId)) throw new NotFound()
      const observation = await store.findObservation(db, plan.id, observationId)
      if (!observation) throw new NotFound()
      await viewed(actor, plan, 'correct-observation')
      return { person, plan, observation, isCorrected: await store.isCorrected(db, observation.id) }
    },

    /** S3: a correction is a new entry that points at the one it corrects; both stay in the history. */
    async correctObservation(
      actor: Actor,
      prisonNumber: string,
      carePlanId: string,
      observationId: string,
      input: ObservationInput & { reason: string },
    ): Promise<Refusal | null> {
      const { plan } = await findPlanOrThrow(actor, prisonNumber, carePlanId)
      if (!isUuid(observationId) || !(await store.findObservation(db, plan.id, observationId))) throw new NotFound()
      const timing = heldAtRefusal(input.observedAt, plan.openedAt, clock.now(), 'observedOn')
      if (timing) return timing
      return step(
        actor,
        prisonNumber,
        carePlanId,
        'observation',
        async (trx) => {
          if (await store.isCorrected(trx, observationId))
            return { field: 'reason', messageKey: 'carePlans.correction.error.already', values: {} }
          const correctionId = await store.insertObservation(trx, {
            carePlanId: plan.id,
            establishmentCode: plan.establishmentCode,
            observedAt: input.observedAt,
            seen: input.seen,
            wasConversation: input.wasConversation,
            correctsId: observationId,
            correctionReason: input.reason,
            recordedBy: actor.id,
            recordedAt: clock.now(),
          })
          return { audit: { observationId: correctionId, correctsId: observationId } }
        },
        'care-plan.observation-corrected',
      )
    },

    /**
     * S3: a trigger (self-harm, bad news, a worrying observation) demands a case review now: the review
     * falls due at once and the case manager and safer custody are told.
     */
    async requestImmediateReview(
      actor: Actor,
      prisonNumber: string,
      carePlanId: string,
      reason: ImmediateReviewReason,
    ): Promise<Refusal | null> {
      const { plan: found } = await findPlanOrThrow(actor, prisonNumber, carePlanId)
      const recipients = (await safeCustodyAndManager(found)).filter((id) => id !== actor.id)
      return step(
        actor,
        prisonNumber,
        carePlanId,
        'request-immediate-review',
        async (trx, plan) => {
          const reopened = plan.closedAt !== null
          await store.requestImmediateReview(trx, plan.id, clock.now(), reason)
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
        'care-plan.immediate-review-requested',
      )
    },

    /** S3: an action added to the care map between reviews. */
    async addAction(
      actor: Actor,
      prisonNumber: string,
      carePlanId: string,
      input: { description: string; owner: string; dueOn: IsoDate },
    ): Promise<Refusal | null> {
      if (input.dueOn < clock.today())
        return { field: 'actionDueOn', messageKey: 'carePlans.action.error.past', values: {} }
      return step(
        actor,
        prisonNumber,
        carePlanId,
        'care-map',
        async (trx, plan) => {
          await store.insertActions(trx, [
            { carePlanId: plan.id, reviewId: null, ...input, createdAt: clock.now(), createdBy: actor.id },
          ])
          return null
        },
        'care-plan.action-added',
      )
    },

    async completeAction(actor: Actor, prisonNumber: string, carePlanId: string, actionId: string) {
      if (!isUuid(actionId)) throw new NotFound()
      return step(
        actor,
        prisonNumber,
        carePlanId,
        'care-map',
        async (trx, plan) => {
          if (!(await store.completeAction(trx, plan.id, actionId, clock.now(), actor.id))) throw new Conflict()
          return { audit: { actionId } }
        },
        'care-plan.action-completed',
      )
    },

    /**
     * S4: consent to involve family, its withdrawal, and each contact. A relative's call about a worry is
     * written down whether or not the person has consented: consent governs what is shared with family,
     * not whether what they tell us is kept.
     */
    async recordFamily(
      actor: Actor,
      prisonNumber: string,
      carePlanId: string,
      input: { kind: 'consent-given' | 'consent-withdrawn' | 'contact'; familyMember: string; notes: string },
    ): Promise<Refusal | null> {
      return step(
        actor,
        prisonNumber,
        carePlanId,
        'family',
        async (trx, plan) => {
          const events = await store.familyEventsOf(trx, plan.id)
          const consented = consentStands(events)
          if (input.kind === 'consent-withdrawn' && !consented)
            return { field: 'familyKind', messageKey: 'carePlans.family.error.nothingToWithdraw', values: {} }
          const eventId = await store.insertFamilyEvent(trx, {
            carePlanId: plan.id,
            ...input,
            occurredAt: clock.now(),
            recordedBy: actor.id,
            recordedAt: clock.now(),
          })
          return { audit: { eventId, kind: input.kind } }
        },
        'care-plan.family-recorded',
      )
    },

    /** S5: a referral to a community or partner service. */
    async refer(
      actor: Actor,
      prisonNumber: string,
      carePlanId: string,
      input: { organisationId: string; reason: string },
    ): Promise<Refusal | null> {
      const organisations = await staff.listOrganisations()
      if (!organisations.some((organisation) => organisation.id === input.organisationId))
        return { field: 'organisationId', messageKey: 'carePlans.referral.error.organisation', values: {} }
      return step(
        actor,
        prisonNumber,
        carePlanId,
        'referral',
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
        'care-plan.referral-made',
      )
    },

    async recordReferralOutcome(
      actor: Actor,
      prisonNumber: string,
      carePlanId: string,
      referralId: string,
      input: { outcome: ReferralOutcome; notes: string },
    ): Promise<Refusal | null> {
      if (!isUuid(referralId)) throw new NotFound()
      return step(
        actor,
        prisonNumber,
        carePlanId,
        'referral',
        async (trx, plan) => {
          const done = await store.recordReferralOutcome(trx, plan.id, referralId, {
            ...input,
            at: clock.now(),
            by: actor.id,
          })
          if (!done)
            return { field: `outcome-${referralId}`, messageKey: 'carePlans.referral.error.answered', values: {} }
          return { audit: { referralId, outcome: input.outcome } }
        },
        'care-plan.referral-outcome-recorded',
      )
    },

    /**
     * The lists behind the dashboard counts, at the user's prison: open plans (by risk), overdue
     * observations, overdue reviews, plans due to close and post-closure reviews due. Audited.
     */
    async listPlans(actor: Actor, list: PlanList, riskLevel: RiskLevel | null) {
      const rows = await classified(actor.establishmentCode)
      const chosen = byRiskAndUrgency(
        rows.filter(
          (row) => row.lists.includes(list) && (list !== 'open' || !riskLevel || row.plan.riskLevel === riskLevel),
        ),
      )
      await audit.record(db, actor, { action: 'care-plans.list-viewed', details: { list, count: chosen.length } })
      return {
        settings: await store.findSettings(db, actor.establishmentCode),
        plans: chosen.map((row) => ({
          id: row.plan.id,
          prisonNumber: row.plan.prisonNumber,
          firstName: row.plan.firstName,
          lastName: row.plan.lastName,
          stage: row.stage,
          riskLevel: row.plan.riskLevel,
          caseManagerName: row.plan.caseManagerName,
          nextReviewDueAt: row.plan.nextReviewDueAt ?? row.plan.firstReviewDueAt,
          postClosureReviewDueAt: row.plan.postClosureReviewDueAt,
          reviewOverdue: row.reviewOverdue,
          overdueSince: row.overdueSince,
          overdueActions: row.overdueActions,
        })),
      }
    },

    /**
     * M4: the days plans at a prison spent at each risk level in [from, to), from their reviews, and the
     * names the prison gives the levels in English and Welsh. Counts only, for the costing page. A plan that came on transfer is
     * counted whole at the prison holding it now.
     */
    async daysAtEachLevel(establishmentCode: string, from: Date, to: Date) {
      const [plans, settings] = await Promise.all([
        store.plansWithLevelsBetween(db, establishmentCode, from, to),
        store.findSettings(db, establishmentCode),
      ])
      return {
        days: daysAtEachLevel(plans, from, to),
        levelNames: { en: settings.riskNames, cy: settings.riskNamesCy },
      }
    },

    /** M3: care plans opened per person at a prison since a date; counts only, for the equality figures. */
    async openedCountsSince(establishmentCode: string, since: Date): Promise<Map<string, number>> {
      const rows = await store.openedCountsSince(db, establishmentCode, since)
      return new Map(rows.map((row) => [row.personId, Number(row.count)]))
    },

    /**
     * For the safer custody dashboard (the concerns area draws it): each count with its message key and the
     * list it opens. Monitors see the counts, never the lists. Audited.
     */
    async carePlanDashboard(actor: Actor): Promise<{ key: string; count: number; href: string }[]> {
      const rows = await classified(actor.establishmentCode)
      const count = (list: PlanList, risk?: RiskLevel) =>
        rows.filter((row) => row.lists.includes(list) && (!risk || row.plan.riskLevel === risk)).length
      const counts = [
        ...riskLevels.map((risk) => ({
          key: `carePlans.dashboard.open.${risk}`,
          count: count('open', risk),
          href: `/care-plans?list=open&risk=${risk}`,
        })),
        {
          key: 'carePlans.dashboard.awaitingFirstReview',
          count: count('awaiting-first-review'),
          href: '/care-plans?list=awaiting-first-review',
        },
        {
          key: 'carePlans.dashboard.overdueObservations',
          count: count('overdue-observations'),
          href: '/care-plans?list=overdue-observations',
        },
        {
          key: 'carePlans.dashboard.overdueReviews',
          count: count('overdue-reviews'),
          href: '/care-plans?list=overdue-reviews',
        },
        {
          key: 'carePlans.dashboard.overdueActions',
          count: count('overdue-actions'),
          href: '/care-plans?list=overdue-actions',
        },
        { key: 'carePlans.dashboard.dueToClose', count: count('due-to-close'), href: '/care-plans?list=due-to-close' },
        {
          key: 'carePlans.dashboard.postClosureDue',
          count: count('post-closure-due'),
          href: '/care-plans?list=post-closure-due',
        },
      ]
      await audit.record(db, actor, {
        action: 'care-plans.dashboard-viewed',
        details: Object.fromEntries(counts.map((entry) => [entry.key, entry.count])),
      })
      return counts
    },

    /**
     * A measure for later targets: per prison the user works in, the share of plans opened in [from, to)
     * that met the 1 hour, 24 hour and 24 hour deadlines, and of reviews held then that were on time.
     */
    async deadlinesMet(actor: Actor, from: Date, to: Date) {
      const now = clock.now()
      const result = []
      for (const establishmentCode of actor.establishmentCodes) {
        const measured = deadlinesMetOf(await measuredPlansAt(establishmentCode, from), from, to, now)
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
    },

    /**
     * S3, M1: the ACCT deadlines page at the user's prison for a period of whole days: of the plans opened in
     * it, how many met each opening deadline, and of the case reviews held in it, how many were on time; then
     * each plan that missed one, with the person, to follow up. A period staff can put right (one ending after
     * today, or longer than a year) comes back as a refusal. Audited.
     */
    async viewDeadlines(actor: Actor, period: { fromOn: IsoDate; toOn: IsoDate }): Promise<Refusal | DeadlinesView> {
      const now = clock.now()
      const refusal = deadlinePeriodRefusal(period.fromOn, period.toOn, londonDate(now))
      if (refusal) return refusal
      const { from, to } = deadlinePeriodInstants(period.fromOn, period.toOn)
      const plans = await measuredPlansAt(actor.establishmentCode, from)
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
    },

    /**
     * S3: the current ACCT alert of everyone on the prison's roll who has one, with the NOMIS and HMPPS
     * alerts codes, so other systems can be kept in step. Audited.
     */
    async exportAlerts(actor: Actor) {
      const rows = await store.latestPlansOfPeopleAt(db, actor.establishmentCode)
      const alerts = rows
        .map((row) => {
          const alert = alertOf(row)
          return {
            prisonNumber: row.prisonNumber,
            alertCode: alert.code,
            description: alert.description,
            activeFrom: alert.activeFrom.toISOString().slice(0, 10),
            carePlanId: row.id,
          }
        })
        .sort((a, b) => a.prisonNumber.localeCompare(b.prisonNumber))
      await audit.record(db, actor, { action: 'care-plans.alerts-exported', details: { count: alerts.length } })
      return {
        alerts,
        csv: toCsv(
          ['prisonNumber', 'alertCode', 'description', 'activeFrom', 'carePlanId'],
          alerts.map((alert) => [
            alert.prisonNumber,
            alert.alertCode,
            alert.description,
            alert.activeFrom,
            alert.carePlanId,
          ]),
        ),
      }
    },

    /**
     * S3: the overdue observation sweep. For every open plan, each missed slot of the last day still unseen
     * alerts the wing (the dedicated officer and the officers on duty) and, after the prison's further
     * interval, the orderly officer (the governors on duty). Each alert is claimed in the same transaction
     * as its notifications, so a second worker running the same sweep finds it taken and sends nothing.
     */
    async sweepOverdueObservations(now: Date): Promise<number> {
      const open = await store.openPlansEverywhere(db)
      const withSupervision = open.filter((plan) => plan.supervisionSetAt)
      const observations = await store.observationsOf(
        db,
        withSupervision.map((plan) => plan.id),
        new Date(now.getTime() - 48 * HOUR),
      )
      let sent = 0
      const settingsAt = new Map<string, CarePlanSettings>()
      for (const plan of withSupervision) {
        if (!settingsAt.has(plan.establishmentCode))
          settingsAt.set(plan.establishmentCode, await store.findSettings(db, plan.establishmentCode))
        const settings = settingsAt.get(plan.establishmentCode)!
        const schedule = scheduleOf(
          plan,
          settings,
          observations.filter((entry) => entry.carePlanId === plan.id),
          now,
        )
        const due = observationAlertsDue(schedule, now, settings.orderlyOfficerAfterMinutes)
        if (due.length === 0) continue
        const [onDuty, officers] = await Promise.all([
          staff.listStaffOnDuty(plan.establishmentCode),
          keywork.currentDedicatedOfficers([plan.personId]),
        ])
        const wing = [
          ...(officers.get(plan.personId) ? [officers.get(plan.personId)!.staffUserId] : []),
          ...onDuty.filter((member) => member.role === 'officer').map((member) => member.id),
        ]
        const orderlyOfficers = onDuty.filter((member) => member.role === 'governor').map((member) => member.id)
        for (const alert of due)
          await db.transaction().execute(async (trx) => {
            const recipients = alert.stage === 'wing' ? wing : orderlyOfficers
            const claimed = await store.claimAlert(trx, {
              carePlanId: plan.id,
              slotEndsAt: alert.slotEndsAt,
              stage: alert.stage,
              sentAt: now,
              recipients: new Set(recipients).size,
            })
            if (!claimed) return
            await notifications.notify(trx, {
              recipientIds: recipients,
              establishmentCode: plan.establishmentCode,
              kind: `care-plan.observation-overdue.${alert.stage}`,
              messageKey: `carePlans.notification.overdueNamed.${alert.stage}`,
              // Named as a concern's notification names them: a prison number alone sends the wing to look it up.
              params: { prisonNumber: plan.prisonNumber, name: `${plan.lastName}, ${plan.firstName}` },
              href: planHref(plan),
            })
            await audit.record(trx, system, {
              action: 'care-plan.observation-overdue-alerted',
              personId: plan.personId,
              establishmentCode: plan.establishmentCode,
              details: {
                carePlanId: plan.id,
                stage: alert.stage,
                slotEndsAt: alert.slotEndsAt.toISOString(),
                recipients: new Set(recipients).size,
              },
            })
            sent += 1
          })
      }
      return sent
    },

    /** The sweep the worker runs every minute, on every process; each alert still goes once. */
    observationSweep: {
      name: 'care-plans.overdue-observations',
      everySeconds: 60,
      run: async (now: Date): Promise<void> => {
        await service.sweepOverdueObservations(now)
      },
    },

    /**
     * S3, for the journey, in its transaction: whether a release must wait for the pre-release review of a
     * plan in progress (open, or closed with its post-closure review to come).
     */
    async preReleaseReviewOutstanding(trx: Db, personId: string): Promise<boolean> {
      const plan = await store.currentPlanOf(trx, personId)
      return plan !== undefined && plan.preReleaseReviewedAt === null
    },

    /**
     * S3: a person who leaves custody (released, or died) has no plan in progress any more: it closes then
     * and there, its observation alerts stop, and it says why it ended. Told by the journey and the measures.
     */
    listeners: [
      {
        name: 'care-plans.end-on-leaving-custody',
        type: 'person.left-custody',
        handle: async (event) => {
          await db.transaction().execute(async (trx) => {
            const current = await store.currentPlanOf(trx, event.payload.personId)
            if (!current) return
            const plan = await store.lockPlan(trx, current.id)
            if (!plan || plan.postClosureReviewedAt) return
            await store.endOnLeaving(trx, plan.id, event.occurredAt, event.payload.reason)
            await audit.record(trx, event.by, {
              action: 'care-plan.ended-on-leaving-custody',
              personId: plan.personId,
              establishmentCode: plan.establishmentCode,
              details: {
                carePlanId: plan.id,
                reason: event.payload.reason,
                preReleaseReviewed: plan.preReleaseReviewedAt !== null,
                event: event.id,
              },
            })
          })
        },
      },
    ] satisfies [EventListener<'person.left-custody'>],

    /** J3, for the journey's handover, in its transaction: the person's plan in progress, in a line of facts. */
    async openCarePlansForHandover(trx: Db, personId: string): Promise<{ id: string; description: string }[]> {
      const plan = await store.currentPlanOf(trx, personId)
      if (!plan) return []
      const stage = stageOf(stateOf(plan))
      const risk = plan.riskLevel ? `, risk ${plan.riskLevel}` : ''
      return [
        {
          id: plan.id,
          description: `ACCT care plan opened ${plan.openedAt.toISOString().slice(0, 10)} (${stage.replaceAll('-', ' ')}${risk})`,
        },
      ]
    },

    /**
     * J3, for the journey's acknowledged handover, in its transaction: the same plan continues at the
     * receiving prison, its next case review due within that prison's transfer interval of arrival. A plan
     * in its post-closure period moves too, its post-closure review still due: the weeks after closure are
     * when risk returns, and a move is one of its triggers.
     */
    async continueAfterTransfer(trx: Db, actor: Actor, personId: string, toEstablishmentCode: string) {
      const plan = await store.currentPlanOf(trx, personId)
      if (!plan) return null
      const settings = await store.findSettings(trx, toEstablishmentCode)
      const receivedAt = clock.now()
      const nextReviewDueAt = plan.closedAt ? plan.nextReviewDueAt : reviewDueAfterArrival(receivedAt, settings)
      await store.moveToEstablishment(trx, plan.id, {
        establishmentCode: toEstablishmentCode,
        receivedAt,
        nextReviewDueAt,
      })
      await audit.record(trx, actor, {
        action: 'care-plan.transferred',
        personId,
        establishmentCode: toEstablishmentCode,
        details: { carePlanId: plan.id, from: plan.establishmentCode },
      })
      return { carePlanId: plan.id, nextReviewDueAt }
    },
  }

  async function findConcern(actor: Actor, personId: string, concernId: string) {
    if (!concerns || !isUuid(concernId)) throw new NotFound()
    const concern = await concerns.findConcernForCarePlan(actor, concernId)
    if (concern.personId !== personId) throw new NotFound()
    return concern
  }

  /** Every plan in progress at a prison and the lists it belongs on, worked out as of now. */
  async function classified(establishmentCode: string) {
    const now = clock.now()
    const plans = await store.plansInProgressAt(db, establishmentCode)
    const settings = await store.findSettings(db, establishmentCode)
    const observations = await store.observationsOf(
      db,
      plans.map((plan) => plan.id),
      new Date(now.getTime() - 48 * HOUR),
    )
    const overdueActions = await store.overdueActionCounts(
      db,
      plans.map((plan) => plan.id),
      londonDate(now),
    )
    return plans.map((plan) => {
      const stage = stageOf(stateOf(plan))
      const lists: PlanList[] = []
      let overdueSince: Date | null = null
      let reviewOverdue = false
      const dueAts: Date[] = []
      if (!plan.closedAt) {
        lists.push('open')
        if (stage !== 'open') lists.push('awaiting-first-review')
        if (stage === 'awaiting-immediate-action') dueAts.push(plan.immediateActionDueAt)
        if (stage === 'awaiting-assessment') dueAts.push(plan.assessmentDueAt)
        const schedule = scheduleOf(
          plan,
          settings,
          observations.filter((entry) => entry.carePlanId === plan.id),
          now,
        )
        const overdue = schedule.filter((entry) => entry.state === 'overdue' || entry.state === 'late')
        if (overdue.length > 0) {
          lists.push('overdue-observations')
          overdueSince = overdue[0].slot.endsAt
          dueAts.push(overdueSince)
        }
        const next = nextDue(schedule)
        if (next) dueAts.push(next.slot.endsAt)
        const reviewDue = plan.nextReviewDueAt ?? plan.firstReviewDueAt
        dueAts.push(reviewDue)
        reviewOverdue = deadlineState(reviewDue, null, now) === 'overdue'
        if (reviewOverdue) lists.push('overdue-reviews')
        if (plan.closureExpected) lists.push('due-to-close')
        if (overdueActions.has(plan.id)) lists.push('overdue-actions')
      } else if (plan.postClosureReviewDueAt) {
        dueAts.push(plan.postClosureReviewDueAt)
        reviewOverdue = deadlineState(plan.postClosureReviewDueAt, null, now) === 'overdue'
        if (plan.postClosureReviewDueAt.getTime() <= now.getTime() + 24 * HOUR) lists.push('post-closure-due')
      }
      return {
        plan,
        stage,
        lists,
        overdueSince,
        reviewOverdue,
        overdueActions: overdueActions.get(plan.id) ?? 0,
        riskLevel: plan.riskLevel,
        dueAts,
      }
    })
  }

  return service
}

export const planLists = [
  'open',
  'awaiting-first-review',
  'overdue-observations',
  'overdue-reviews',
  'overdue-actions',
  'due-to-close',
  'post-closure-due',
] as const
export type PlanList = (typeof planLists)[number]

function attendanceOf(input: AttendanceInput): Attendance {
  return {
    personPresent: input.personPresent,
    personAbsentReason: input.personAbsentReason ?? '',
    healthcarePresent: input.attendees.some((attendee) => attendee.kind === 'healthcare'),
    healthcareInput: input.healthcareInput ?? '',
    healthcareAbsentReason: input.healthcareAbsentReason ?? '',
  }
}

/**
 * What a review keeps of who came: the case manager first (by the choice of manager), the person when they
 * came, then the rest as the form gave them; and the reasons for whoever did not.
 */
function attendanceColumns(
  input: AttendanceInput,
  attendance: Attendance,
  caseManagerId: string | null,
  caseManagerName: string | null,
) {
  return {
    attendees: [
      ...(caseManagerId && caseManagerName ? [{ kind: 'case-manager' as const, name: caseManagerName }] : []),
      ...(attendance.personPresent ? [{ kind: 'person' as const, name: '' }] : []),
      ...input.attendees.filter((attendee) => attendee.kind !== 'person' && attendee.kind !== 'case-manager'),
    ],
    personAbsentReason: attendance.personPresent ? '' : attendance.personAbsentReason,
    healthcareInput: attendance.healthcareInput,
    healthcareAbsentReason:
      attendance.healthcarePresent || attendance.healthcareInput.trim() !== '' ? '' : attendance.healthcareAbsentReason,
  }
}

/**
 * A review that decides nothing about risk or supervision (a post-closure or a pre-release review): who came,
 * what was said, chaired by the one recording it, under the plan's case manager.
 */
function reviewWithoutDecisions(
  plan: PlanRow,
  actor: Actor,
  input: AttendanceInput & { heldAt: Date; notes: string },
  attendance: Attendance,
  now: Date,
) {
  return {
    ...attendanceColumns(input, attendance, plan.caseManagerId, plan.caseManagerName),
    carePlanId: plan.id,
    establishmentCode: plan.establishmentCode,
    heldAt: input.heldAt,
    chairedBy: actor.id,
    caseManagerId: plan.caseManagerId,
    riskLevel: null,
    supervision: null,
    triggers: '',
    warningSigns: '',
    notes: input.notes,
    immediateReason: null,
    nextReviewDueAt: null,
    closureExpected: false,
    recordedBy: actor.id,
    recordedAt: now,
  }
}

/** A time something was done must be after the plan opened and not in the future. */
function heldAtRefusal(at: Date, openedAt: Date, now: Date, field: string): Refusal | null {
  if (at.getTime() > now.getTime() + 60_000) return { field, messageKey: 'carePlans.error.future', values: {} }
  if (at.getTime() < openedAt.getTime() - 60_000)
    return { field, messageKey: 'carePlans.error.beforeOpened', values: {} }
  return null
}
