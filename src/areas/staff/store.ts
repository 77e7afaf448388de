import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import { prisonSettingsOf, writePrisonSettings } from '../../db/prison-settings.ts'
import type { IsoDate, StaffStatus, TrainingCourse } from '../../db/schema.ts'
import { SUPERVISION_INTERVAL_WEEKS, type OrganisationKind } from './rules.ts'
import { personNameColumns } from '../../db/summaries.ts'

/** An expiry far enough ahead to mean "never expires", so a date comparison treats it as always current. */
export const NEVER_EXPIRES: IsoDate = '9999-12-31'

/** A record of a training course as every list of training reads it. */
const trainingColumns = [
  'course',
  'completed_on as completedOn',
  'expires_on as expiresOn',
  'is_joint as isJoint',
] as const

export type LatestTraining = {
  staffUserId: string
  course: TrainingCourse
  completedOn: IsoDate
  expiresOn: IsoDate | null
  isJoint: boolean
}

/** Each staff member's most recent record of each course (latest completion; ties by latest expiry). */
/**
 * Each person's latest record of each course completed by a day (today, or a past day for a past month's
 * figures: a course completed since then did not count then).
 */
export async function latestTrainingOf(
  db: Db,
  staffUserIds: readonly string[],
  completedBy: IsoDate,
): Promise<LatestTraining[]> {
  if (staffUserIds.length === 0) return []
  return db
    .selectFrom('training_record')
    .select(['staff_user_id as staffUserId', ...trainingColumns])
    .distinctOn(['staff_user_id', 'course'])
    .where('staff_user_id', 'in', [...staffUserIds])
    .where('completed_on', '<=', completedBy)
    .orderBy('staff_user_id')
    .orderBy('course')
    .orderBy('completed_on', 'desc')
    .orderBy(sql`expires_on desc nulls first`)
    .orderBy('recorded_at', 'desc')
    .execute()
}

export type StaffListRow = {
  staffUserId: string
  displayName: string
  role: string
  isActive: boolean
  staffStatus: StaffStatus
  reactivationOn: IsoDate | null
  caseloadLimit: number | null
  organisationId: string | null
  organisationName: string | null
}

/** Staff members with their status and organisation: the one shape every list of staff is read in. */
function staffQuery(db: Db) {
  return db
    .selectFrom('staff_user as s')
    .leftJoin('organisation as o', 'o.id', 's.organisation_id')
    .select([
      's.id as staffUserId',
      's.display_name as displayName',
      's.role',
      's.is_active as isActive',
      's.staff_status as staffStatus',
      's.reactivation_on as reactivationOn',
      's.caseload_limit as caseloadLimit',
      's.organisation_id as organisationId',
      'o.name as organisationName',
    ])
}

/**
 * Everyone who works at an establishment (staff and partner workers), or only those in `roles`, in name order.
 * A group director is linked to each prison they oversee but does not work in it: they are never on its staff
 * list, in its figures or among those who can be named for a person, unless `roles` asks for directors.
 */
export async function listStaffAt(
  db: Db,
  establishmentCode: string,
  roles?: readonly string[],
): Promise<StaffListRow[]> {
  let query = staffQuery(db)
    .innerJoin('staff_user_establishment as se', 'se.staff_user_id', 's.id')
    .where('se.establishment_code', '=', establishmentCode)
  query = roles ? query.where('s.role', 'in', [...roles]) : query.where('s.role', '!=', 'director')
  return query.orderBy('s.display_name').orderBy('s.id').execute()
}

/** A staff member, only if they work at one of the given establishments. */
export async function findStaffInEstablishments(
  db: Db,
  establishmentCodes: readonly string[],
  staffUserId: string,
): Promise<StaffListRow | undefined> {
  if (establishmentCodes.length === 0) return undefined
  return staffQuery(db)
    .where('s.id', '=', staffUserId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('staff_user_establishment as se')
          .select('se.staff_user_id')
          .whereRef('se.staff_user_id', '=', 's.id')
          .where('se.establishment_code', 'in', [...establishmentCodes]),
      ),
    )
    .executeTakeFirst()
}

/** An organisation whose people work in prisons, as its list and its page show it. */
function organisations(db: Db) {
  return db.selectFrom('organisation').select(['id', 'name', 'kind', 'services'])
}

export async function listOrganisations(db: Db) {
  return organisations(db).orderBy('name').execute()
}

export async function findOrganisation(db: Db, id: string) {
  return organisations(db).where('id', '=', id).executeTakeFirst()
}

/** How many people of each organisation work at the establishment. */
export async function countStaffByOrganisation(db: Db, establishmentCode: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('staff_user as s')
    .innerJoin('staff_user_establishment as se', 'se.staff_user_id', 's.id')
    .select(['s.organisation_id as organisationId', sql<number>`count(*)::int`.as('count')])
    .where('se.establishment_code', '=', establishmentCode)
    .where('s.organisation_id', 'is not', null)
    .groupBy('s.organisation_id')
    .execute()
  return new Map(rows.map((row) => [row.organisationId!, row.count]))
}

export async function insertOrganisation(
  db: Db,
  values: { name: string; kind: OrganisationKind; services: string },
): Promise<string> {
  const row = await db.insertInto('organisation').values(values).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export async function updateOrganisation(
  db: Db,
  id: string,
  values: { name: string; kind: OrganisationKind; services: string },
): Promise<void> {
  await db.updateTable('organisation').set(values).where('id', '=', id).execute()
}

export async function listTrainingOf(db: Db, staffUserId: string) {
  return db
    .selectFrom('training_record')
    .select(['id', ...trainingColumns, 'recorded_at as recordedAt'])
    .where('staff_user_id', '=', staffUserId)
    .orderBy('completed_on', 'desc')
    .orderBy('recorded_at', 'desc')
    .execute()
}

export async function insertTraining(
  db: Db,
  values: {
    staffUserId: string
    course: TrainingCourse
    completedOn: IsoDate
    expiresOn: IsoDate | null
    isJoint: boolean
    recordedBy: string
    recordedAt: Date
  },
): Promise<string> {
  const row = await db
    .insertInto('training_record')
    .values({
      staff_user_id: values.staffUserId,
      course: values.course,
      completed_on: values.completedOn,
      expires_on: values.expiresOn,
      is_joint: values.isJoint,
      recorded_by: values.recordedBy,
      recorded_at: values.recordedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function listSupervisionOf(db: Db, staffUserId: string) {
  return db
    .selectFrom('staff_supervision')
    .select(['id', 'held_on as heldOn', 'kind', 'supervisor'])
    .where('staff_user_id', '=', staffUserId)
    .orderBy('held_on', 'desc')
    .orderBy('recorded_at', 'desc')
    .execute()
}

/** The date of each staff member's most recent supervision session of any kind. */
/** Each person's last supervision held by a day (today, or a past day for a past month's figures). */
export async function lastSupervisionOf(
  db: Db,
  staffUserIds: readonly string[],
  heldBy: IsoDate,
): Promise<Map<string, IsoDate>> {
  if (staffUserIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('staff_supervision')
    .select(['staff_user_id as staffUserId', sql<IsoDate>`max(held_on)`.as('lastHeldOn')])
    .where('staff_user_id', 'in', [...staffUserIds])
    .where('held_on', '<=', heldBy)
    .groupBy('staff_user_id')
    .execute()
  return new Map(rows.map((row) => [row.staffUserId, row.lastHeldOn]))
}

export async function insertSupervision(
  db: Db,
  values: {
    staffUserId: string
    kind: 'line-management' | 'reflective-practice' | 'external-clinical'
    heldOn: IsoDate
    supervisor: string
    recordedBy: string
    recordedAt: Date
  },
): Promise<string> {
  const row = await db
    .insertInto('staff_supervision')
    .values({
      staff_user_id: values.staffUserId,
      kind: values.kind,
      held_on: values.heldOn,
      supervisor: values.supervisor,
      recorded_by: values.recordedBy,
      recorded_at: values.recordedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function updateStatus(
  db: Db,
  staffUserId: string,
  values: {
    status: StaffStatus
    reactivationOn: IsoDate | null
    caseloadLimit: number | null
    /** Left as it is when undefined. */
    organisationId?: string | null | undefined
  },
): Promise<void> {
  await db
    .updateTable('staff_user')
    .set({
      staff_status: values.status,
      reactivation_on: values.reactivationOn,
      caseload_limit: values.caseloadLimit,
      ...(values.organisationId !== undefined ? { organisation_id: values.organisationId } : {}),
    })
    .where('id', '=', staffUserId)
    .execute()
}

export type PeerSupporterRow = {
  id: string
  personId: string
  prisonNumber: string
  firstName: string
  lastName: string
  scheme: 'listener' | 'insider' | 'peer-mentor' | 'lived-experience-worker'
  wingId: number | null
  startedOn: IsoDate
  endedOn: IsoDate | null
}

/** A peer supporter's role with the person it belongs to, on the wings of one establishment. */
function peerSupporterQuery(db: Db, establishmentCode: string) {
  return db
    .selectFrom('peer_supporter as ps')
    .innerJoin('person_summary as p', 'p.id', 'ps.person_id')
    .innerJoin('wing as w', 'w.id', 'ps.wing_id')
    .select([
      'ps.id',
      'ps.person_id as personId',
      ...personNameColumns,
      'ps.scheme',
      'ps.wing_id as wingId',
      'ps.started_on as startedOn',
      'ps.ended_on as endedOn',
    ])
    .where('w.establishment_code', '=', establishmentCode)
}

/** Peer supporters serving on this establishment's wings and still in it, current on `today`. */
export async function listCurrentPeerSupporters(
  db: Db,
  establishmentCode: string,
  today: IsoDate,
): Promise<PeerSupporterRow[]> {
  return peerSupporterQuery(db, establishmentCode)
    .where('p.establishment_code', '=', establishmentCode)
    .where('ps.started_on', '<=', today)
    .where((eb) => eb.or([eb('ps.ended_on', 'is', null), eb('ps.ended_on', '>', today)]))
    .orderBy('p.last_name')
    .orderBy('p.first_name')
    .orderBy('ps.scheme')
    .execute()
}

/** One peer supporter's role, only if it serves a wing of this establishment. */
export async function findPeerSupporter(db: Db, establishmentCode: string, id: string) {
  return peerSupporterQuery(db, establishmentCode)
    .select('w.name as wingName')
    .where('ps.id', '=', id)
    .executeTakeFirst()
}

/** How many people are in cells on each wing of the establishment. */
export async function countPeopleByWing(db: Db, establishmentCode: string) {
  return db
    .selectFrom('wing as w')
    .leftJoin('person_summary as p', (join) =>
      join.onRef('p.wing_id', '=', 'w.id').on('p.establishment_code', '=', establishmentCode),
    )
    .select(['w.id', 'w.code', 'w.name', sql<number>`count(p.id)::int`.as('people')])
    .where('w.establishment_code', '=', establishmentCode)
    .groupBy(['w.id', 'w.code', 'w.name'])
    .orderBy('w.code')
    .execute()
}

export async function countPeopleAt(db: Db, establishmentCode: string): Promise<number> {
  const row = await db
    .selectFrom('person_summary')
    .select(sql<number>`count(*)::int`.as('count'))
    .where('establishment_code', '=', establishmentCode)
    .executeTakeFirstOrThrow()
  return row.count
}

export async function hasCurrentRole(db: Db, personId: string, scheme: string, today: IsoDate): Promise<boolean> {
  const row = await db
    .selectFrom('peer_supporter')
    .select('id')
    .where('person_id', '=', personId)
    .where('scheme', '=', scheme as PeerSupporterRow['scheme'])
    .where((eb) => eb.or([eb('ended_on', 'is', null), eb('ended_on', '>', today)]))
    .executeTakeFirst()
  return Boolean(row)
}

export async function insertPeerSupporter(
  db: Db,
  values: {
    personId: string
    scheme: PeerSupporterRow['scheme']
    wingId: number
    startedOn: IsoDate
    recordedBy: string
  },
): Promise<string> {
  const row = await db
    .insertInto('peer_supporter')
    .values({
      person_id: values.personId,
      scheme: values.scheme,
      wing_id: values.wingId,
      started_on: values.startedOn,
      recorded_by: values.recordedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function endPeerSupporter(db: Db, id: string, endedOn: IsoDate): Promise<void> {
  await db.updateTable('peer_supporter').set({ ended_on: endedOn }).where('id', '=', id).execute()
}

/** Every peer supporter role a person has held, newest first, with the wing served. */
export async function listRolesOf(db: Db, personId: string) {
  return db
    .selectFrom('peer_supporter as ps')
    .leftJoin('wing as w', 'w.id', 'ps.wing_id')
    .select(['ps.id', 'ps.scheme', 'w.name as wingName', 'ps.started_on as startedOn', 'ps.ended_on as endedOn'])
    .where('ps.person_id', '=', personId)
    .orderBy('ps.started_on', 'desc')
    .execute()
}

/** P2: a prison's staff settings; the defaults where it has saved none. */
export async function findStaffPolicy(db: Db, establishmentCode: string) {
  const row = await prisonSettingsOf(db, 'staff_policy', establishmentCode)
    .select('supervision_interval_weeks as supervisionIntervalWeeks')
    .executeTakeFirst()
  return row ?? { supervisionIntervalWeeks: SUPERVISION_INTERVAL_WEEKS }
}

export async function saveStaffPolicy(db: Db, establishmentCode: string, values: { supervisionIntervalWeeks: number }) {
  await writePrisonSettings(db, 'staff_policy', establishmentCode, {
    supervision_interval_weeks: values.supervisionIntervalWeeks,
  })
}

/** The prisons a member of staff works at, in code order (the order their caseloads are held in). */
export async function establishmentCodesOf(db: Db, staffUserId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('staff_user_establishment')
    .select('establishment_code as code')
    .where('staff_user_id', '=', staffUserId)
    .orderBy('establishment_code')
    .execute()
  return rows.map((row) => row.code)
}
