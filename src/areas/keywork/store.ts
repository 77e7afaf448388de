import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { DeallocationReason, IsoDate } from '../../db/schema.ts'
import { defaultPolicy, type CheckInReading, type KeyworkPolicy } from './rules.ts'

export async function findPolicy(db: Db, establishmentCode: string): Promise<KeyworkPolicy> {
  const row = await db
    .selectFrom('keywork_policy')
    .select([
      'officer_label as officerLabel',
      'officer_label_cy as officerLabelCy',
      'caseload_default as caseloadDefault',
      'caseload_extended as caseloadExtended',
      'session_interval_days as sessionIntervalDays',
      'first_contact_days as firstContactDays',
    ])
    .where('establishment_code', '=', establishmentCode)
    .executeTakeFirst()
  return row ?? defaultPolicy
}

export async function savePolicy(db: Db, establishmentCode: string, policy: KeyworkPolicy) {
  const values = {
    officer_label: policy.officerLabel,
    officer_label_cy: policy.officerLabelCy,
    caseload_default: policy.caseloadDefault,
    caseload_extended: policy.caseloadExtended,
    session_interval_days: policy.sessionIntervalDays,
    first_contact_days: policy.firstContactDays,
  }
  await db
    .insertInto('keywork_policy')
    .values({ establishment_code: establishmentCode, ...values })
    .onConflict((conflict) => conflict.column('establishment_code').doUpdateSet(values))
    .execute()
}

export type AllocationRow = {
  id: string
  personId: string
  staffUserId: string
  allocatedAt: Date
  allocationKind: 'manual' | 'recommended' | 'specialist'
  endedAt: Date | null
  endReason: DeallocationReason | null
}

const allocationColumns = [
  'a.id',
  'a.person_id as personId',
  'a.staff_user_id as staffUserId',
  'a.allocated_at as allocatedAt',
  'a.allocation_kind as allocationKind',
  'a.ended_at as endedAt',
  'a.end_reason as endReason',
] as const

/** The current allocations of these people, with the establishment each person is in. */
export async function currentAllocations(db: Db, personIds: readonly string[]) {
  if (personIds.length === 0) return []
  return db
    .selectFrom('dedicated_officer_allocation as a')
    .innerJoin('person as p', 'p.id', 'a.person_id')
    .select([...allocationColumns, 'p.establishment_code as establishmentCode'])
    .where('a.person_id', 'in', personIds)
    .where('a.ended_at', 'is', null)
    .execute()
}

/** Every allocation of a person, newest first. */
export async function allocationHistory(db: Db, personId: string): Promise<AllocationRow[]> {
  return db
    .selectFrom('dedicated_officer_allocation as a')
    .select(allocationColumns)
    .where('a.person_id', '=', personId)
    .orderBy('a.allocated_at', 'desc')
    .orderBy('a.id')
    .execute()
}

/** Previous officers of each person, most recent first, for continuity. */
export async function previousOfficers(db: Db, personIds: readonly string[]) {
  const history = new Map<string, string[]>()
  if (personIds.length === 0) return history
  const rows = await db
    .selectFrom('dedicated_officer_allocation')
    .select(['person_id as personId', 'staff_user_id as staffUserId'])
    .where('person_id', 'in', personIds)
    .where('ended_at', 'is not', null)
    .orderBy('ended_at', 'desc')
    .orderBy('id')
    .execute()
  for (const row of rows) {
    const list = history.get(row.personId) ?? []
    if (!list.includes(row.staffUserId)) list.push(row.staffUserId)
    history.set(row.personId, list)
  }
  return history
}

/** How many people each officer has now, counting only people at the establishment. */
export async function caseloadCounts(db: Db, establishmentCode: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('dedicated_officer_allocation as a')
    .innerJoin('person as p', 'p.id', 'a.person_id')
    .select(['a.staff_user_id as staffUserId', (eb) => eb.fn.countAll<number>().as('count')])
    .where('a.ended_at', 'is', null)
    .where('p.establishment_code', '=', establishmentCode)
    .groupBy('a.staff_user_id')
    .execute()
  return new Map(rows.map((row) => [row.staffUserId, Number(row.count)]))
}

export async function endAllocation(
  db: Db,
  personId: string,
  values: { endedAt: Date; endedBy: string | null; reason: DeallocationReason },
) {
  return db
    .updateTable('dedicated_officer_allocation')
    .set({ ended_at: values.endedAt, ended_by: values.endedBy, end_reason: values.reason })
    .where('person_id', '=', personId)
    .where('ended_at', 'is', null)
    .returning(['id', 'staff_user_id as staffUserId'])
    .executeTakeFirst()
}

export async function insertAllocation(
  db: Db,
  values: {
    personId: string
    staffUserId: string
    allocatedAt: Date
    allocatedBy: string | null
    kind: 'manual' | 'recommended' | 'specialist'
  },
) {
  const row = await db
    .insertInto('dedicated_officer_allocation')
    .values({
      person_id: values.personId,
      staff_user_id: values.staffUserId,
      allocated_at: values.allocatedAt,
      allocated_by: values.allocatedBy,
      allocation_kind: values.kind,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Current allocations at an establishment, person id to officer id and start. */
export async function allocationsAt(db: Db, establishmentCode: string) {
  const rows = await db
    .selectFrom('dedicated_officer_allocation as a')
    .innerJoin('person as p', 'p.id', 'a.person_id')
    .select(['a.person_id as personId', 'a.staff_user_id as staffUserId', 'a.allocated_at as allocatedAt'])
    .where('a.ended_at', 'is', null)
    .where('p.establishment_code', '=', establishmentCode)
    .execute()
  return new Map(rows.map((row) => [row.personId, row]))
}

/** First allocation of each person at an establishment (J2). */
export async function firstAllocations(db: Db, establishmentCode: string) {
  const rows = await db
    .selectFrom('dedicated_officer_allocation as a')
    .innerJoin('person as p', 'p.id', 'a.person_id')
    .select(['a.person_id as personId', (eb) => eb.fn.min('a.allocated_at').as('firstAt')])
    .where('p.establishment_code', '=', establishmentCode)
    .groupBy('a.person_id')
    .execute()
  return new Map(rows.map((row) => [row.personId, new Date(row.firstAt as unknown as string | Date)]))
}

export type SessionRow = {
  id: string
  personId: string
  staffUserId: string
  heldOn: IsoDate
  minutes: number
}

export async function sessionsOf(db: Db, personIds: readonly string[]): Promise<SessionRow[]> {
  if (personIds.length === 0) return []
  return db
    .selectFrom('key_work_session')
    .select(['id', 'person_id as personId', 'staff_user_id as staffUserId', 'held_on as heldOn', 'minutes'])
    .where('person_id', 'in', personIds)
    .where('did_not_happen_reason', 'is', null)
    .orderBy('held_on')
    .orderBy('recorded_at')
    .execute()
}

/** K4: the dates of the progress meetings of these people held on or after a day, oldest first. */
export async function meetingDatesSince(db: Db, personIds: readonly string[], from: IsoDate) {
  if (personIds.length === 0) return []
  return db
    .selectFrom('progress_meeting')
    .select(['person_id as personId', 'held_on as heldOn'])
    .where('person_id', 'in', personIds)
    .where('held_on', '>=', from)
    .orderBy('held_on')
    .execute()
}

/** K1: the dates of the sessions held with an establishment's people from one day to another, oldest first. */
export async function sessionDatesBetween(db: Db, establishmentCode: string, from: IsoDate, to: IsoDate) {
  return db
    .selectFrom('key_work_session as s')
    .innerJoin('person as p', 'p.id', 's.person_id')
    .select(['s.person_id as personId', 's.held_on as heldOn'])
    .where('p.establishment_code', '=', establishmentCode)
    .where('s.did_not_happen_reason', 'is', null)
    .where('s.held_on', '>=', from)
    .where('s.held_on', '<=', to)
    .orderBy('s.held_on')
    .execute()
}

/** J2: the day of each of an establishment's people's first session held, up to a day. */
export async function firstSessionsUpTo(db: Db, establishmentCode: string, to: IsoDate): Promise<Map<string, IsoDate>> {
  const rows = await db
    .selectFrom('key_work_session as s')
    .innerJoin('person as p', 'p.id', 's.person_id')
    .select(['s.person_id as personId', sql<IsoDate>`min(s.held_on)`.as('firstOn')])
    .where('p.establishment_code', '=', establishmentCode)
    .where('s.did_not_happen_reason', 'is', null)
    .where('s.held_on', '<=', to)
    .groupBy('s.person_id')
    .execute()
  return new Map(rows.map((row) => [row.personId, row.firstOn]))
}

export type CheckInRow = CheckInReading & {
  id: string
  personId: string
  keyWorkSessionId: string | null
  progressMeetingId: string | null
  notes: string
}

export async function checkInsOf(db: Db, personIds: readonly string[]): Promise<CheckInRow[]> {
  if (personIds.length === 0) return []
  return db
    .selectFrom('check_in')
    .select([
      'id',
      'person_id as personId',
      'key_work_session_id as keyWorkSessionId',
      'progress_meeting_id as progressMeetingId',
      'recorded_on as recordedOn',
      'mood',
      'sleep',
      'family_contact as familyContact',
      'worries',
      'notes',
    ])
    .where('person_id', 'in', personIds)
    .orderBy('recorded_on')
    .orderBy('recorded_at')
    .execute()
}

export async function meetingsOf(db: Db, personId: string) {
  return db
    .selectFrom('progress_meeting')
    .select(['id', 'held_on as heldOn', 'attendees'])
    .where('person_id', '=', personId)
    .orderBy('held_on', 'desc')
    .execute()
}

export type CheckInValues = {
  mood: number
  sleep: number
  familyContact: number
  worries: number
  notes: string
}

export async function insertSession(
  db: Db,
  values: { personId: string; staffUserId: string; heldOn: IsoDate; minutes: number; recordedAt: Date },
) {
  const row = await db
    .insertInto('key_work_session')
    .values({
      person_id: values.personId,
      staff_user_id: values.staffUserId,
      held_on: values.heldOn,
      minutes: values.minutes,
      recorded_at: values.recordedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function insertMeeting(
  db: Db,
  values: {
    personId: string
    heldOn: IsoDate
    attendees: { name: string; organisation: string; role: string }[]
    recordedBy: string | null
    recordedAt: Date
  },
) {
  const row = await db
    .insertInto('progress_meeting')
    .values({
      person_id: values.personId,
      held_on: values.heldOn,
      attendees: JSON.stringify(values.attendees),
      recorded_by: values.recordedBy,
      recorded_at: values.recordedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function insertCheckIn(
  db: Db,
  values: CheckInValues & {
    personId: string
    keyWorkSessionId?: string
    progressMeetingId?: string
    recordedOn: IsoDate
    recordedBy: string | null
    recordedAt: Date
  },
) {
  await db
    .insertInto('check_in')
    .values({
      person_id: values.personId,
      key_work_session_id: values.keyWorkSessionId ?? null,
      progress_meeting_id: values.progressMeetingId ?? null,
      recorded_on: values.recordedOn,
      mood: values.mood,
      sleep: values.sleep,
      family_contact: values.familyContact,
      worries: values.worries,
      notes: values.notes,
      recorded_by: values.recordedBy,
      recorded_at: values.recordedAt,
    })
    .execute()
}

export async function insertChangeRequest(
  db: Db,
  values: {
    personId: string
    aboutStaffUserId: string
    reason: string
    raisedAt: Date
    raisedBy: string | null
    /** C1: the person asked themselves, through their own view. */
    raisedByPersonAccountId?: string | null
  },
) {
  const row = await db
    .insertInto('officer_change_request')
    .values({
      person_id: values.personId,
      about_staff_user_id: values.aboutStaffUserId,
      reason: values.reason,
      raised_at: values.raisedAt,
      raised_by: values.raisedBy,
      raised_by_person_account_id: values.raisedByPersonAccountId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** K2: whether a person already has a request to change officer that safer custody has not decided. */
export async function hasPendingChangeRequest(db: Db, personId: string): Promise<boolean> {
  const row = await db
    .selectFrom('officer_change_request')
    .select('id')
    .where('person_id', '=', personId)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return row !== undefined
}

/**
 * K2: change requests at an establishment, never those about `excludingStaffUserId` (the reader), so an
 * officer cannot read a request about themselves whatever their role.
 */
/** M3: how many requests to change officer each person at a prison made since a date. */
export async function changeRequestCountsSince(db: Db, establishmentCode: string, since: Date) {
  return db
    .selectFrom('officer_change_request as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .select(['r.person_id as personId', (eb) => eb.fn.countAll<number>().as('count')])
    .where('p.establishment_code', '=', establishmentCode)
    .where('r.raised_at', '>=', since)
    .groupBy('r.person_id')
    .execute()
}

export async function changeRequestsAt(db: Db, establishmentCode: string, excludingStaffUserId: string) {
  return db
    .selectFrom('officer_change_request as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .select([
      'r.id',
      'r.person_id as personId',
      'p.prison_number as prisonNumber',
      'p.first_name as firstName',
      'p.last_name as lastName',
      'r.about_staff_user_id as aboutStaffUserId',
      'r.reason',
      'r.raised_at as raisedAt',
      'r.status',
      'r.outcome_reason as outcomeReason',
      'r.decided_at as decidedAt',
    ])
    .where('p.establishment_code', '=', establishmentCode)
    .where('r.about_staff_user_id', '<>', excludingStaffUserId)
    .orderBy('r.status', 'desc')
    .orderBy('r.raised_at')
    .execute()
}

export async function findChangeRequest(db: Db, id: string) {
  return db
    .selectFrom('officer_change_request as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .select([
      'r.id',
      'r.person_id as personId',
      'p.establishment_code as establishmentCode',
      'r.about_staff_user_id as aboutStaffUserId',
      'r.status',
    ])
    .where('r.id', '=', id)
    .executeTakeFirst()
}

export async function decideChangeRequest(
  db: Db,
  id: string,
  values: { status: 'agreed' | 'declined'; outcomeReason: string; decidedAt: Date; decidedBy: string },
) {
  const row = await db
    .updateTable('officer_change_request')
    .set({
      status: values.status,
      outcome_reason: values.outcomeReason,
      decided_at: values.decidedAt,
      decided_by: values.decidedBy,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returning('id')
    .executeTakeFirst()
  return Boolean(row)
}

/** K1: the decisions about whether a person needs a specialist dedicated officer, newest first, with who made them. */
export async function specialistNeedDecisions(db: Db, personId: string) {
  return db
    .selectFrom('specialist_need_decision as d')
    .leftJoin('staff_user as s', 's.id', 'd.decided_by')
    .select([
      'd.id',
      'd.needs_specialist as needsSpecialist',
      'd.reason',
      'd.decided_at as decidedAt',
      's.display_name as decidedByName',
    ])
    .where('d.person_id', '=', personId)
    .orderBy('d.decided_at', 'desc')
    .orderBy('d.id')
    .execute()
}

export async function insertSpecialistNeedDecision(
  db: Db,
  values: { personId: string; needsSpecialist: boolean; reason: string; decidedBy: string; decidedAt: Date },
): Promise<string> {
  const row = await db
    .insertInto('specialist_need_decision')
    .values({
      person_id: values.personId,
      needs_specialist: values.needsSpecialist,
      reason: values.reason,
      decided_by: values.decidedBy,
      decided_at: values.decidedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}
