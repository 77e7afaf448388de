import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import { fromTheNewRow } from '../../db/upsert.ts'
import type { AttendanceOutcome, IsoDate, SlotCode } from '../../db/schema.ts'
import { hoursBetween } from './rules.ts'
import { personNameColumns } from '../../db/summaries.ts'
import { holdUntilCommit } from '../../platform/locks.ts'

/** How long each of the prison's slots lasts, in hours. */
export async function slotHours(db: Db, establishmentCode: string): Promise<Map<SlotCode, number>> {
  const rows = await db
    .selectFrom('regime_slot')
    .select(['slot', 'starts_at as startsAt', 'ends_at as endsAt'])
    .where('establishment_code', '=', establishmentCode)
    .execute()
  return new Map(rows.map((row) => [row.slot, hoursBetween(row.startsAt, row.endsAt)]))
}

export type SessionGroup = {
  groupId: string
  groupCode: string
  location: string
  slots: SlotCode[]
  activityId: string
  activityCode: string
  activityName: string
  providerName: string | null
  providerOrganisationId: string | null
}

/** Which activity a row is of and who provides it, from `activity as a` and its `organisation as o` (left-joined). */
export const activityColumns = [
  'a.id as activityId',
  'a.code as activityCode',
  'a.name as activityName',
  'o.name as providerName',
  'a.provider_organisation_id as providerOrganisationId',
] as const

function groupsAt(db: Db, establishmentCode: string) {
  return db
    .selectFrom('activity_group as g')
    .innerJoin('activity as a', 'a.id', 'g.activity_id')
    .leftJoin('organisation as o', 'o.id', 'a.provider_organisation_id')
    .select(['g.id as groupId', 'g.code as groupCode', 'g.location', 'g.slots', ...activityColumns])
    .where('a.establishment_code', '=', establishmentCode)
}

/** A group of this prison's, or undefined: a group elsewhere is as good as unknown. */
export async function findGroup(db: Db, establishmentCode: string, groupId: string): Promise<SessionGroup | undefined> {
  return groupsAt(db, establishmentCode).where('g.id', '=', groupId).executeTakeFirst()
}

/** Every running group with a session in this slot pattern (a day's slots, e.g. WED_AM, WED_PM, WED_ED). */
export async function groupsMeetingIn(db: Db, establishmentCode: string, slots: readonly SlotCode[]) {
  return groupsAt(db, establishmentCode)
    .where('g.is_active', '=', true)
    .where('a.is_active', '=', true)
    .where(sql<boolean>`g.slots && ${sql.val(slots)}::text[]`)
    .orderBy('a.name')
    .orderBy('g.code')
    .execute()
}

/** How many people each group had on a date, from the allocations that were open that day. */
export async function memberCounts(db: Db, groupIds: readonly string[], on: IsoDate): Promise<Map<string, number>> {
  if (groupIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('activity_allocation')
    .select(['group_id as groupId', (eb) => eb.fn.countAll<number>().as('count')])
    .where('group_id', 'in', groupIds)
    .where('starts_on', '<=', on)
    .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', on)]))
    .groupBy('group_id')
    .execute()
  return new Map(rows.map((row) => [row.groupId, Number(row.count)]))
}

/** How many people have an outcome recorded at each session of a date. */
export async function recordedCounts(db: Db, groupIds: readonly string[], on: IsoDate) {
  if (groupIds.length === 0) return new Map<string, number>()
  const rows = await db
    .selectFrom('attendance')
    .select(['group_id as groupId', 'slot', (eb) => eb.fn.countAll<number>().as('count')])
    .where('group_id', 'in', groupIds)
    .where('session_on', '=', on)
    .groupBy(['group_id', 'slot'])
    .execute()
  return new Map(rows.map((row) => [`${row.groupId}/${row.slot}`, Number(row.count)]))
}

export type RegisterPerson = {
  personId: string
  prisonNumber: string
  firstName: string
  lastName: string
  cellLabel: string | null
}

/** Who a register names: the person, and their cell. */
const registerPersonColumns = ['p.id as personId', ...personNameColumns, 'p.cell_label as cellLabel'] as const

/**
 * The people on a group's register for a date: those allocated to it that day. This reads
 * `activity_allocation` directly, as the allocation service does not yet offer the members on a past date
 * (its `currentGroupMembers` gives today's only); it reads nothing else of that area's.
 */
export async function membersOn(db: Db, groupId: string, on: IsoDate): Promise<RegisterPerson[]> {
  return db
    .selectFrom('activity_allocation as aa')
    .innerJoin('person_summary as p', 'p.id', 'aa.person_id')
    .select(registerPersonColumns)
    .where('aa.group_id', '=', groupId)
    .where('aa.starts_on', '<=', on)
    .where((eb) => eb.or([eb('aa.ends_on', 'is', null), eb('aa.ends_on', '>=', on)]))
    .distinct()
    .orderBy('p.last_name')
    .orderBy('p.first_name')
    .execute()
}

/** People recorded at a session who are no longer on its register (moved since), so their line is kept. */
export async function peopleRecordedAt(
  db: Db,
  groupId: string,
  on: IsoDate,
  slot: SlotCode,
): Promise<RegisterPerson[]> {
  return db
    .selectFrom('attendance as at')
    .innerJoin('person_summary as p', 'p.id', 'at.person_id')
    .select(registerPersonColumns)
    .where('at.group_id', '=', groupId)
    .where('at.session_on', '=', on)
    .where('at.slot', '=', slot)
    .execute()
}

export async function sessionRecords(db: Db, groupId: string, on: IsoDate, slot: SlotCode) {
  return db
    .selectFrom('attendance')
    .select(['person_id as personId', 'outcome', 'reason', 'recorded_at as recordedAt'])
    .where('group_id', '=', groupId)
    .where('session_on', '=', on)
    .where('slot', '=', slot)
    .execute()
}

export type AttendanceRow = {
  groupId: string
  sessionOn: IsoDate
  slot: SlotCode
  personId: string
  outcome: AttendanceOutcome
  reason: string
  recordedAt: Date
  recordedBy: string | null
}

/**
 * Holds one session's register until the transaction ends, so that two writers (a page and another system)
 * take turns: the second reads what the first saved before it decides, and never overwrites it unseen.
 */
export async function holdRegister(trx: Db, groupId: string, sessionOn: IsoDate, slot: SlotCode): Promise<void> {
  await holdUntilCommit(trx, `attendance:${groupId}:${sessionOn}:${slot}`)
}

/** Writes a session's register: a person already recorded has their line replaced. */
export async function saveAttendance(db: Db, rows: readonly AttendanceRow[]) {
  for (let start = 0; start < rows.length; start += 1000) {
    await db
      .insertInto('attendance')
      .values(
        rows.slice(start, start + 1000).map((row) => ({
          group_id: row.groupId,
          session_on: row.sessionOn,
          slot: row.slot,
          person_id: row.personId,
          outcome: row.outcome,
          reason: row.reason,
          recorded_at: row.recordedAt,
          recorded_by: row.recordedBy,
        })),
      )
      .onConflict((conflict) =>
        conflict
          .columns(['group_id', 'session_on', 'slot', 'person_id'])
          .doUpdateSet(fromTheNewRow<'attendance'>(['outcome', 'reason', 'recorded_at', 'recorded_by'])),
      )
      .execute()
  }
}

// A person's activities

/** The activities a person has been allocated to, with when and in which group, latest first. */
export async function allocationsOf(db: Db, personId: string) {
  return db
    .selectFrom('activity_allocation as aa')
    .innerJoin('activity_group as g', 'g.id', 'aa.group_id')
    .innerJoin('activity as a', 'a.id', 'g.activity_id')
    .leftJoin('organisation as o', 'o.id', 'a.provider_organisation_id')
    .select([...activityColumns, 'g.code as groupCode', 'g.slots', 'aa.starts_on as startsOn', 'aa.ends_on as endsOn'])
    .where('aa.person_id', '=', personId)
    .orderBy('aa.starts_on', 'desc')
    .execute()
}

/** A person's outcome counts per activity, over everything recorded. */
export async function outcomeCountsOf(db: Db, personId: string) {
  return db
    .selectFrom('attendance as at')
    .innerJoin('activity_group as g', 'g.id', 'at.group_id')
    .select(['g.activity_id as activityId', 'at.outcome', (eb) => eb.fn.countAll<number>().as('count')])
    .where('at.person_id', '=', personId)
    .groupBy(['g.activity_id', 'at.outcome'])
    .execute()
}

export async function recentAttendanceOf(db: Db, personId: string, limit: number) {
  return db
    .selectFrom('attendance as at')
    .innerJoin('activity_group as g', 'g.id', 'at.group_id')
    .innerJoin('activity as a', 'a.id', 'g.activity_id')
    .select(['at.session_on as sessionOn', 'at.slot', 'a.name as activityName', 'at.outcome', 'at.reason'])
    .where('at.person_id', '=', personId)
    .orderBy('at.session_on', 'desc')
    .orderBy('at.slot')
    .limit(limit)
    .execute()
}

export async function completionsOf(db: Db, personId: string) {
  return db
    .selectFrom('activity_completion as c')
    .innerJoin('activity as a', 'a.id', 'c.activity_id')
    .select(['a.id as activityId', 'a.name as activityName', 'c.outcome', 'c.reason', 'c.finished_on as finishedOn'])
    .where('c.person_id', '=', personId)
    .orderBy('c.finished_on', 'desc')
    .execute()
}

export async function feedbackOf(db: Db, personId: string) {
  return db
    .selectFrom('activity_feedback as f')
    .innerJoin('activity as a', 'a.id', 'f.activity_id')
    .select(['a.id as activityId', 'a.name as activityName', 'f.rating', 'f.comment', 'f.given_on as givenOn'])
    .where('f.person_id', '=', personId)
    .orderBy('f.given_on', 'desc')
    .orderBy('f.recorded_at', 'desc')
    .execute()
}

/** An activity of this prison's, or undefined. */
export async function findActivity(db: Db, establishmentCode: string, activityId: string) {
  return db
    .selectFrom('activity')
    .select(['id', 'name'])
    .where('establishment_code', '=', establishmentCode)
    .where('id', '=', activityId)
    .executeTakeFirst()
}

export async function insertCompletion(
  db: Db,
  row: {
    personId: string
    activityId: string
    outcome: 'completed' | 'not-completed'
    reason: string
    finishedOn: IsoDate
    recordedAt: Date
    recordedBy: string
  },
) {
  await db
    .insertInto('activity_completion')
    .values({
      person_id: row.personId,
      activity_id: row.activityId,
      outcome: row.outcome,
      reason: row.reason,
      finished_on: row.finishedOn,
      recorded_at: row.recordedAt,
      recorded_by: row.recordedBy,
    })
    .onConflict((conflict) =>
      conflict.columns(['person_id', 'activity_id', 'finished_on']).doUpdateSet({
        outcome: row.outcome,
        reason: row.reason,
        recorded_at: row.recordedAt,
        recorded_by: row.recordedBy,
      }),
    )
    .execute()
}

export async function insertFeedback(
  db: Db,
  row: {
    personId: string
    activityId: string
    rating: number
    comment: string
    givenOn: IsoDate
    recordedAt: Date
    recordedBy: string | null
    /** C1: the person gave it themselves, through their own view. */
    givenByPersonAccountId?: string | null
  },
) {
  await db
    .insertInto('activity_feedback')
    .values({
      person_id: row.personId,
      activity_id: row.activityId,
      rating: row.rating,
      comment: row.comment,
      given_on: row.givenOn,
      recorded_at: row.recordedAt,
      recorded_by: row.recordedBy,
      given_by_person_account_id: row.givenByPersonAccountId ?? null,
    })
    .execute()
}
