import type { Db } from '../../../db/database.ts'
import { staffNameOf } from '../../../db/summaries.ts'
import type {
  CaseReviewAttendee,
  ClosureChecklistItem,
  CaseReviewKind,
  ImmediateReviewReason,
  RiskLevel,
} from '../../../db/schema.ts'
import type { Supervision } from '../rules.ts'

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
    .innerJoin('establishment as e', 'e.code', 'r.establishment_code')
    .select([
      'r.id',
      'r.care_plan_id as carePlanId',
      'r.kind',
      'r.held_at as heldAt',
      'r.due_at as dueAt',
      (eb) => staffNameOf(eb, 'r.chaired_by').$notNull().as('chairName'),
      (eb) => staffNameOf(eb, 'r.case_manager_id').as('caseManagerName'),
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
      (eb) => staffNameOf(eb, 'r.constant_officer_id').as('constantOfficerName'),
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

export async function reviewDueDates(db: Db, carePlanIds: readonly string[]) {
  if (carePlanIds.length === 0) return []
  return db
    .selectFrom('care_plan_review')
    .select(['care_plan_id as carePlanId', 'due_at as dueAt', 'held_at as heldAt', 'kind'])
    .where('care_plan_id', 'in', [...carePlanIds])
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
