import { sql } from 'kysely'
import { listTotal, type Page } from '../../platform/pagination.ts'
import type { Db } from '../../db/database.ts'
import { fromTheNewRow } from '../../db/upsert.ts'
import type { IsoDate } from '../../db/schema.ts'
import { personNameColumns } from '../../db/summaries.ts'
import { londonDate } from '../../platform/dates.ts'

export async function targetsAt(db: Db, establishmentCode: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('measure_target')
    .select(['measure', 'target'])
    .where('establishment_code', '=', establishmentCode)
    .execute()
  return new Map(rows.map((row) => [row.measure, Number(row.target)]))
}

export async function saveTarget(
  db: Db,
  values: { establishmentCode: string; measure: string; target: number; setAt: Date; setBy: string },
) {
  await db
    .insertInto('measure_target')
    .values({
      establishment_code: values.establishmentCode,
      measure: values.measure,
      target: values.target,
      set_at: values.setAt,
      set_by: values.setBy,
    })
    .onConflict((conflict) =>
      conflict
        .columns(['establishment_code', 'measure'])
        .doUpdateSet({ target: values.target, set_at: values.setAt, set_by: values.setBy }),
    )
    .execute()
}

/** Keeps this month's figures as they stand now: one row per measure, replaced each time they are worked out. */
export async function saveSnapshots(
  db: Db,
  establishmentCode: string,
  month: string,
  figures: readonly { measure: string; value: number | null }[],
  recordedAt: Date,
) {
  if (figures.length === 0) return
  await db
    .insertInto('measure_snapshot')
    .values(
      figures.map((figure) => ({
        establishment_code: establishmentCode,
        measure: figure.measure,
        month,
        value: figure.value,
        recorded_at: recordedAt,
      })),
    )
    .onConflict((conflict) =>
      conflict
        .columns(['establishment_code', 'measure', 'month'])
        .doUpdateSet(fromTheNewRow<'measure_snapshot'>(['value', 'recorded_at'])),
    )
    .execute()
}

export async function snapshotsSince(db: Db, establishmentCodes: readonly string[], fromMonth: string) {
  if (establishmentCodes.length === 0) return []
  const rows = await db
    .selectFrom('measure_snapshot')
    .select(['establishment_code as establishmentCode', 'measure', 'month', 'value'])
    .where('establishment_code', 'in', establishmentCodes)
    .where('month', '>=', fromMonth)
    .execute()
  return rows.map((row) => ({ ...row, value: row.value === null ? null : Number(row.value) }))
}

/** When this month's figures at a prison were last worked out; null if not yet this month. */
export async function workedOutAt(db: Db, establishmentCode: string, month: string): Promise<Date | null> {
  const row = await db
    .selectFrom('measure_snapshot')
    .select((eb) => eb.fn.min('recorded_at').as('at'))
    .where('establishment_code', '=', establishmentCode)
    .where('month', '=', month)
    .executeTakeFirst()
  return row?.at ? new Date(row.at) : null
}

/** Every prison, for the sweep that works out each one's figures. */
export async function allEstablishments(db: Db) {
  return db.selectFrom('establishment').select(['code', 'name']).orderBy('code').execute()
}

/** The prison and the others of the same function (like for like), by name: never in order of a figure. */
export async function prisonsOfSameFunction(db: Db, establishmentCode: string) {
  return db
    .selectFrom('establishment as mine')
    .innerJoin('establishment as other', 'other.function', 'mine.function')
    .select(['other.code as code', 'other.name as name', 'other.function as function'])
    .where('mine.code', '=', establishmentCode)
    .orderBy('other.name')
    .execute()
}

export async function establishmentsNamed(db: Db, codes: readonly string[]) {
  if (codes.length === 0) return []
  return db.selectFrom('establishment').select(['code', 'name']).where('code', 'in', codes).orderBy('name').execute()
}

/** Whether the person has an incident recorded at this minute by this method. */
export async function incidentRecorded(db: Db, personId: string, occurredAt: Date, method: string): Promise<boolean> {
  const row = await db
    .selectFrom('self_harm_incident')
    .select('id')
    .where('person_id', '=', personId)
    .where('occurred_at', '=', occurredAt)
    .where('method', '=', method)
    .executeTakeFirst()
  return row !== undefined
}

export async function insertIncident(
  db: Db,
  values: {
    establishmentCode: string
    personId: string
    occurredAt: Date
    method: string
    injury: string
    onOpenCarePlan: boolean
    recordedAt: Date
    recordedBy: string
  },
): Promise<string> {
  const row = await db
    .insertInto('self_harm_incident')
    .values({
      establishment_code: values.establishmentCode,
      person_id: values.personId,
      occurred_at: values.occurredAt,
      method: values.method,
      injury: values.injury,
      on_open_care_plan: values.onOpenCarePlan,
      recorded_at: values.recordedAt,
      recorded_by: values.recordedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function insertDeath(
  db: Db,
  values: {
    establishmentCode: string
    personId: string
    diedOn: IsoDate
    investigationReference: string
    recordedAt: Date
    recordedBy: string
  },
): Promise<string> {
  const row = await db
    .insertInto('death_in_custody')
    .values({
      establishment_code: values.establishmentCode,
      person_id: values.personId,
      died_on: values.diedOn,
      investigation_reference: values.investigationReference,
      recorded_at: values.recordedAt,
      recorded_by: values.recordedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** M2: the self-harm incidents at these prisons from an instant (up to another, where given), as `i`. */
function incidentsFrom(db: Db, establishmentCodes: readonly string[], from: Date, to?: Date) {
  const query = db
    .selectFrom('self_harm_incident as i')
    .where('i.establishment_code', 'in', establishmentCodes)
    .where('i.occurred_at', '>=', from)
  return to ? query.where('i.occurred_at', '<', to) : query
}

/** M2: the deaths in custody at these prisons from a day, as `d`. */
function deathsFrom(db: Db, establishmentCodes: readonly string[], from: IsoDate) {
  return db
    .selectFrom('death_in_custody as d')
    .where('d.establishment_code', 'in', establishmentCodes)
    .where('d.died_on', '>=', from)
}

/** M2: counts per prison over a period; the figures, not the people. */
export async function safetyCounts(db: Db, establishmentCodes: readonly string[], from: Date, to: Date) {
  if (establishmentCodes.length === 0) return []
  const incidents = await incidentsFrom(db, establishmentCodes, from, to)
    .select((eb) => [
      'i.establishment_code as establishmentCode',
      eb.fn.countAll<string>().as('incidents'),
      eb.fn.count<string>(sql`distinct i.person_id`).as('people'),
      eb.fn.count<string>(sql`case when i.on_open_care_plan then 1 end`).as('onOpenCarePlan'),
      eb.fn.count<string>(sql`case when i.injury = 'hospital' then 1 end`).as('hospital'),
    ])
    .groupBy('i.establishment_code')
    .execute()
  const deaths = await deathsFrom(db, establishmentCodes, londonDate(from))
    .select((eb) => ['d.establishment_code as establishmentCode', eb.fn.countAll<string>().as('deaths')])
    // \`to\` is an instant just after now: a death dated today counts, as it does on the list of deaths.
    .where('d.died_on', '<=', londonDate(new Date(to.getTime() - 1)))
    .groupBy('d.establishment_code')
    .execute()
  return establishmentCodes.map((code) => {
    const row = incidents.find((incident) => incident.establishmentCode === code)
    return {
      establishmentCode: code,
      incidents: Number(row?.incidents ?? 0),
      people: Number(row?.people ?? 0),
      onOpenCarePlan: Number(row?.onOpenCarePlan ?? 0),
      hospital: Number(row?.hospital ?? 0),
      deaths: Number(deaths.find((death) => death.establishmentCode === code)?.deaths ?? 0),
    }
  })
}

/** M2: incidents a month over the period, for the trend: the prison's months, as its calendar has them. */
export async function incidentsByMonth(db: Db, establishmentCode: string, from: Date) {
  const rows = await incidentsFrom(db, [establishmentCode], from)
    .select((eb) => [
      sql<string>`to_char(i.occurred_at at time zone 'Europe/London', 'YYYY-MM')`.as('month'),
      eb.fn.countAll<string>().as('count'),
    ])
    .groupBy(sql`1`)
    .execute()
  return new Map(rows.map((row) => [row.month, Number(row.count)]))
}

/**
 * M2: a page of the prison's incidents, newest first, with method, injury and plan, for staff who may see whom
 * (not for monitors); each with how many the prison has recorded from `from`.
 */
export async function incidentsAt(db: Db, establishmentCode: string, from: Date, page: Page) {
  return incidentsFrom(db, [establishmentCode], from)
    .innerJoin('person_summary as p', 'p.id', 'i.person_id')
    .select([
      'i.id',
      'i.occurred_at as occurredAt',
      'i.method',
      'i.injury',
      'i.on_open_care_plan as onOpenCarePlan',
      ...personNameColumns,
      listTotal,
    ])
    .orderBy('i.occurred_at', 'desc')
    .orderBy('i.id')
    .limit(page.size)
    .offset(page.offset)
    .execute()
}

/**
 * M2: when each of the people given first harmed themselves, as recorded; the watch reads "a self-harm
 * history" as an incident before the handover was sent.
 */
export async function firstSelfHarmOf(db: Db, personIds: readonly string[]): Promise<Map<string, Date>> {
  if (personIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('self_harm_incident')
    .select((eb) => ['person_id as personId', eb.fn.min('occurred_at').as('first')])
    .where('person_id', 'in', personIds)
    .groupBy('person_id')
    .execute()
  return new Map(rows.map((row) => [row.personId, new Date(row.first)]))
}

/**
 * M2: marks the watch flagged at a prison this month. True only for the first mark of the month, so the
 * group directors are told once however often the sweep runs (or however many workers run it at once).
 */
export async function markWatchFlagged(
  db: Db,
  values: { establishmentCode: string; month: string; ratio: number; lower: number; upper: number; at: Date },
): Promise<boolean> {
  const row = await db
    .insertInto('transfer_watch_flag')
    .values({
      establishment_code: values.establishmentCode,
      month: values.month,
      ratio: values.ratio,
      lower_bound: values.lower,
      upper_bound: values.upper,
      flagged_at: values.at,
    })
    .onConflict((conflict) => conflict.columns(['establishment_code', 'month']).doNothing())
    .returning('month')
    .executeTakeFirst()
  return row !== undefined
}

/** M2: the prison's deaths in custody since a date, naming the people: for staff who record them. */
export async function deathsAt(db: Db, establishmentCode: string, from: IsoDate) {
  return deathsFrom(db, [establishmentCode], from)
    .innerJoin('person_summary as p', 'p.id', 'd.person_id')
    .select([
      'd.id',
      'd.died_on as diedOn',
      'd.investigation_reference as investigationReference',
      ...personNameColumns,
    ])
    .orderBy('d.died_on', 'desc')
    .execute()
}

/** M2: a death in custody already recorded for the person, if any. */
export async function deathOf(db: Db, personId: string) {
  return db
    .selectFrom('death_in_custody')
    .select(['id', 'died_on as diedOn'])
    .where('person_id', '=', personId)
    .executeTakeFirst()
}
