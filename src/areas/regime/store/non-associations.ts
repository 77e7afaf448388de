import { sql } from 'kysely'
import type { Db } from '../../../db/database.ts'
import { personNameColumns } from '../../../db/summaries.ts'
import type { NonAssociationLevel, NonAssociationReason } from '../../../db/schema.ts'

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
    .innerJoin('person_summary as pa', 'pa.id', 'n.person_a_id')
    .innerJoin('person_summary as pb', 'pb.id', 'n.person_b_id')
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
    .selectFrom('person_summary as p')
    .select(['p.id', ...personNameColumns, 'p.establishment_code as establishmentCode'])
    .where('p.prison_number', '=', prisonNumber)
    .executeTakeFirst()
}
