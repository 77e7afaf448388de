import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import type {
  ActivityCategory,
  AssessmentKind,
  DeliveryMode,
  IsoDate,
  NonAssociationLevel,
  NonAssociationReason,
} from '../../db/schema.ts'
import type { ActivityInput, AssessedNeed, GroupInput, UsableSlot } from './rules.ts'

// ---------------------------------------------------------------------------------------------------------
// The prison, its usable day and its framework

export async function findEstablishment(db: Db, code: string) {
  return db.selectFrom('establishment').select(['code', 'name', 'function']).where('code', '=', code).executeTakeFirst()
}

export async function establishmentCodes(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('establishment').select('code').orderBy('code').execute()
  return rows.map((row) => row.code)
}

/** Whether a notification of this kind went to anyone at the prison on or after a day: the sweep's mark. */
export async function hasNotificationSince(db: Db, establishmentCode: string, kind: string, day: IsoDate) {
  const row = await db
    .selectFrom('notification')
    .select('id')
    .where('establishment_code', '=', establishmentCode)
    .where('kind', '=', kind)
    .where('created_at', '>=', new Date(`${day}T00:00:00Z`))
    .limit(1)
    .executeTakeFirst()
  return Boolean(row)
}

/** 'HH:MM:SS' from the database, 'HH:MM' for people. */
const hhmm = (value: string) => value.slice(0, 5)

export async function usableDay(db: Db, establishmentCode: string): Promise<UsableSlot[]> {
  const rows = await db
    .selectFrom('regime_slot')
    .select(['slot', 'starts_at', 'ends_at'])
    .where('establishment_code', '=', establishmentCode)
    .execute()
  return rows.map((row) => ({ slot: row.slot, startsAt: hhmm(row.starts_at), endsAt: hhmm(row.ends_at) }))
}

export async function replaceUsableDay(db: Db, establishmentCode: string, slots: readonly UsableSlot[]) {
  await db.deleteFrom('regime_slot').where('establishment_code', '=', establishmentCode).execute()
  if (slots.length > 0)
    await db
      .insertInto('regime_slot')
      .values(
        slots.map((slot) => ({
          establishment_code: establishmentCode,
          slot: slot.slot,
          starts_at: slot.startsAt,
          ends_at: slot.endsAt,
        })),
      )
      .execute()
}

export type FrameworkRow = {
  categoryShares: Record<string, number>
  needEmphasis: Record<string, number>
  firstAssessmentDays: number
  reassessmentDays: number
}

export async function findFramework(db: Db, establishmentCode: string): Promise<FrameworkRow | undefined> {
  return db
    .selectFrom('regime_framework')
    .select([
      'category_shares as categoryShares',
      'need_emphasis as needEmphasis',
      'first_assessment_days as firstAssessmentDays',
      'reassessment_days as reassessmentDays',
    ])
    .where('establishment_code', '=', establishmentCode)
    .executeTakeFirst()
}

export async function saveFramework(
  db: Db,
  establishmentCode: string,
  framework: FrameworkRow,
  updatedBy: string | null,
  updatedAt: Date,
) {
  const values = {
    category_shares: JSON.stringify(framework.categoryShares),
    need_emphasis: JSON.stringify(framework.needEmphasis),
    first_assessment_days: framework.firstAssessmentDays,
    reassessment_days: framework.reassessmentDays,
    updated_at: updatedAt,
    updated_by: updatedBy,
  }
  await db
    .insertInto('regime_framework')
    .values({ establishment_code: establishmentCode, ...values })
    .onConflict((conflict) => conflict.column('establishment_code').doUpdateSet(values))
    .execute()
}

export async function deleteFramework(db: Db, establishmentCode: string) {
  await db.deleteFrom('regime_framework').where('establishment_code', '=', establishmentCode).execute()
}

// ---------------------------------------------------------------------------------------------------------
// The offer

export type ActivitySummary = {
  id: string
  code: string
  name: string
  category: ActivityCategory
  deliveryMode: DeliveryMode
  providerOrganisationId: string | null
  providerName: string | null
  description: string
  isActive: boolean
  groupCount: number
  places: number
}

export async function listActivities(
  db: Db,
  establishmentCode: string,
  filter: { category?: string | undefined; includeRetired?: boolean } = {},
): Promise<ActivitySummary[]> {
  let query = db
    .selectFrom('activity as a')
    .leftJoin('organisation as o', 'o.id', 'a.provider_organisation_id')
    .leftJoin('activity_group as g', (join) => join.onRef('g.activity_id', '=', 'a.id').on('g.is_active', '=', true))
    .select([
      'a.id',
      'a.code',
      'a.name',
      'a.category',
      'a.delivery_mode as deliveryMode',
      'a.provider_organisation_id as providerOrganisationId',
      'o.name as providerName',
      'a.description',
      'a.is_active as isActive',
      (eb) => eb.fn.count<number>('g.id').as('groupCount'),
      (eb) => eb.fn.coalesce(eb.fn.sum<number>('g.capacity'), eb.lit(0)).as('places'),
    ])
    .where('a.establishment_code', '=', establishmentCode)
    .groupBy(['a.id', 'o.name'])
    .orderBy('a.category')
    .orderBy('a.name')
  if (filter.category) query = query.where('a.category', '=', filter.category as ActivityCategory)
  if (!filter.includeRetired) query = query.where('a.is_active', '=', true)
  const rows = await query.execute()
  return rows.map((row) => ({ ...row, groupCount: Number(row.groupCount), places: Number(row.places) }))
}

export async function findActivity(db: Db, establishmentCode: string, code: string) {
  return db
    .selectFrom('activity as a')
    .leftJoin('organisation as o', 'o.id', 'a.provider_organisation_id')
    .select([
      'a.id',
      'a.code',
      'a.name',
      'a.category',
      'a.delivery_mode as deliveryMode',
      'a.provider_organisation_id as providerOrganisationId',
      'o.name as providerName',
      'a.description',
      'a.is_active as isActive',
    ])
    .where('a.establishment_code', '=', establishmentCode)
    .where('a.code', '=', code)
    .executeTakeFirst()
}

export async function activityCodes(db: Db, establishmentCode: string): Promise<string[]> {
  const rows = await db
    .selectFrom('activity')
    .select('code')
    .where('establishment_code', '=', establishmentCode)
    .execute()
  return rows.map((row) => row.code)
}

export async function insertActivity(db: Db, establishmentCode: string, activity: ActivityInput, createdAt: Date) {
  const row = await db
    .insertInto('activity')
    .values({
      establishment_code: establishmentCode,
      code: activity.code,
      name: activity.name,
      category: activity.category,
      provider_organisation_id: activity.providerOrganisationId,
      delivery_mode: activity.deliveryMode,
      description: activity.description,
      created_at: createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The code stays: it is the allocator's id, and exported problems and timetables name it. */
export async function updateActivity(db: Db, activityId: string, activity: Omit<ActivityInput, 'code'>) {
  await db
    .updateTable('activity')
    .set({
      name: activity.name,
      category: activity.category,
      provider_organisation_id: activity.providerOrganisationId,
      delivery_mode: activity.deliveryMode,
      description: activity.description,
    })
    .where('id', '=', activityId)
    .execute()
}

export async function setActivityActive(db: Db, activityId: string, isActive: boolean) {
  await db.updateTable('activity').set({ is_active: isActive }).where('id', '=', activityId).execute()
}

export type GroupRow = {
  id: string
  code: string
  location: string
  slots: string[]
  capacity: number
  minSize: number
  cohorts: string[] | null
  isActive: boolean
}

export async function groupsOf(db: Db, activityId: string): Promise<GroupRow[]> {
  return db
    .selectFrom('activity_group')
    .select(['id', 'code', 'location', 'slots', 'capacity', 'min_size as minSize', 'cohorts', 'is_active as isActive'])
    .where('activity_id', '=', activityId)
    .orderBy('is_active', 'desc')
    .orderBy('code')
    .execute()
}

export async function insertGroup(db: Db, activityId: string, group: GroupInput) {
  await db
    .insertInto('activity_group')
    .values({
      activity_id: activityId,
      code: group.code,
      location: group.location,
      slots: group.slots,
      capacity: group.capacity,
      min_size: group.minSize,
      cohorts: group.cohorts.length > 0 ? group.cohorts : null,
    })
    .execute()
}

export async function updateGroup(db: Db, groupId: string, group: Omit<GroupInput, 'code'>) {
  await db
    .updateTable('activity_group')
    .set({
      location: group.location,
      slots: group.slots,
      capacity: group.capacity,
      min_size: group.minSize,
      cohorts: group.cohorts.length > 0 ? group.cohorts : null,
    })
    .where('id', '=', groupId)
    .execute()
}

export async function setGroupActive(db: Db, groupId: string, isActive: boolean) {
  await db.updateTable('activity_group').set({ is_active: isActive }).where('id', '=', groupId).execute()
}

export async function retireGroupsOf(db: Db, activityId: string) {
  await db.updateTable('activity_group').set({ is_active: false }).where('activity_id', '=', activityId).execute()
}

/** The slots of active groups that meet outside a usable day about to be saved, for the refusal. */
export async function groupsUsingSlots(db: Db, establishmentCode: string) {
  return db
    .selectFrom('activity_group as g')
    .innerJoin('activity as a', 'a.id', 'g.activity_id')
    .select(['a.code as activityCode', 'g.code', 'g.slots'])
    .where('a.establishment_code', '=', establishmentCode)
    .where('a.is_active', '=', true)
    .where('g.is_active', '=', true)
    .execute()
}

export async function needsOfActivity(db: Db, activityId: string): Promise<string[]> {
  const rows = await db.selectFrom('need_activity').select('need').where('activity_id', '=', activityId).execute()
  return rows.map((row) => row.need).sort()
}

export async function replaceNeedsOfActivity(
  db: Db,
  establishmentCode: string,
  activityId: string,
  needs: readonly string[],
) {
  await db.deleteFrom('need_activity').where('activity_id', '=', activityId).execute()
  if (needs.length > 0)
    await db
      .insertInto('need_activity')
      .values(needs.map((need) => ({ establishment_code: establishmentCode, need, activity_id: activityId })))
      .execute()
}

/** need -> the active activities that meet it, at one prison. */
export async function needActivities(db: Db, establishmentCode: string): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('need_activity as n')
    .innerJoin('activity as a', 'a.id', 'n.activity_id')
    .select(['n.need', 'n.activity_id as activityId'])
    .where('n.establishment_code', '=', establishmentCode)
    .where('a.is_active', '=', true)
    .orderBy('a.code')
    .execute()
  const map = new Map<string, string[]>()
  for (const row of rows) map.set(row.need, [...(map.get(row.need) ?? []), row.activityId])
  return map
}

/** R8: the places (group capacities) mapped to each need, by the cohorts each group admits. */
export async function placesByNeed(db: Db, establishmentCode: string) {
  return db
    .selectFrom('need_activity as n')
    .innerJoin('activity as a', 'a.id', 'n.activity_id')
    .innerJoin('activity_group as g', 'g.activity_id', 'a.id')
    .select(['n.need', 'g.capacity', 'g.cohorts'])
    .where('n.establishment_code', '=', establishmentCode)
    .where('a.is_active', '=', true)
    .where('g.is_active', '=', true)
    .execute()
}

/** R3 against R2: the places a week (capacity times slots) of active groups, by category. */
export async function sessionsByCategory(db: Db, establishmentCode: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('activity_group as g')
    .innerJoin('activity as a', 'a.id', 'g.activity_id')
    .select(['a.category', sql<number>`sum(g.capacity * cardinality(g.slots))`.as('places')])
    .where('a.establishment_code', '=', establishmentCode)
    .where('a.is_active', '=', true)
    .where('g.is_active', '=', true)
    .groupBy('a.category')
    .execute()
  return new Map(rows.map((row) => [row.category, Number(row.places)]))
}

// ---------------------------------------------------------------------------------------------------------
// Cohorts and non-associations (R4)

export async function cohortSeparations(db: Db, establishmentCode: string) {
  return db
    .selectFrom('cohort_separation')
    .select(['cohort_a as cohortA', 'cohort_b as cohortB'])
    .where('establishment_code', '=', establishmentCode)
    .orderBy('cohort_a')
    .orderBy('cohort_b')
    .execute()
}

export async function insertCohortSeparation(db: Db, establishmentCode: string, cohortA: string, cohortB: string) {
  await db
    .insertInto('cohort_separation')
    .values({ establishment_code: establishmentCode, cohort_a: cohortA, cohort_b: cohortB })
    .onConflict((conflict) => conflict.doNothing())
    .execute()
}

export async function deleteCohortSeparation(db: Db, establishmentCode: string, cohortA: string, cohortB: string) {
  const result = await db
    .deleteFrom('cohort_separation')
    .where('establishment_code', '=', establishmentCode)
    .where('cohort_a', '=', cohortA)
    .where('cohort_b', '=', cohortB)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

export type NonAssociationRow = {
  id: string
  reason: NonAssociationReason
  level: NonAssociationLevel
  comment: string
  createdAt: Date
  closedAt: Date | null
  closedReason: string | null
  personAId: string
  personBId: string
  a: PersonRef
  b: PersonRef
}
type PersonRef = {
  id: string
  prisonNumber: string
  firstName: string
  lastName: string
  establishmentCode: string
  cohort: string
}

function nonAssociations(db: Db) {
  return db
    .selectFrom('non_association as n')
    .innerJoin('person as pa', 'pa.id', 'n.person_a_id')
    .innerJoin('person as pb', 'pb.id', 'n.person_b_id')
    .select([
      'n.id',
      'n.reason',
      'n.level',
      'n.comment',
      'n.created_at as createdAt',
      'n.closed_at as closedAt',
      'n.closed_reason as closedReason',
      'n.person_a_id as personAId',
      'n.person_b_id as personBId',
      'pa.prison_number as aPrisonNumber',
      'pa.first_name as aFirstName',
      'pa.last_name as aLastName',
      'pa.establishment_code as aEstablishmentCode',
      'pa.cohort as aCohort',
      'pb.prison_number as bPrisonNumber',
      'pb.first_name as bFirstName',
      'pb.last_name as bLastName',
      'pb.establishment_code as bEstablishmentCode',
      'pb.cohort as bCohort',
    ])
}

type RawNonAssociation = Awaited<ReturnType<ReturnType<typeof nonAssociations>['execute']>>[number]
function toNonAssociation(row: RawNonAssociation): NonAssociationRow {
  return {
    id: row.id,
    reason: row.reason,
    level: row.level,
    comment: row.comment,
    createdAt: row.createdAt,
    closedAt: row.closedAt,
    closedReason: row.closedReason,
    personAId: row.personAId,
    personBId: row.personBId,
    a: {
      id: row.personAId,
      prisonNumber: row.aPrisonNumber,
      firstName: row.aFirstName,
      lastName: row.aLastName,
      establishmentCode: row.aEstablishmentCode,
      cohort: row.aCohort,
    },
    b: {
      id: row.personBId,
      prisonNumber: row.bPrisonNumber,
      firstName: row.bFirstName,
      lastName: row.bLastName,
      establishmentCode: row.bEstablishmentCode,
      cohort: row.bCohort,
    },
  }
}

export async function nonAssociationsOf(db: Db, personId: string): Promise<NonAssociationRow[]> {
  const rows = await nonAssociations(db)
    .where((eb) => eb.or([eb('n.person_a_id', '=', personId), eb('n.person_b_id', '=', personId)]))
    .orderBy(sql`n.closed_at is null`, 'desc')
    .orderBy('n.created_at', 'desc')
    .execute()
  return rows.map(toNonAssociation)
}

/** Open non-associations where either person is at this prison. */
export async function openNonAssociationsAt(db: Db, establishmentCode: string): Promise<NonAssociationRow[]> {
  const rows = await nonAssociations(db)
    .where('n.closed_at', 'is', null)
    .where((eb) =>
      eb.or([eb('pa.establishment_code', '=', establishmentCode), eb('pb.establishment_code', '=', establishmentCode)]),
    )
    .orderBy('n.created_at', 'desc')
    .execute()
  return rows.map(toNonAssociation)
}

export async function findNonAssociation(db: Db, id: string): Promise<NonAssociationRow | undefined> {
  const row = await nonAssociations(db).where('n.id', '=', id).executeTakeFirst()
  return row ? toNonAssociation(row) : undefined
}

export async function hasOpenNonAssociation(db: Db, personAId: string, personBId: string): Promise<boolean> {
  const row = await db
    .selectFrom('non_association')
    .select('id')
    .where('person_a_id', '=', personAId)
    .where('person_b_id', '=', personBId)
    .where('closed_at', 'is', null)
    .executeTakeFirst()
  return Boolean(row)
}

export async function insertNonAssociation(
  db: Db,
  values: {
    personAId: string
    personBId: string
    reason: NonAssociationReason
    level: NonAssociationLevel
    comment: string
    createdAt: Date
    createdBy: string | null
  },
) {
  const row = await db
    .insertInto('non_association')
    .values({
      person_a_id: values.personAId,
      person_b_id: values.personBId,
      reason: values.reason,
      level: values.level,
      comment: values.comment,
      created_at: values.createdAt,
      created_by: values.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Closes an open one; 0 when someone closed it first. */
export async function closeNonAssociation(db: Db, id: string, closedReason: string, closedAt: Date, closedBy: string) {
  const result = await db
    .updateTable('non_association')
    .set({ closed_at: closedAt, closed_by: closedBy, closed_reason: closedReason })
    .where('id', '=', id)
    .where('closed_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

export async function findPersonByPrisonNumber(db: Db, prisonNumber: string) {
  return db
    .selectFrom('person')
    .select([
      'id',
      'prison_number as prisonNumber',
      'first_name as firstName',
      'last_name as lastName',
      'establishment_code as establishmentCode',
    ])
    .where('prison_number', '=', prisonNumber)
    .executeTakeFirst()
}

// ---------------------------------------------------------------------------------------------------------
// Needs assessments (R1) and wants

export type AssessmentRow = {
  id: string
  version: number
  kind: AssessmentKind
  answers: Record<string, string>
  needs: AssessedNeed[]
  wishes: string
  wishedActivityIds: string[]
  healthContact: string
  assessedOn: IsoDate
  assessedAt: Date
  assessedByName: string | null
}

function assessments(db: Db) {
  return db
    .selectFrom('needs_assessment as n')
    .leftJoin('staff_user as s', 's.id', 'n.assessed_by')
    .select([
      'n.id',
      'n.version',
      'n.kind',
      'n.answers',
      'n.needs',
      'n.wishes',
      'n.wished_activity_ids as wishedActivityIds',
      'n.health_contact as healthContact',
      'n.assessed_on as assessedOn',
      'n.assessed_at as assessedAt',
      's.display_name as assessedByName',
    ])
}

export async function assessmentHistory(db: Db, personId: string): Promise<AssessmentRow[]> {
  const rows = await assessments(db).where('n.person_id', '=', personId).orderBy('n.version', 'desc').execute()
  return rows as AssessmentRow[]
}

export async function findAssessment(db: Db, personId: string, version: number): Promise<AssessmentRow | undefined> {
  const row = await assessments(db)
    .where('n.person_id', '=', personId)
    .where('n.version', '=', version)
    .executeTakeFirst()
  return row as AssessmentRow | undefined
}

export async function lastVersion(db: Db, personId: string): Promise<number> {
  const row = await db
    .selectFrom('needs_assessment')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('person_id', '=', personId)
    .executeTakeFirst()
  return Number(row?.version ?? 0)
}

export type NewAssessment = {
  personId: string
  establishmentCode: string
  version: number
  kind: AssessmentKind
  answers: Record<string, string>
  needs: readonly AssessedNeed[]
  wishes: string
  wishedActivityIds: readonly string[]
  healthContact: string
  assessedOn: IsoDate
  assessedAt: Date
  assessedBy: string | null
}

function assessmentValues(assessment: NewAssessment) {
  return {
    person_id: assessment.personId,
    establishment_code: assessment.establishmentCode,
    version: assessment.version,
    kind: assessment.kind,
    answers: JSON.stringify(assessment.answers),
    needs: JSON.stringify(assessment.needs),
    wishes: assessment.wishes,
    wished_activity_ids: [...assessment.wishedActivityIds],
    health_contact: assessment.healthContact,
    assessed_on: assessment.assessedOn,
    assessed_at: assessment.assessedAt,
    assessed_by: assessment.assessedBy,
  }
}

export async function insertAssessment(db: Db, assessment: NewAssessment) {
  await db.insertInto('needs_assessment').values(assessmentValues(assessment)).execute()
}

/** For the demo: many at once. */
export async function insertAssessments(db: Db, rows: readonly NewAssessment[]) {
  if (rows.length > 0) await db.insertInto('needs_assessment').values(rows.map(assessmentValues)).execute()
}

export async function replaceWants(db: Db, personId: string, wants: ReadonlyMap<string, number>) {
  await db.deleteFrom('person_activity_want').where('person_id', '=', personId).execute()
  if (wants.size > 0)
    await db
      .insertInto('person_activity_want')
      .values([...wants].map(([activityId, weight]) => ({ person_id: personId, activity_id: activityId, weight })))
      .execute()
}

export async function insertWants(db: Db, rows: readonly { personId: string; activityId: string; weight: number }[]) {
  if (rows.length > 0)
    await db
      .insertInto('person_activity_want')
      .values(rows.map((row) => ({ person_id: row.personId, activity_id: row.activityId, weight: row.weight })))
      .execute()
}

export async function wantsOf(db: Db, personId: string) {
  return db
    .selectFrom('person_activity_want as w')
    .innerJoin('activity as a', 'a.id', 'w.activity_id')
    .select(['a.id', 'a.code', 'a.name', 'a.category', 'w.weight'])
    .where('w.person_id', '=', personId)
    .orderBy('w.weight', 'desc')
    .orderBy('a.name')
    .execute()
}

/** Everyone at a prison with the date and needs of their latest assessment, if any. */
export async function peopleWithLatestAssessment(db: Db, establishmentCode: string) {
  return db
    .selectFrom('person as p')
    .leftJoin('cell as c', 'c.id', 'p.cell_id')
    .leftJoin('wing as w', 'w.id', 'c.wing_id')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('needs_assessment')
          .distinctOn('person_id')
          .select(['person_id', 'assessed_on', 'needs'])
          // Only this prison's people, but their latest version wherever it was made.
          .where(
            'person_id',
            'in',
            db.selectFrom('person').select('id').where('establishment_code', '=', establishmentCode),
          )
          .orderBy('person_id')
          .orderBy('version', 'desc')
          .as('n'),
      (join) => join.onRef('n.person_id', '=', 'p.id'),
    )
    .select([
      'p.id',
      'p.prison_number as prisonNumber',
      'p.first_name as firstName',
      'p.last_name as lastName',
      'p.cohort',
      'p.reception_on as receptionOn',
      'w.name as wingName',
      'n.assessed_on as lastAssessedOn',
      'n.needs',
    ])
    .where('p.establishment_code', '=', establishmentCode)
    .orderBy('p.last_name')
    .orderBy('p.first_name')
    .orderBy('p.prison_number')
    .execute()
}

export async function activitiesByIds(db: Db, establishmentCode: string, ids: readonly string[]) {
  if (ids.length === 0) return []
  return db
    .selectFrom('activity')
    .select(['id', 'code', 'name'])
    .where('establishment_code', '=', establishmentCode)
    .where('id', 'in', [...ids])
    .execute()
}
