import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import type {
  CaseReviewAttendee,
  ClosureChecklistItem,
  CaseReviewKind,
  ImmediateReviewReason,
  IsoDate,
  ReferralOutcome,
  RiskLevel,
  TrainingCourse,
} from '../../db/schema.ts'
import { defaultSettings, type CarePlanSettings, type Supervision } from './rules.ts'

export async function findSettings(db: Db, establishmentCode: string): Promise<CarePlanSettings> {
  const row = await db
    .selectFrom('care_plan_setting')
    .selectAll()
    .where('establishment_code', '=', establishmentCode)
    .executeTakeFirst()
  if (!row) return defaultSettings
  return {
    immediateActionMinutes: row.immediate_action_minutes,
    assessmentHours: row.assessment_hours,
    firstReviewHours: row.first_review_hours,
    transferReviewHours: row.transfer_review_hours,
    postClosureReviewDays: row.post_closure_review_days,
    dayStartsHour: row.day_starts_hour,
    nightStartsHour: row.night_starts_hour,
    orderlyOfficerAfterMinutes: row.orderly_officer_after_minutes,
    riskNames: { low: row.risk_low_name, raised: row.risk_raised_name, high: row.risk_high_name },
    riskNamesCy: { low: row.risk_low_name_cy, raised: row.risk_raised_name_cy, high: row.risk_high_name_cy },
  }
}

export async function saveSettings(db: Db, establishmentCode: string, settings: CarePlanSettings) {
  const values = {
    immediate_action_minutes: settings.immediateActionMinutes,
    assessment_hours: settings.assessmentHours,
    first_review_hours: settings.firstReviewHours,
    transfer_review_hours: settings.transferReviewHours,
    post_closure_review_days: settings.postClosureReviewDays,
    day_starts_hour: settings.dayStartsHour,
    night_starts_hour: settings.nightStartsHour,
    orderly_officer_after_minutes: settings.orderlyOfficerAfterMinutes,
    risk_low_name: settings.riskNames.low,
    risk_raised_name: settings.riskNames.raised,
    risk_high_name: settings.riskNames.high,
    risk_low_name_cy: settings.riskNamesCy.low,
    risk_raised_name_cy: settings.riskNamesCy.raised,
    risk_high_name_cy: settings.riskNamesCy.high,
  }
  await db
    .insertInto('care_plan_setting')
    .values({ establishment_code: establishmentCode, ...values })
    .onConflict((conflict) => conflict.column('establishment_code').doUpdateSet(values))
    .execute()
}

const planColumns = [
  'cp.id',
  'cp.person_id as personId',
  'cp.establishment_code as establishmentCode',
  'cp.concern_id as concernId',
  'cp.reason',
  'cp.opened_at as openedAt',
  'cp.opened_by as openedBy',
  'opener.display_name as openedByName',
  'cp.immediate_action_due_at as immediateActionDueAt',
  'cp.immediate_action_at as immediateActionAt',
  'cp.immediate_action as immediateAction',
  'actor.display_name as immediateActionByName',
  'cp.assessment_due_at as assessmentDueAt',
  'cp.assessment_at as assessmentAt',
  'cp.assessor_id as assessorId',
  'assessor.display_name as assessorName',
  'cp.assessment_notes as assessmentNotes',
  'cp.first_review_due_at as firstReviewDueAt',
  'cp.next_review_due_at as nextReviewDueAt',
  'cp.case_manager_id as caseManagerId',
  'manager.display_name as caseManagerName',
  'cp.risk_level as riskLevel',
  'cp.observations_per_day as observationsPerDay',
  'cp.observations_per_night as observationsPerNight',
  'cp.conversations_per_day as conversationsPerDay',
  'cp.conversations_per_night as conversationsPerNight',
  'cp.supervision_set_at as supervisionSetAt',
  'cp.triggers',
  'cp.warning_signs as warningSigns',
  'cp.closure_expected as closureExpected',
  'cp.immediate_review_requested_at as immediateReviewRequestedAt',
  'cp.immediate_review_reason as immediateReviewReason',
  'cp.closed_at as closedAt',
  'cp.post_closure_review_due_at as postClosureReviewDueAt',
  'cp.post_closure_reviewed_at as postClosureReviewedAt',
  'cp.received_at as receivedAt',
  'cp.clock_started_at as clockStartedAt',
  'cp.constant_officer_id as constantOfficerId',
  'watcher.display_name as constantOfficerName',
  'cp.pre_release_reviewed_at as preReleaseReviewedAt',
  'cp.ended_reason as endedReason',
  'p.prison_number as prisonNumber',
  'p.first_name as firstName',
  'p.last_name as lastName',
  'p.establishment_code as personEstablishmentCode',
] as const

function plans(db: Db) {
  return db
    .selectFrom('care_plan as cp')
    .innerJoin('person as p', 'p.id', 'cp.person_id')
    .innerJoin('staff_user as opener', 'opener.id', 'cp.opened_by')
    .leftJoin('staff_user as actor', 'actor.id', 'cp.immediate_action_by')
    .leftJoin('staff_user as assessor', 'assessor.id', 'cp.assessor_id')
    .leftJoin('staff_user as manager', 'manager.id', 'cp.case_manager_id')
    .leftJoin('staff_user as watcher', 'watcher.id', 'cp.constant_officer_id')
    .select(planColumns)
}

export type PlanRow = Awaited<ReturnType<typeof findPlan>> & {}

/** M3: how many care plans were opened for each person at a prison since a date. */
export async function openedCountsSince(db: Db, establishmentCode: string, since: Date) {
  return db
    .selectFrom('care_plan')
    .select(['person_id as personId', (eb) => eb.fn.countAll<number>().as('count')])
    .where('establishment_code', '=', establishmentCode)
    .where('opened_at', '>=', since)
    .groupBy('person_id')
    .execute()
}

/** M4: the plans at a prison open at some time in [from, to), with the risk level each review set. */
export async function plansWithLevelsBetween(db: Db, establishmentCode: string, from: Date, to: Date) {
  const plans = await db
    .selectFrom('care_plan')
    .select(['id', 'opened_at as openedAt', 'closed_at as closedAt'])
    .where('establishment_code', '=', establishmentCode)
    .where('opened_at', '<', to)
    .where((eb) => eb.or([eb('closed_at', 'is', null), eb('closed_at', '>=', from)]))
    .execute()
  if (plans.length === 0) return []
  const reviews = await db
    .selectFrom('care_plan_review')
    .select(['care_plan_id as carePlanId', 'held_at as heldAt', 'risk_level as riskLevel'])
    .where(
      'care_plan_id',
      'in',
      plans.map((plan) => plan.id),
    )
    .orderBy('held_at')
    .orderBy('seq')
    .execute()
  return plans.map((plan) => ({ ...plan, reviews: reviews.filter((review) => review.carePlanId === plan.id) }))
}

export async function findPlan(db: Db, id: string) {
  return plans(db).where('cp.id', '=', id).executeTakeFirst()
}

/** Locks the plan row for the rest of the caller's transaction, so two steps never cross. */
export async function lockPlan(db: Db, id: string) {
  await db.selectFrom('care_plan').select('id').where('id', '=', id).forUpdate().execute()
  return findPlan(db, id)
}

/** Every plan of a person, newest first. */
export async function plansOfPerson(db: Db, personId: string) {
  return plans(db).where('cp.person_id', '=', personId).orderBy('cp.opened_at', 'desc').execute()
}

/** The person's plan in progress (open, or closed and awaiting its post-closure review). */
export async function currentPlanOf(db: Db, personId: string) {
  return plans(db)
    .where('cp.person_id', '=', personId)
    .where('cp.post_closure_reviewed_at', 'is', null)
    .executeTakeFirst()
}

/** Plans in progress at an establishment, with the person's name, in name order. */
export async function plansInProgressAt(db: Db, establishmentCode: string) {
  return plans(db)
    .where('cp.establishment_code', '=', establishmentCode)
    .where('cp.post_closure_reviewed_at', 'is', null)
    .orderBy('p.last_name')
    .orderBy('p.first_name')
    .execute()
}

/** Open plans everywhere, for the overdue observation sweep. */
export async function openPlansEverywhere(db: Db) {
  return plans(db).where('cp.closed_at', 'is', null).execute()
}

export async function insertPlan(
  db: Db,
  values: {
    personId: string
    establishmentCode: string
    concernId: string | null
    reason: string
    openedAt: Date
    openedBy: string
    clockStartedAt: Date | null
    immediateActionDueAt: Date
    assessmentDueAt: Date
    firstReviewDueAt: Date
  },
): Promise<string> {
  const row = await db
    .insertInto('care_plan')
    .values({
      person_id: values.personId,
      establishment_code: values.establishmentCode,
      concern_id: values.concernId,
      reason: values.reason,
      opened_at: values.openedAt,
      opened_by: values.openedBy,
      clock_started_at: values.clockStartedAt,
      immediate_action_due_at: values.immediateActionDueAt,
      assessment_due_at: values.assessmentDueAt,
      first_review_due_at: values.firstReviewDueAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function recordImmediateAction(
  db: Db,
  id: string,
  values: { at: Date; by: string; text: string; supervision: Supervision; constantOfficerId: string | null },
) {
  await db
    .updateTable('care_plan')
    .set({
      immediate_action_at: values.at,
      immediate_action_by: values.by,
      immediate_action: values.text,
      ...supervisionColumns(values.supervision),
      supervision_set_at: values.at,
      constant_officer_id: values.constantOfficerId,
    })
    .where('id', '=', id)
    .execute()
}

function supervisionColumns(supervision: Supervision) {
  return {
    observations_per_day: supervision.observationsPerDay,
    observations_per_night: supervision.observationsPerNight,
    conversations_per_day: supervision.conversationsPerDay,
    conversations_per_night: supervision.conversationsPerNight,
  }
}

export async function recordAssessment(db: Db, id: string, values: { at: Date; assessorId: string; notes: string }) {
  await db
    .updateTable('care_plan')
    .set({ assessment_at: values.at, assessor_id: values.assessorId, assessment_notes: values.notes })
    .where('id', '=', id)
    .execute()
}

/** What a case review sets on the plan: who manages it, the risk and supervision, and when it is next reviewed. */
export async function applyReview(
  db: Db,
  id: string,
  values: {
    caseManagerId: string
    riskLevel: RiskLevel
    supervision: Supervision
    supervisionSetAt: Date
    constantOfficerId: string | null
    triggers: string
    warningSigns: string
    nextReviewDueAt: Date | null
    closureExpected: boolean
    closedAt: Date | null
    postClosureReviewDueAt: Date | null
  },
) {
  await db
    .updateTable('care_plan')
    .set({
      case_manager_id: values.caseManagerId,
      risk_level: values.riskLevel,
      ...supervisionColumns(values.supervision),
      supervision_set_at: values.supervisionSetAt,
      constant_officer_id: values.constantOfficerId,
      triggers: values.triggers,
      warning_signs: values.warningSigns,
      next_review_due_at: values.nextReviewDueAt,
      closure_expected: values.closureExpected,
      immediate_review_requested_at: null,
      immediate_review_reason: null,
      closed_at: values.closedAt,
      post_closure_review_due_at: values.postClosureReviewDueAt,
    })
    .where('id', '=', id)
    .execute()
}

export async function markPostClosureReviewed(db: Db, id: string, at: Date) {
  await db.updateTable('care_plan').set({ post_closure_reviewed_at: at }).where('id', '=', id).execute()
}

/** A trigger demands a review now; a plan in its post-closure period is reopened by it. */
export async function requestImmediateReview(db: Db, id: string, at: Date, reason: ImmediateReviewReason) {
  await db
    .updateTable('care_plan')
    .set({
      immediate_review_requested_at: at,
      immediate_review_reason: reason,
      next_review_due_at: at,
      closed_at: null,
      post_closure_review_due_at: null,
    })
    .where('id', '=', id)
    .execute()
}

/** J3: the plan continues at the receiving prison, its next case review due soon after arrival. */
export async function moveToEstablishment(
  db: Db,
  id: string,
  values: { establishmentCode: string; receivedAt: Date; nextReviewDueAt: Date | null },
) {
  await db
    .updateTable('care_plan')
    .set({
      establishment_code: values.establishmentCode,
      received_at: values.receivedAt,
      next_review_due_at: values.nextReviewDueAt,
    })
    .where('id', '=', id)
    .execute()
}

export async function insertReview(
  db: Db,
  values: {
    carePlanId: string
    establishmentCode: string
    kind: CaseReviewKind
    heldAt: Date
    dueAt: Date | null
    chairedBy: string
    caseManagerId: string | null
    riskLevel: RiskLevel | null
    supervision: Supervision | null
    triggers: string
    warningSigns: string
    notes: string
    immediateReason: ImmediateReviewReason | null
    nextReviewDueAt: Date | null
    closureExpected: boolean
    attendees: CaseReviewAttendee[]
    recordedBy: string
    recordedAt: Date
    personAbsentReason?: string
    healthcareInput?: string
    healthcareAbsentReason?: string
    caseManagerChangeReason?: string
    supervisionReason?: string
    constantOfficerId?: string | null
    closureChecklist?: ClosureChecklistItem[] | null
    personView?: string
    communityInformation?: string
  },
): Promise<string> {
  const row = await db
    .insertInto('care_plan_review')
    .values({
      care_plan_id: values.carePlanId,
      establishment_code: values.establishmentCode,
      kind: values.kind,
      held_at: values.heldAt,
      due_at: values.dueAt,
      chaired_by: values.chairedBy,
      case_manager_id: values.caseManagerId,
      risk_level: values.riskLevel,
      observations_per_day: values.supervision?.observationsPerDay ?? null,
      observations_per_night: values.supervision?.observationsPerNight ?? null,
      conversations_per_day: values.supervision?.conversationsPerDay ?? null,
      conversations_per_night: values.supervision?.conversationsPerNight ?? null,
      triggers: values.triggers,
      warning_signs: values.warningSigns,
      notes: values.notes,
      immediate_reason: values.immediateReason,
      next_review_due_at: values.nextReviewDueAt,
      closure_expected: values.closureExpected,
      attendees: JSON.stringify(values.attendees),
      recorded_by: values.recordedBy,
      recorded_at: values.recordedAt,
      person_absent_reason: values.personAbsentReason ?? '',
      healthcare_input: values.healthcareInput ?? '',
      healthcare_absent_reason: values.healthcareAbsentReason ?? '',
      case_manager_change_reason: values.caseManagerChangeReason ?? '',
      supervision_reason: values.supervisionReason ?? '',
      constant_officer_id: values.constantOfficerId ?? null,
      closure_checklist: values.closureChecklist ? JSON.stringify(values.closureChecklist) : null,
      person_view: values.personView ?? '',
      community_information: values.communityInformation ?? '',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function reviewsOf(db: Db, carePlanIds: readonly string[]) {
  if (carePlanIds.length === 0) return []
  return db
    .selectFrom('care_plan_review as r')
    .innerJoin('staff_user as chair', 'chair.id', 'r.chaired_by')
    .leftJoin('staff_user as manager', 'manager.id', 'r.case_manager_id')
    .leftJoin('staff_user as watcher', 'watcher.id', 'r.constant_officer_id')
    .innerJoin('establishment as e', 'e.code', 'r.establishment_code')
    .select([
      'r.id',
      'r.care_plan_id as carePlanId',
      'r.kind',
      'r.held_at as heldAt',
      'r.due_at as dueAt',
      'chair.display_name as chairName',
      'manager.display_name as caseManagerName',
      'r.risk_level as riskLevel',
      'r.observations_per_day as observationsPerDay',
      'r.observations_per_night as observationsPerNight',
      'r.conversations_per_day as conversationsPerDay',
      'r.conversations_per_night as conversationsPerNight',
      'r.triggers',
      'r.warning_signs as warningSigns',
      'r.notes',
      'r.immediate_reason as immediateReason',
      'r.next_review_due_at as nextReviewDueAt',
      'r.attendees',
      'r.person_absent_reason as personAbsentReason',
      'r.healthcare_input as healthcareInput',
      'r.healthcare_absent_reason as healthcareAbsentReason',
      'r.case_manager_change_reason as caseManagerChangeReason',
      'r.supervision_reason as supervisionReason',
      'watcher.display_name as constantOfficerName',
      'r.closure_checklist as closureChecklist',
      'r.person_view as personView',
      'r.community_information as communityInformation',
      'e.name as establishmentName',
    ])
    .where('r.care_plan_id', 'in', [...carePlanIds])
    .orderBy('r.held_at')
    .orderBy('r.seq')
    .execute()
}

export async function insertActions(
  db: Db,
  rows: {
    carePlanId: string
    reviewId: string | null
    description: string
    owner: string
    dueOn: IsoDate
    createdAt: Date
    createdBy: string
  }[],
) {
  if (rows.length === 0) return
  await db
    .insertInto('care_map_action')
    .values(
      rows.map((row) => ({
        care_plan_id: row.carePlanId,
        review_id: row.reviewId,
        description: row.description,
        owner: row.owner,
        due_on: row.dueOn,
        created_at: row.createdAt,
        created_by: row.createdBy,
      })),
    )
    .execute()
}

export async function actionsOf(db: Db, carePlanId: string) {
  return db
    .selectFrom('care_map_action as a')
    .leftJoin('staff_user as s', 's.id', 'a.completed_by')
    .select([
      'a.id',
      'a.description',
      'a.owner',
      'a.due_on as dueOn',
      'a.completed_at as completedAt',
      's.display_name as completedByName',
      'a.created_at as createdAt',
    ])
    .where('a.care_plan_id', '=', carePlanId)
    .orderBy('a.due_on')
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute()
}

export async function completeAction(db: Db, carePlanId: string, actionId: string, at: Date, by: string) {
  const result = await db
    .updateTable('care_map_action')
    .set({ completed_at: at, completed_by: by })
    .where('id', '=', actionId)
    .where('care_plan_id', '=', carePlanId)
    .where('completed_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

export async function insertObservation(
  db: Db,
  values: {
    carePlanId: string
    establishmentCode: string
    observedAt: Date
    seen: string
    wasConversation: boolean
    correctsId: string | null
    correctionReason: string | null
    recordedBy: string
    recordedAt: Date
  },
): Promise<string> {
  const row = await db
    .insertInto('care_plan_observation')
    .values({
      care_plan_id: values.carePlanId,
      establishment_code: values.establishmentCode,
      observed_at: values.observedAt,
      seen: values.seen,
      was_conversation: values.wasConversation,
      corrects_id: values.correctsId,
      correction_reason: values.correctionReason,
      recorded_by: values.recordedBy,
      recorded_at: values.recordedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export type ObservationRow = {
  id: string
  carePlanId: string
  observedAt: Date
  seen: string
  wasConversation: boolean
  correctsId: string | null
  correctionReason: string | null
  recordedByName: string
  recordedAt: Date
}

/** Observations of these plans since an instant (all of them without one), oldest first. */
export async function observationsOf(db: Db, carePlanIds: readonly string[], since?: Date): Promise<ObservationRow[]> {
  if (carePlanIds.length === 0) return []
  let query = db
    .selectFrom('care_plan_observation as o')
    .innerJoin('staff_user as s', 's.id', 'o.recorded_by')
    .select([
      'o.id',
      'o.care_plan_id as carePlanId',
      'o.observed_at as observedAt',
      'o.seen',
      'o.was_conversation as wasConversation',
      'o.corrects_id as correctsId',
      'o.correction_reason as correctionReason',
      's.display_name as recordedByName',
      'o.recorded_at as recordedAt',
    ])
    .where('o.care_plan_id', 'in', [...carePlanIds])
  if (since) query = query.where('o.observed_at', '>=', since)
  return query.orderBy('o.observed_at').orderBy('o.seq').execute()
}

export async function findObservation(db: Db, carePlanId: string, id: string) {
  return db
    .selectFrom('care_plan_observation')
    .select(['id', 'observed_at as observedAt', 'seen', 'was_conversation as wasConversation'])
    .where('care_plan_id', '=', carePlanId)
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function isCorrected(db: Db, id: string): Promise<boolean> {
  const row = await db.selectFrom('care_plan_observation').select('id').where('corrects_id', '=', id).executeTakeFirst()
  return Boolean(row)
}

/**
 * Marks an alert about a missed slot as sent. Returns false when it had been sent already (by this or
 * another worker): the primary key makes the second insert do nothing, after the first one commits.
 */
export async function claimAlert(
  db: Db,
  values: { carePlanId: string; slotEndsAt: Date; stage: 'wing' | 'orderly-officer'; sentAt: Date; recipients: number },
): Promise<boolean> {
  const row = await db
    .insertInto('care_plan_observation_alert')
    .values({
      care_plan_id: values.carePlanId,
      slot_ends_at: values.slotEndsAt,
      stage: values.stage,
      sent_at: values.sentAt,
      recipients: values.recipients,
    })
    .onConflict((conflict) => conflict.columns(['care_plan_id', 'slot_ends_at', 'stage']).doNothing())
    .returning('care_plan_id')
    .executeTakeFirst()
  return Boolean(row)
}

export async function alertsSentFor(db: Db, carePlanId: string) {
  return db
    .selectFrom('care_plan_observation_alert')
    .select(['slot_ends_at as slotEndsAt', 'stage', 'sent_at as sentAt', 'recipients'])
    .where('care_plan_id', '=', carePlanId)
    .orderBy('sent_at')
    .execute()
}

export async function insertFamilyEvent(
  db: Db,
  values: {
    carePlanId: string
    kind: 'consent-given' | 'consent-withdrawn' | 'contact'
    familyMember: string
    occurredAt: Date
    notes: string
    recordedBy: string
    recordedAt: Date
  },
) {
  const row = await db
    .insertInto('care_plan_family_event')
    .values({
      care_plan_id: values.carePlanId,
      kind: values.kind,
      family_member: values.familyMember,
      occurred_at: values.occurredAt,
      notes: values.notes,
      recorded_by: values.recordedBy,
      recorded_at: values.recordedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function familyEventsOf(db: Db, carePlanId: string) {
  return db
    .selectFrom('care_plan_family_event as f')
    .innerJoin('staff_user as s', 's.id', 'f.recorded_by')
    .select([
      'f.id',
      'f.kind',
      'f.family_member as familyMember',
      'f.occurred_at as occurredAt',
      'f.notes',
      's.display_name as recordedByName',
    ])
    .where('f.care_plan_id', '=', carePlanId)
    .orderBy('f.occurred_at')
    .orderBy('f.seq')
    .execute()
}

export async function insertReferral(
  db: Db,
  values: { carePlanId: string; organisationId: string; reason: string; referredAt: Date; referredBy: string },
) {
  const row = await db
    .insertInto('care_plan_referral')
    .values({
      care_plan_id: values.carePlanId,
      organisation_id: values.organisationId,
      reason: values.reason,
      referred_at: values.referredAt,
      referred_by: values.referredBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function recordReferralOutcome(
  db: Db,
  carePlanId: string,
  referralId: string,
  values: { outcome: ReferralOutcome; notes: string; at: Date; by: string },
) {
  const result = await db
    .updateTable('care_plan_referral')
    .set({ outcome: values.outcome, outcome_notes: values.notes, outcome_at: values.at, outcome_by: values.by })
    .where('id', '=', referralId)
    .where('care_plan_id', '=', carePlanId)
    .where('outcome', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

export async function referralsOf(db: Db, carePlanId: string) {
  return db
    .selectFrom('care_plan_referral as r')
    .innerJoin('organisation as o', 'o.id', 'r.organisation_id')
    .innerJoin('staff_user as s', 's.id', 'r.referred_by')
    .select([
      'r.id',
      'o.name as organisationName',
      'r.reason',
      'r.referred_at as referredAt',
      's.display_name as referredByName',
      'r.outcome',
      'r.outcome_notes as outcomeNotes',
      'r.outcome_at as outcomeAt',
    ])
    .where('r.care_plan_id', '=', carePlanId)
    .orderBy('r.referred_at')
    .execute()
}

/**
 * Which of these staff hold a current record of a course (the latest completion not expired). Reads the
 * staff area's training records for one purpose: ACCT assessors and case managers must be trained (S3).
 */
export async function currentlyTrained(
  db: Db,
  staffUserIds: readonly string[],
  course: TrainingCourse,
  today: IsoDate,
): Promise<Set<string>> {
  if (staffUserIds.length === 0) return new Set()
  const rows = await db
    .selectFrom('training_record')
    .select('staff_user_id as staffUserId')
    .where('staff_user_id', 'in', [...staffUserIds])
    .where('course', '=', course)
    .where((eb) => eb.or([eb('expires_on', 'is', null), eb('expires_on', '>=', today)]))
    .execute()
  return new Set(rows.map((row) => row.staffUserId))
}

/** The latest plan of each person on an establishment's roll, for the alerts export. */
export async function latestPlansOfPeopleAt(db: Db, establishmentCode: string) {
  return db
    .selectFrom('care_plan as cp')
    .innerJoin('person as p', 'p.id', 'cp.person_id')
    .select([
      'cp.id',
      'p.prison_number as prisonNumber',
      'cp.opened_at as openedAt',
      'cp.closed_at as closedAt',
      'cp.post_closure_reviewed_at as postClosureReviewedAt',
    ])
    .distinctOn('cp.person_id')
    .where('p.establishment_code', '=', establishmentCode)
    .orderBy('cp.person_id')
    .orderBy('cp.opened_at', 'desc')
    .execute()
}

/** Plans opened since an instant at an establishment, with their reviews, for the deadlines measure. */
export async function plansForMeasure(db: Db, establishmentCode: string, since: Date) {
  return db
    .selectFrom('care_plan as cp')
    .select([
      'cp.id',
      'cp.opened_at as openedAt',
      'cp.immediate_action_due_at as immediateActionDueAt',
      'cp.immediate_action_at as immediateActionAt',
      'cp.assessment_due_at as assessmentDueAt',
      'cp.assessment_at as assessmentAt',
      'cp.first_review_due_at as firstReviewDueAt',
      sql<Date | null>`(select min(r.held_at) from care_plan_review r where r.care_plan_id = cp.id and r.kind = 'first')`.as(
        'firstReviewAt',
      ),
    ])
    .where('cp.establishment_code', '=', establishmentCode)
    .where((eb) =>
      eb.or([
        eb('cp.opened_at', '>=', since),
        eb('cp.post_closure_reviewed_at', 'is', null),
        eb('cp.post_closure_reviewed_at', '>=', since),
      ]),
    )
    .execute()
}

/** The person of each plan, named, with the prison they are at now, for the deadlines page's follow-up list. */
export async function peopleOfPlans(db: Db, carePlanIds: readonly string[]) {
  if (carePlanIds.length === 0) return []
  return db
    .selectFrom('care_plan as cp')
    .innerJoin('person as p', 'p.id', 'cp.person_id')
    .select([
      'cp.id as carePlanId',
      'p.prison_number as prisonNumber',
      'p.first_name as firstName',
      'p.last_name as lastName',
      'p.establishment_code as establishmentCode',
    ])
    .where('cp.id', 'in', [...carePlanIds])
    .execute()
}

export async function reviewDueDates(db: Db, carePlanIds: readonly string[]) {
  if (carePlanIds.length === 0) return []
  return db
    .selectFrom('care_plan_review')
    .select(['care_plan_id as carePlanId', 'due_at as dueAt', 'held_at as heldAt', 'kind'])
    .where('care_plan_id', 'in', [...carePlanIds])
    .execute()
}

/** Constant supervision: who watches from when. Each handover is a new row, so the watch has no gap. */
export async function insertConstantWatch(
  db: Db,
  values: { carePlanId: string; officerId: string | null; startedAt: Date; recordedBy: string; recordedAt: Date },
) {
  await db
    .insertInto('care_plan_constant_watch')
    .values({
      care_plan_id: values.carePlanId,
      officer_id: values.officerId,
      started_at: values.startedAt,
      recorded_by: values.recordedBy,
      recorded_at: values.recordedAt,
    })
    .execute()
}

export async function setConstantOfficer(db: Db, id: string, officerId: string) {
  await db.updateTable('care_plan').set({ constant_officer_id: officerId }).where('id', '=', id).execute()
}

export async function constantWatchesOf(db: Db, carePlanId: string) {
  return db
    .selectFrom('care_plan_constant_watch as w')
    .leftJoin('staff_user as officer', 'officer.id', 'w.officer_id')
    .innerJoin('staff_user as recorder', 'recorder.id', 'w.recorded_by')
    .select([
      'w.id',
      'officer.display_name as officerName',
      'w.started_at as startedAt',
      'recorder.display_name as recordedByName',
    ])
    .where('w.care_plan_id', '=', carePlanId)
    .orderBy('w.seq')
    .execute()
}

/** The care map actions of these plans past their date and not done, as of a London day. */
export async function overdueActionCounts(db: Db, carePlanIds: readonly string[], today: IsoDate) {
  if (carePlanIds.length === 0) return new Map<string, number>()
  const rows = await db
    .selectFrom('care_map_action')
    .select(['care_plan_id as carePlanId', (eb) => eb.fn.countAll<number>().as('count')])
    .where('care_plan_id', 'in', [...carePlanIds])
    .where('completed_at', 'is', null)
    .where('due_on', '<', today)
    .groupBy('care_plan_id')
    .execute()
  return new Map(rows.map((row) => [row.carePlanId, Number(row.count)]))
}

export async function markPreReleaseReviewed(db: Db, id: string, at: Date) {
  await db.updateTable('care_plan').set({ pre_release_reviewed_at: at }).where('id', '=', id).execute()
}

/**
 * The person has left custody: the plan closes (if still open) and is finished there and then, with no
 * post-closure review to wait for and no observation to alarm about.
 */
export async function endOnLeaving(db: Db, id: string, at: Date, reason: 'release' | 'death') {
  await db
    .updateTable('care_plan')
    .set((eb) => ({
      closed_at: eb.fn.coalesce('closed_at', sql<Date>`${at}`),
      post_closure_review_due_at: eb.fn.coalesce('post_closure_review_due_at', sql<Date>`${at}`),
      post_closure_reviewed_at: at,
      ended_reason: reason,
      constant_officer_id: null,
      immediate_review_requested_at: null,
      immediate_review_reason: null,
    }))
    .where('id', '=', id)
    .execute()
}

/** S3: the case reviews held at a prison in [from, to), with who attended, for the deadlines page. */
export async function reviewsHeldBetween(db: Db, establishmentCode: string, from: Date, to: Date) {
  return db
    .selectFrom('care_plan_review')
    .select(['kind', 'attendees', 'healthcare_input as healthcareInput'])
    .where('establishment_code', '=', establishmentCode)
    .where('held_at', '>=', from)
    .where('held_at', '<', to)
    .execute()
}

/**
 * S3: the observations written at a prison in [from, to) with how long after the time they claim, and the
 * wing the person is on now, for the deadlines page's count of late entries by wing.
 */
export async function entriesWithWingBetween(db: Db, establishmentCode: string, from: Date, to: Date) {
  return db
    .selectFrom('care_plan_observation as o')
    .innerJoin('care_plan as cp', 'cp.id', 'o.care_plan_id')
    .innerJoin('person as p', 'p.id', 'cp.person_id')
    .leftJoin('cell as c', 'c.id', 'p.cell_id')
    .leftJoin('wing as w', 'w.id', 'c.wing_id')
    .select(['o.observed_at as observedAt', 'o.recorded_at as recordedAt', 'w.name as wingName'])
    .where('o.establishment_code', '=', establishmentCode)
    .where('o.recorded_at', '>=', from)
    .where('o.recorded_at', '<', to)
    .execute()
}
