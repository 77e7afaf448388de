import type { Db } from '../../../db/database.ts'
import type { AssessmentKind, IsoDate } from '../../../db/schema.ts'
import type { AssessedNeed } from '../rules.ts'
import { personNameColumns, staffNameOf } from '../../../db/summaries.ts'

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
      (eb) => staffNameOf(eb, 'n.assessed_by').as('assessedByName'),
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
    .selectFrom('person_summary as p')
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
            db.selectFrom('person_summary').select('id').where('establishment_code', '=', establishmentCode),
          )
          .orderBy('person_id')
          .orderBy('version', 'desc')
          .as('n'),
      (join) => join.onRef('n.person_id', '=', 'p.id'),
    )
    .select([
      'p.id',
      ...personNameColumns,
      'p.cohort',
      'p.reception_on as receptionOn',
      'p.wing_name as wingName',
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
