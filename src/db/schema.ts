import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

/** A date without a time: 'YYYY-MM-DD'. */
export type IsoDate = string

export type EstablishmentFunction = 'reception' | 'training' | 'resettlement' | 'womens' | 'young-offender' | 'open'

export type EstablishmentTable = {
  code: string
  name: string
  function: EstablishmentFunction
  is_in_wales: Generated<boolean>
}

export type WingTable = {
  id: Generated<number>
  establishment_code: string
  code: string
  name: string
}

export type CellTable = {
  id: Generated<number>
  wing_id: number
  landing: number
  label: string
  capacity: Generated<number>
}

export type PersonTable = {
  id: Generated<string>
  prison_number: string
  first_name: string
  last_name: string
  date_of_birth: IsoDate
  establishment_code: string
  cell_id: number | null
  cohort: Generated<string>
  reception_on: IsoDate
  sex: string | null
  ethnicity: string | null
  religion: string | null
  disability: string | null
  sexual_orientation: string | null
  created_at: Generated<Date>
  /** High complexity of need: allocated by hand to a named specialist, left out of recommendations. */
  needs_specialist_allocation: Generated<boolean>
}

export type StaffUserTable = {
  id: Generated<string>
  username: string
  display_name: string
  password_hash: string
  role: string
  is_active: Generated<boolean>
  created_at: Generated<Date>
  organisation_id: string | null
  staff_status: Generated<StaffStatus>
  reactivation_on: IsoDate | null
  /** Overrides the prison's default caseload for this officer. */
  caseload_limit: number | null
  /** Issue 13: set with a one-time password from an administrator; the account chooses its own first. */
  must_change_password: Generated<boolean>
  /** Issue 13: a partner lead may manage the accounts of their own organisation's workers, and nothing else. */
  manages_organisation_accounts: Generated<boolean>
}

/**
 * Issue 12: who a person is and where, for every area but people (a view: `0028`). No protected
 * characteristics: those are the people area's to show.
 */
export type PersonSummaryView = Pick<
  Selectable<PersonTable>,
  | 'id'
  | 'prison_number'
  | 'first_name'
  | 'last_name'
  | 'date_of_birth'
  | 'establishment_code'
  | 'cell_id'
  | 'cohort'
  | 'reception_on'
  | 'needs_specialist_allocation'
> & { cell_label: string | null; wing_id: number | null; wing_name: string | null }

/** Who a member of staff is, for every area but staff and sign-in (a view: `0028`). No password hash. */
export type StaffSummaryView = Pick<
  Selectable<StaffUserTable>,
  'id' | 'username' | 'display_name' | 'role' | 'is_active' | 'staff_status' | 'organisation_id'
>

export type StaffStatus = 'active' | 'annual-leave' | 'long-term-absence' | 'no-prisoner-contact' | 'inactive'

export type StaffUserEstablishmentTable = {
  staff_user_id: string
  establishment_code: string
  /** Where a sign-in starts; a user with several establishments switches from there. */
  is_home: Generated<boolean>
}

export type WebSessionTable = {
  token_hash: string
  /** A member of staff's session, or (C1) a person's: exactly one of the two. */
  staff_user_id: string | null
  person_account_id: Generated<string | null>
  establishment_code: string
  created_at: Date
  last_seen_at: Date
  expires_at: Date
  /** Issue 13: a session begun at the identity provider is ended there too on sign-out. */
  signed_in_with: Generated<'password' | 'oidc'>
  /** Issue 13: names the session on its owner's sessions page (never the token). */
  id: Generated<string>
  /** The browser and system it began on, in words ("Chrome on Windows"); empty when unknown. */
  device: Generated<string>
}

/** A sign-in attempt not (yet) proved right; the sign-in delay counts a username's recent ones. */
export type SignInFailureTable = {
  id: Generated<number>
  account_kind: 'staff' | 'person'
  username: string
  attempted_at: Date
}

/** An event between areas, kept with who made the change; `platform/events.ts` hands it to each listener. */
export type EventOutboxTable = {
  id: Generated<number>
  type: string
  establishment_code: string | null
  payload: unknown
  actor_id: string | null
  actor_username: string
  occurred_at: Date
}

/** C1: a person in custody's own account, for their narrow view. */
export type PersonAccountTable = {
  id: Generated<string>
  person_id: string
  username: string
  password_hash: string
  is_active: Generated<boolean>
  created_at: Generated<Date>
  /** Issue 13: the password is a one-time code from a slip: the person chooses their own at first sign-in. */
  must_choose_password: Generated<boolean>
  /** When the slip's code stops working (7 days after it was issued). */
  code_expires_at: Date | null
  issued_at: Date | null
  issued_by: string | null
}

export type AuditEventTable = {
  id: Generated<number>
  occurred_at: Date
  actor_id: string | null
  actor_username: string
  action: string
  establishment_code: string | null
  person_id: string | null
  reason: string | null
  details: ColumnType<Record<string, unknown>, string | undefined, never>
}

export type OrganisationTable = {
  id: Generated<string>
  name: string
  kind: 'prison-service' | 'charity' | 'provider' | 'health' | 'lived-experience'
  services: Generated<string>
}

export type TrainingCourse =
  | 'mental-health-first-aid'
  | 'trauma-informed'
  | 'acct-assessor'
  | 'acct-case-manager'
  | 'health-and-social-care'
  | 'safeguarding'

export type TrainingRecordTable = {
  id: Generated<string>
  staff_user_id: string
  course: TrainingCourse
  completed_on: IsoDate
  expires_on: IsoDate | null
  is_joint: Generated<boolean>
  recorded_by: string | null
  recorded_at: Date
}

export type StaffSupervisionTable = {
  id: Generated<string>
  staff_user_id: string
  held_on: IsoDate
  kind: 'line-management' | 'reflective-practice' | 'external-clinical'
  supervisor: string
  recorded_by: string | null
  recorded_at: Date
}

export type PeerSupporterTable = {
  id: Generated<string>
  person_id: string
  scheme: 'listener' | 'insider' | 'peer-mentor' | 'lived-experience-worker'
  wing_id: number | null
  started_on: IsoDate
  ended_on: IsoDate | null
  recorded_by: string | null
}

export type KeyworkPolicyTable = {
  establishment_code: string
  officer_label: Generated<string>
  /** The same name in Welsh, for Welsh pages. */
  officer_label_cy: Generated<string>
  caseload_default: Generated<number>
  caseload_extended: Generated<number>
  /** One key work session is due every this many days (7: one a week). */
  session_interval_days: Generated<number>
  first_contact_days: Generated<number>
  handover_chase_days: Generated<number>
}

/** K1: each decision that a person needs, or no longer needs, a specialist dedicated officer. */
export type SpecialistNeedDecisionTable = {
  id: Generated<string>
  person_id: string
  needs_specialist: boolean
  reason: string
  decided_by: string | null
  decided_at: Date
}

/** P2: staff settings per prison. */
export type StaffPolicyTable = {
  establishment_code: string
  supervision_interval_weeks: Generated<number>
}

export type DeallocationReason = 'transfer' | 'release' | 'officer-unavailable' | 'change-requested' | 'other'

export type DedicatedOfficerAllocationTable = {
  id: Generated<string>
  person_id: string
  staff_user_id: string
  allocated_at: Date
  allocated_by: string | null
  allocation_kind: 'manual' | 'recommended' | 'specialist'
  ended_at: Date | null
  ended_by: string | null
  end_reason: DeallocationReason | null
}

export type OfficerChangeRequestTable = {
  id: Generated<string>
  person_id: string
  about_staff_user_id: string
  reason: string
  raised_at: Date
  raised_by: string | null
  /** C1: the person asked themselves, through their own view. */
  raised_by_person_account_id: Generated<string | null>
  status: Generated<'pending' | 'agreed' | 'declined'>
  outcome_reason: string | null
  decided_at: Date | null
  decided_by: string | null
}

export type KeyWorkSessionTable = {
  id: Generated<string>
  person_id: string
  staff_user_id: string
  held_on: IsoDate
  minutes: number
  did_not_happen_reason: string | null
  recorded_at: Date
}

export type ProgressMeetingTable = {
  id: Generated<string>
  person_id: string
  held_on: IsoDate
  /** [{ name, organisation, role }] */
  attendees: ColumnType<{ name: string; organisation: string; role: string }[], string, string>
  recorded_by: string | null
  recorded_at: Date
}

export type CheckInTable = {
  id: Generated<string>
  person_id: string
  key_work_session_id: string | null
  progress_meeting_id: string | null
  recorded_on: IsoDate
  mood: number
  sleep: number
  family_contact: number
  worries: number
  notes: Generated<string>
  recorded_by: string | null
  recorded_at: Date
}

export type JourneyStageName =
  'reception' | 'first-night' | 'induction' | 'residential' | 'transfer-out' | 'transfer-in' | 'release'

export type JourneyStageTable = {
  id: Generated<string>
  person_id: string
  establishment_code: string
  stage: JourneyStageName
  responsible_staff_user_id: string | null
  started_at: Date
  ended_at: Date | null
  reason: Generated<string>
  /** One of the standard reasons, shown in the reader's language; `reason` holds what staff typed. */
  reason_key: StageReasonKey | null
  recorded_by: string | null
}

export const stageReasonKeys = [
  'arrived-from-court',
  'reception-complete',
  'first-night-complete',
  'induction-complete',
  'arrived-on-transfer',
] as const
export type StageReasonKey = (typeof stageReasonKeys)[number]

export type HandoverTable = {
  id: Generated<string>
  person_id: string
  from_establishment_code: string
  to_establishment_code: string
  kind: 'transfer' | 'youth-to-adult'
  /** What travels with the person: open care plans, concerns, risks (ids and short descriptions). */
  summary: ColumnType<Record<string, unknown>, string, string>
  persons_wishes: Generated<string>
  created_at: Date
  created_by: string | null
  acknowledged_at: Date | null
  acknowledged_by: string | null
  refused_at: Date | null
  refusal_reason: string | null
  last_chased_at: Date | null
}

export type JobState = 'waiting' | 'running' | 'done' | 'failed'

export type JobTable = {
  id: Generated<number>
  queue: string
  payload: ColumnType<unknown, string | undefined, string>
  run_at: Date
  state: Generated<JobState>
  attempts: Generated<number>
  max_attempts: Generated<number>
  singleton_key: string | null
  locked_by: string | null
  locked_at: Date | null
  last_error: string | null
  created_at: Date
  finished_at: Date | null
}

export type NotificationTable = {
  id: Generated<string>
  recipient_id: string
  establishment_code: string
  kind: string
  message_key: string
  params: ColumnType<Record<string, string | number>, string | undefined, string>
  href: string
  created_at: Date
  read_at: Date | null
}

/** One of the week's 21 slots: MON_AM … SUN_ED (ALLOCATION.md). */
export type SlotCode = string

/** The activity categories of the offer, in the order the pages list them (regime and scenarios alike). */
export const activityCategories = [
  'education',
  'work',
  'intervention',
  'therapeutic',
  'peer-led',
  'chaplaincy',
  'family',
  'gym',
] as const
export type ActivityCategory = (typeof activityCategories)[number]
export type DeliveryMode = 'group' | 'one-to-one' | 'in-cell' | 'blended' | 'remote'
export type NonAssociationReason =
  'bullying' | 'gang-related' | 'organised-crime' | 'legal-request' | 'threat' | 'violence' | 'other'
export type NonAssociationLevel = 'cell' | 'landing' | 'wing' | 'regime'

/** Numeric columns: both engines parse them to numbers (see database.ts). */
type Numeric = ColumnType<number, number | undefined, number>

export type RegimePolicyTable = {
  establishment_code: string
  max_sessions_per_person: Generated<number>
  fairness_target_sessions: Generated<number>
  fairness_weight: Numeric
  continuity_bonus: Numeric
  updated_at: Date | null
  updated_by: string | null
}

export type RegimeSlotTable = {
  establishment_code: string
  slot: SlotCode
  /** 'HH:MM:SS' */
  starts_at: string
  ends_at: string
}

export type ActivityTable = {
  id: Generated<string>
  establishment_code: string
  code: string
  name: string
  category: ActivityCategory
  provider_organisation_id: string | null
  delivery_mode: Generated<DeliveryMode>
  description: Generated<string>
  is_active: Generated<boolean>
  created_at: Date
}

export type ActivityGroupTable = {
  id: Generated<string>
  activity_id: string
  code: string
  location: Generated<string>
  slots: SlotCode[]
  capacity: number
  min_size: Generated<number>
  cohorts: string[] | null
  is_active: Generated<boolean>
}

export type CohortSeparationTable = {
  establishment_code: string
  cohort_a: string
  cohort_b: string
}

export type NonAssociationTable = {
  id: Generated<string>
  person_a_id: string
  person_b_id: string
  reason: NonAssociationReason
  level: NonAssociationLevel
  comment: Generated<string>
  created_at: Date
  created_by: string | null
  closed_at: Date | null
  closed_by: string | null
  closed_reason: string | null
}

export type PersonActivityWantTable = {
  person_id: string
  activity_id: string
  weight: Numeric
}

export type PersonUnavailableSlotTable = {
  person_id: string
  slot: SlotCode
  reason: Generated<string>
}

export type ActivityAllocationTable = {
  id: Generated<string>
  person_id: string
  group_id: string
  starts_on: IsoDate
  ends_on: IsoDate | null
  allocation_run_id: string | null
  created_at: Date
  created_by: string | null
  end_reason: string | null
}

export type AllocationRunState = 'waiting' | 'building' | 'solving' | 'proposed' | 'accepted' | 'failed' | 'superseded'

/** Issue 7 (R5): a run of the allocator, kept with its problem and proposal so it can be re-checked. */
export type AllocationRunTable = {
  id: Generated<string>
  establishment_code: string
  source: Generated<'solver' | 'import'>
  state: Generated<AllocationRunState>
  time_budget_ms: number
  requested_at: Date
  requested_by: string | null
  solving_started_at: Date | null
  finished_at: Date | null
  /** JSON: the allocator's problem and timetable (format 1), and the checker's verdict. */
  problem: ColumnType<unknown, string | null | undefined, string | null>
  timetable: ColumnType<unknown, string | null | undefined, string | null>
  result: ColumnType<unknown, string | null | undefined, string | null>
  error: string | null
  accepted_at: Date | null
  accepted_by: string | null
}

/** Issue 7 (R7): the outcomes HMPPS records for a person at a session. */
export type AttendanceOutcome = 'attended' | 'refused' | 'sick' | 'rest-day' | 'clash' | 'cancelled' | 'suspended'

export type AttendanceTable = {
  id: Generated<string>
  group_id: string
  session_on: IsoDate
  slot: SlotCode
  person_id: string
  outcome: AttendanceOutcome
  reason: Generated<string>
  recorded_at: Date
  recorded_by: string | null
}

export type ActivityCompletionTable = {
  id: Generated<string>
  person_id: string
  activity_id: string
  outcome: 'completed' | 'not-completed'
  reason: Generated<string>
  finished_on: IsoDate
  recorded_at: Date
  recorded_by: string | null
}

export type ActivityFeedbackTable = {
  id: Generated<string>
  person_id: string
  activity_id: string
  rating: number
  comment: Generated<string>
  given_on: IsoDate
  recorded_at: Date
  recorded_by: string | null
  /** C1: the person gave it themselves, through their own view. */
  given_by_person_account_id: Generated<string | null>
}

/** Issue 7 (R6): a saved what-if on the prison's set-up; `changes` and `figures` are the scenarios area's JSON. */
export type ScenarioTable = {
  id: Generated<string>
  establishment_code: string
  name: string
  changes: ColumnType<Record<string, unknown>, string | undefined, string>
  created_at: Date
  created_by: string | null
  updated_at: Date
  run_state: Generated<'not-run' | 'running' | 'done' | 'failed'>
  ran_at: Date | null
  figures: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>
  run_error: string | null
}

/** Issue 7 (R3): how a prison adjusts its function's framework, and when assessments fall due (R1). */
export type RegimeFrameworkTable = {
  establishment_code: string
  category_shares: ColumnType<Record<string, number>, string, string>
  need_emphasis: ColumnType<Record<string, number>, string, string>
  first_assessment_days: Generated<number>
  reassessment_days: Generated<number>
  updated_at: Date
  updated_by: string | null
}

export type NeedActivityTable = {
  establishment_code: string
  need: string
  activity_id: string
}

export type AssessmentKind = 'reception' | 'induction' | 'review'

/** Issue 7 (R1): one saved version of a person's needs assessment; never updated. */
export type NeedsAssessmentTable = {
  id: Generated<string>
  person_id: string
  establishment_code: string
  version: number
  kind: AssessmentKind
  answers: ColumnType<Record<string, string>, string, never>
  needs: ColumnType<{ need: string; priority: 'high' | 'medium' | 'low' }[], string, never>
  wishes: Generated<string>
  wished_activity_ids: ColumnType<string[], string[] | undefined, never>
  health_contact: Generated<string>
  assessed_on: IsoDate
  assessed_at: Date
  assessed_by: string | null
}

export type ConcernUrgency = 'immediate' | 'today' | 'can-wait'
export type ConcernSafeNow = 'yes' | 'no' | 'not-sure'
export type ConcernOutcome =
  'spoke-with-person' | 'referred-to-healthcare' | 'passed-to-wing' | 'care-plan-opened' | 'no-further-action'

export type ConcernPolicyTable = {
  establishment_code: string
  immediate_minutes: Generated<number>
  today_minutes: Generated<number>
  can_wait_minutes: Generated<number>
}

export type ConcernTable = {
  id: Generated<string>
  person_id: string
  establishment_code: string
  /** The member of staff who raised it, or null when (C1) the person in custody raised it themselves. */
  raised_by: string | null
  raised_by_person_account_id: Generated<string | null>
  raised_at: Date
  peer_supporter_id: string | null
  what_happened: string
  urgency: ConcernUrgency
  safe_now: ConcernSafeNow
  is_sensitive: Generated<boolean>
  /** S1, S3: the raiser said it indicates a risk of suicide or self-harm: the ACCT clock starts with it. */
  indicates_self_harm_risk: Generated<boolean>
  responsible_staff_user_id: string | null
  escalate_at: Date
  escalated_at: Date | null
  received_at: Date | null
  received_by: string | null
  acted_at: Date | null
  acted_by: string | null
  outcome: ConcernOutcome | null
  action_note: Generated<string>
  care_plan_id: string | null
  /** Issue 14: raised by a family member or friend through the public page; who they are stays there. */
  family_worry_id: Generated<string | null>
  /** Issue 14: the family asked that the person is not told who raised it. */
  family_asked_not_named: Generated<boolean>
}

export type RiskLevel = 'low' | 'raised' | 'high'
export type ImmediateReviewReason = 'self-harm' | 'significant-event' | 'new-information' | 'observation' | 'request'
export type CaseReviewKind = 'first' | 'scheduled' | 'immediate' | 'closure' | 'post-closure' | 'pre-release'

/** Issue 6 (S3): the ACCT timings and names a prison follows; a missing row means the ACCT v6 defaults. */
export type CarePlanSettingTable = {
  establishment_code: string
  immediate_action_minutes: Generated<number>
  assessment_hours: Generated<number>
  first_review_hours: Generated<number>
  transfer_review_hours: Generated<number>
  post_closure_review_days: Generated<number>
  day_starts_hour: Generated<number>
  night_starts_hour: Generated<number>
  orderly_officer_after_minutes: Generated<number>
  risk_low_name: Generated<string>
  risk_raised_name: Generated<string>
  risk_high_name: Generated<string>
  risk_low_name_cy: Generated<string>
  risk_raised_name_cy: Generated<string>
  risk_high_name_cy: Generated<string>
}

export type CarePlanTable = {
  id: Generated<string>
  person_id: string
  establishment_code: string
  concern_id: string | null
  reason: string
  opened_at: Date
  opened_by: string
  immediate_action_due_at: Date
  immediate_action_at: Date | null
  immediate_action_by: string | null
  immediate_action: string | null
  assessment_due_at: Date
  assessment_at: Date | null
  assessor_id: string | null
  assessment_notes: string | null
  first_review_due_at: Date
  next_review_due_at: Date | null
  case_manager_id: string | null
  risk_level: RiskLevel | null
  observations_per_day: Generated<number>
  observations_per_night: Generated<number>
  conversations_per_day: Generated<number>
  conversations_per_night: Generated<number>
  supervision_set_at: Date | null
  triggers: Generated<string>
  warning_signs: Generated<string>
  closure_expected: Generated<boolean>
  immediate_review_requested_at: Date | null
  immediate_review_reason: ImmediateReviewReason | null
  closed_at: Date | null
  post_closure_review_due_at: Date | null
  post_closure_reviewed_at: Date | null
  received_at: Date | null
  /** When the ACCT clock started: the raising of a self-harm concern it came from, or null for its opening. */
  clock_started_at: Date | null
  /** Constant supervision, a level of its own: the officer watching now, or null for observations at intervals. */
  constant_officer_id: string | null
  pre_release_reviewed_at: Date | null
  /** A plan ended by the person leaving custody, not by a post-closure review. */
  ended_reason: 'release' | 'death' | null
}

export type CarePlanConstantWatchTable = {
  id: Generated<string>
  seq: Generated<number>
  care_plan_id: string
  officer_id: string | null
  started_at: Date
  recorded_by: string
  recorded_at: Date
}

export type CaseReviewAttendee = {
  kind: 'case-manager' | 'healthcare' | 'person' | 'wing-staff' | 'chaplaincy' | 'partner' | 'family' | 'staff'
  name: string
}
export type ClosureChecklistItem = { check: string; met: boolean; reason: string; daysSinceArrival?: number }

export type CarePlanReviewTable = {
  id: Generated<string>
  seq: Generated<number>
  care_plan_id: string
  establishment_code: string
  kind: CaseReviewKind
  held_at: Date
  due_at: Date | null
  chaired_by: string
  case_manager_id: string | null
  risk_level: RiskLevel | null
  observations_per_day: number | null
  observations_per_night: number | null
  conversations_per_day: number | null
  conversations_per_night: number | null
  triggers: Generated<string>
  warning_signs: Generated<string>
  notes: Generated<string>
  immediate_reason: ImmediateReviewReason | null
  next_review_due_at: Date | null
  closure_expected: Generated<boolean>
  attendees: ColumnType<CaseReviewAttendee[], string, string>
  recorded_by: string
  recorded_at: Date
  person_absent_reason: Generated<string>
  healthcare_input: Generated<string>
  healthcare_absent_reason: Generated<string>
  case_manager_change_reason: Generated<string>
  supervision_reason: Generated<string>
  constant_officer_id: string | null
  closure_checklist: ColumnType<ClosureChecklistItem[] | null, string | null, string | null>
  /** At closure: the person's own view, in their words where possible. */
  person_view: Generated<string>
  community_information: Generated<string>
}

export type CareMapActionTable = {
  id: Generated<string>
  care_plan_id: string
  review_id: string | null
  description: string
  owner: string
  due_on: IsoDate
  completed_at: Date | null
  completed_by: string | null
  created_at: Date
  created_by: string
}

/** Append-only (a trigger refuses UPDATE and DELETE): a correction is a new row with `corrects_id`. */
export type CarePlanObservationTable = {
  id: Generated<string>
  seq: Generated<number>
  care_plan_id: string
  establishment_code: string
  observed_at: Date
  seen: string
  was_conversation: boolean
  corrects_id: string | null
  correction_reason: string | null
  recorded_by: string
  recorded_at: Date
}

export type CarePlanObservationAlertTable = {
  care_plan_id: string
  slot_ends_at: Date
  stage: 'wing' | 'orderly-officer'
  sent_at: Date
  recipients: number
}

export type CarePlanFamilyEventTable = {
  id: Generated<string>
  seq: Generated<number>
  care_plan_id: string
  kind: 'consent-given' | 'consent-withdrawn' | 'contact'
  family_member: string
  occurred_at: Date
  notes: Generated<string>
  recorded_by: string
  recorded_at: Date
}

export type ReferralOutcome = 'accepted' | 'declined' | 'no-response' | 'completed'

export type CarePlanReferralTable = {
  id: Generated<string>
  care_plan_id: string
  organisation_id: string
  reason: string
  referred_at: Date
  referred_by: string
  outcome: ReferralOutcome | null
  outcome_notes: string | null
  outcome_at: Date | null
  outcome_by: string | null
}

/** Issue 8 (M1): a governor's target for one measure of what works at their prison. */
export type MeasureTargetTable = {
  establishment_code: string
  measure: string
  target: number
  set_at: Date
  set_by: string | null
}

/** Issue 8 (M1): a measure's figure as it stood in a month ('2026-11'); null where it could not be worked out. */
export type MeasureSnapshotTable = {
  establishment_code: string
  measure: string
  month: string
  value: number | null
  recorded_at: Date
}

/** Issue 8 (M2): a self-harm incident. */
export type SelfHarmIncidentTable = {
  id: Generated<string>
  establishment_code: string
  person_id: string
  occurred_at: Date
  method: string
  injury: string
  on_open_care_plan: boolean
  recorded_at: Date
  recorded_by: string | null
}

/** Issue 8 (M2): a death in custody with its investigation reference. */
export type DeathInCustodyTable = {
  id: Generated<string>
  establishment_code: string
  person_id: string
  died_on: IsoDate
  investigation_reference: string
  recorded_at: Date
  recorded_by: string | null
}

/** M2: a prison's perverse-incentive watch flagged in a month, and its group directors told (once a month). */
export type TransferWatchFlagTable = {
  establishment_code: string
  month: string
  ratio: number
  lower_bound: number
  upper_bound: number
  flagged_at: Date
}

/** Issue 8 (M4): a prison's own cost of one item, in pence, with the source it came from. */
export type CostingUnitCostTable = {
  establishment_code: string
  item: string
  amount_pence: ColumnType<string, number, number>
  source: string
  set_at: Date
  set_by: string | null
}

/** Issue 8 (M4): one assumption of the costing page at a prison; null is the default (or no change assumed). */
export type CostingAssumptionTable = {
  establishment_code: string
  name: string
  value: number | null
  source: Generated<string>
  set_at: Date
  set_by: string | null
}

export type FamilyWorryHowSoon = 'now' | 'today' | 'this-week'
/** What the family's follow-up page says: never any detail. */
export type FamilyWorryStatus = 'received' | 'being-looked-at' | 'acted-on'

/** Issue 14: a worry from family or friends, as they sent it, matched to a person when it can be. */
export type FamilyWorryTable = {
  id: Generated<string>
  establishment_code: string
  reference: string
  follow_up_code_hash: string
  received_at: Date
  language: 'en' | 'cy'
  person_name: string
  date_of_birth: IsoDate | null
  prison_number: string | null
  what_worries: string
  how_soon: FamilyWorryHowSoon
  /** Whether the family fears suicide or self-harm ("not sure" counts as yes): the ACCT clock starts with it. */
  self_harm_risk: boolean
  relationship: string
  raiser_name: string
  raiser_phone: string | null
  raiser_email: string | null
  may_tell_person: boolean
  address_key: string
  held_back: Generated<boolean>
  routed_at: Date | null
  person_id: string | null
  concern_id: string | null
  matched_at: Date | null
  matched_by: string | null
  family_status: Generated<FamilyWorryStatus>
  family_status_at: Date
  malicious_at: Date | null
  malicious_by: string | null
  malicious_reason: string | null
  care_plan_linked_at: Generated<Date | null>
  /** Told to the governors and safer custody on duty when no one had matched it in the prison's time for its urgency. */
  escalated_at: Generated<Date | null>
  /** Closed by safer custody as about someone this prison does not hold: when, by whom, and their note. */
  not_held_here_at: Generated<Date | null>
  not_held_here_by: Generated<string | null>
  not_held_here_note: Generated<string | null>
}

export type FamilyWorrySettingTable = {
  establishment_code: string
  safer_custody_phone: string
}

export type MailOutboxTable = {
  id: Generated<string>
  establishment_code: string | null
  to_address: string
  subject: string
  body: string
  created_at: Date
}

/** Issue 15: a system the prison registered to call Waymark's API; its secret is kept only as a hash. */
export type ApiClientTable = {
  id: Generated<string>
  client_id: string
  name: string
  /** Null for a client of the external issuer: it has no secret of Waymark's. */
  secret_hash: string | null
  /** HMPPS-style roles, `ROLE_WAYMARK__PEOPLE__RO`; empty for a client of the external issuer (its token's). */
  roles: string[]
  /** The prisons whose records it may ask for (the `Caseload-Id` it may send). */
  establishment_codes: string[]
  created_at: Date
  revoked_at: Date | null
  /** Who issues its tokens: Waymark itself, or the configured external issuer (`API_TOKEN_ISSUER`). */
  tokens_from: Generated<'waymark' | 'external'>
}

/** The key the embedded mode signs API tokens with, as JSON Web Keys. */
export type ApiSigningKeyTable = {
  kid: string
  private_jwk: Record<string, unknown>
  public_jwk: Record<string, unknown>
  created_at: Date
}

/** Issue 15: a subscriber to Waymark's events, registered by an administrator. */
export type WebhookSubscriptionTable = {
  id: Generated<string>
  url: string
  event_types: string[]
  signing_secret: string
  enabled: Generated<boolean>
  created_at: Date
  created_by: string
  changed_at: Date
  changed_by: string
  /** The secret a rotation replaced: it still signs deliveries, beside the new one, until `previous_secret_until`. */
  previous_signing_secret: Generated<string | null>
  previous_secret_until: Generated<Date | null>
}

/** Issue 15: the prisons a subscriber hears of; it is sent no other prison's events. */
export type WebhookSubscriptionPrisonTable = {
  subscription_id: string
  establishment_code: string
}

export type WebhookDeliveryState = 'pending' | 'delivered' | 'failed'

/** Issue 15: one domain event for one subscription, tried until delivered, in order per person. */
export type WebhookDeliveryTable = {
  id: Generated<number>
  subscription_id: string
  event_id: number
  position: number
  event_key: string
  event_type: string
  person_id: string
  /** The prison the event happened at; null only for one queued before deliveries recorded it, whose event is gone. */
  establishment_code: string | null
  body: ColumnType<unknown, string, string>
  state: Generated<WebhookDeliveryState>
  attempts: Generated<number>
  next_attempt_at: Date
  locked_until: Date | null
  last_attempt_at: Date | null
  last_status: number | null
  last_error: string | null
  delivered_at: Date | null
  created_at: Date
}

export type Database = {
  establishment: EstablishmentTable
  wing: WingTable
  cell: CellTable
  person: PersonTable
  person_summary: PersonSummaryView
  staff_user: StaffUserTable
  staff_summary: StaffSummaryView
  staff_user_establishment: StaffUserEstablishmentTable
  web_session: WebSessionTable
  sign_in_failure: SignInFailureTable
  event_outbox: EventOutboxTable
  audit_event: AuditEventTable
  organisation: OrganisationTable
  training_record: TrainingRecordTable
  staff_supervision: StaffSupervisionTable
  peer_supporter: PeerSupporterTable
  keywork_policy: KeyworkPolicyTable
  dedicated_officer_allocation: DedicatedOfficerAllocationTable
  officer_change_request: OfficerChangeRequestTable
  key_work_session: KeyWorkSessionTable
  progress_meeting: ProgressMeetingTable
  check_in: CheckInTable
  journey_stage: JourneyStageTable
  specialist_need_decision: SpecialistNeedDecisionTable
  staff_policy: StaffPolicyTable
  handover: HandoverTable
  concern_policy: ConcernPolicyTable
  concern: ConcernTable
  family_worry: FamilyWorryTable
  api_client: ApiClientTable
  api_signing_key: ApiSigningKeyTable
  family_worry_setting: FamilyWorrySettingTable
  mail_outbox: MailOutboxTable
  job: JobTable
  notification: NotificationTable
  regime_policy: RegimePolicyTable
  regime_slot: RegimeSlotTable
  activity: ActivityTable
  activity_group: ActivityGroupTable
  cohort_separation: CohortSeparationTable
  non_association: NonAssociationTable
  person_activity_want: PersonActivityWantTable
  person_unavailable_slot: PersonUnavailableSlotTable
  activity_allocation: ActivityAllocationTable
  allocation_run: AllocationRunTable
  attendance: AttendanceTable
  activity_completion: ActivityCompletionTable
  activity_feedback: ActivityFeedbackTable
  scenario: ScenarioTable
  regime_framework: RegimeFrameworkTable
  need_activity: NeedActivityTable
  needs_assessment: NeedsAssessmentTable
  care_plan_setting: CarePlanSettingTable
  care_plan: CarePlanTable
  care_plan_review: CarePlanReviewTable
  care_plan_constant_watch: CarePlanConstantWatchTable
  care_map_action: CareMapActionTable
  care_plan_observation: CarePlanObservationTable
  care_plan_observation_alert: CarePlanObservationAlertTable
  care_plan_family_event: CarePlanFamilyEventTable
  care_plan_referral: CarePlanReferralTable
  measure_target: MeasureTargetTable
  measure_snapshot: MeasureSnapshotTable
  self_harm_incident: SelfHarmIncidentTable
  death_in_custody: DeathInCustodyTable
  transfer_watch_flag: TransferWatchFlagTable
  person_account: PersonAccountTable
  costing_unit_cost: CostingUnitCostTable
  costing_assumption: CostingAssumptionTable
  webhook_subscription: WebhookSubscriptionTable
  webhook_delivery: WebhookDeliveryTable
  webhook_subscription_prison: WebhookSubscriptionPrisonTable
}

export type PersonRow = Selectable<PersonTable>
export type NewPerson = Insertable<PersonTable>
