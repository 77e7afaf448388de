/** Attendance reports: outcomes, completions and feedback by activity, and the reads behind time out of cell. */
import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../../../db/database.ts'
import type { IsoDate, SlotCode } from '../../../db/schema.ts'
import type { PersonForTimeOutOfCell, PlacedAllocation } from '../rules.ts'
import { activityColumns } from '../store.ts'

export async function activitiesAt(db: Db, establishmentCode: string) {
  return db
    .selectFrom('activity as a')
    .leftJoin('organisation as o', 'o.id', 'a.provider_organisation_id')
    .select([...activityColumns, 'a.category'])
    .where('a.establishment_code', '=', establishmentCode)
    .orderBy('a.name')
    .execute()
}

/** Outcome counts per activity over a period. */
export async function outcomeCountsByActivity(db: Db, establishmentCode: string, from: IsoDate, to: IsoDate) {
  return db
    .selectFrom('attendance as at')
    .innerJoin('activity_group as g', 'g.id', 'at.group_id')
    .innerJoin('activity as a', 'a.id', 'g.activity_id')
    .select(['a.id as activityId', 'at.outcome', (eb) => eb.fn.countAll<number>().as('count')])
    .where('a.establishment_code', '=', establishmentCode)
    .where('at.session_on', '>=', from)
    .where('at.session_on', '<=', to)
    .groupBy(['a.id', 'at.outcome'])
    .execute()
}

export async function completionCountsByActivity(db: Db, establishmentCode: string, from: IsoDate, to: IsoDate) {
  return db
    .selectFrom('activity_completion as c')
    .innerJoin('activity as a', 'a.id', 'c.activity_id')
    .select(['a.id as activityId', 'c.outcome', (eb) => eb.fn.countAll<number>().as('count')])
    .where('a.establishment_code', '=', establishmentCode)
    .where('c.finished_on', '>=', from)
    .where('c.finished_on', '<=', to)
    .groupBy(['a.id', 'c.outcome'])
    .execute()
}

/** The feedback given at a prison's activities over a period, to select from. */
function feedbackGivenOver(db: Db, establishmentCode: string, from: IsoDate, to: IsoDate) {
  return db
    .selectFrom('activity_feedback as f')
    .innerJoin('activity as a', 'a.id', 'f.activity_id')
    .where('a.establishment_code', '=', establishmentCode)
    .where('f.given_on', '>=', from)
    .where('f.given_on', '<=', to)
}

/**
 * M3: the sum and number of the feedback ratings each person gave at a prison's activities over a period, one
 * row a person: ratings are whole numbers, so their mean from these is the mean of the ratings to the last bit.
 */
export async function feedbackTotalsByPerson(db: Db, establishmentCode: string, from: IsoDate, to: IsoDate) {
  return feedbackGivenOver(db, establishmentCode, from, to)
    .select([
      'f.person_id as personId',
      sql<number>`sum(f.rating)::int`.as('ratingTotal'),
      sql<number>`count(*)::int`.as('ratings'),
    ])
    .groupBy('f.person_id')
    .execute()
}

export async function feedbackRatingsByActivity(db: Db, establishmentCode: string, from: IsoDate, to: IsoDate) {
  return feedbackGivenOver(db, establishmentCode, from, to).select(['a.id as activityId', 'f.rating']).execute()
}

// The lists behind time out of cell come back as one JSON value each, not row by row: PGlite hands rows across from
// WebAssembly one by one, and a prison's attendance over four weeks is thousands of rows (as the allocator's problem
// found for its wants). They are asked through Kysely's select, not raw SQL: on the embedded database a raw
// statement outside a transaction is taken for a write and followed by a query for the WAL position.

/** Every row's `item` in one JSON array (in `orderBy`'s order where given), as text; '[]' for none. */
function jsonList(item: RawBuilder<unknown>, orderBy?: RawBuilder<unknown>) {
  const ordered = orderBy ? sql`${item} order by ${orderBy}` : item
  return sql<string>`coalesce(json_agg(${ordered}), '[]')::text`.as('list')
}

/** The allocations of the prison's people that overlap a period, with their groups' slots. */
export async function allocationsOverlapping(
  db: Db,
  establishmentCode: string,
  from: IsoDate,
  to: IsoDate,
): Promise<PlacedAllocation[]> {
  const { list } = await db
    .selectFrom('activity_allocation as aa')
    .innerJoin('person_summary as p', 'p.id', 'aa.person_id')
    .innerJoin('activity_group as g', 'g.id', 'aa.group_id')
    .select(jsonList(sql`json_build_array(aa.person_id, g.slots, aa.starts_on, aa.ends_on)`))
    .where('p.establishment_code', '=', establishmentCode)
    .where('aa.starts_on', '<=', to)
    .where((eb) => eb.or([eb('aa.ends_on', 'is', null), eb('aa.ends_on', '>=', from)]))
    .executeTakeFirstOrThrow()
  return (JSON.parse(list) as [string, SlotCode[], IsoDate, IsoDate | null][]).map(
    ([personId, slots, startsOn, endsOn]) => ({ personId, slots, startsOn, endsOn }),
  )
}

/** How many sessions each of the prison's people attended over a period in each slot: a row a person and slot. */
function attendedBySlot(db: Db, establishmentCode: string, from: IsoDate, to: IsoDate) {
  return db
    .selectFrom('attendance as at')
    .innerJoin('person_summary as p', 'p.id', 'at.person_id')
    .select(['at.person_id as personId', 'at.slot', (eb) => eb.fn.countAll<number>().as('sessions')])
    .where('p.establishment_code', '=', establishmentCode)
    .where('at.outcome', '=', 'attended')
    .where('at.session_on', '>=', from)
    .where('at.session_on', '<=', to)
    .groupBy(['at.person_id', 'at.slot'])
}

/** The sessions each of the prison's people attended over a period, by slot. */
export async function attendedSlots(
  db: Db,
  establishmentCode: string,
  from: IsoDate,
  to: IsoDate,
): Promise<{ personId: string; slot: SlotCode; count: number }[]> {
  const { list } = await db
    .selectFrom(attendedBySlot(db, establishmentCode, from, to).as('attended'))
    .select(jsonList(sql`json_build_array(attended."personId", attended.slot, attended.sessions)`))
    .executeTakeFirstOrThrow()
  return (JSON.parse(list) as [string, SlotCode, number][]).map(([personId, slot, count]) => ({
    personId,
    slot,
    count,
  }))
}

/**
 * M3: the hours each person on the prison's roll by the end of a period (as `peopleAt`) spent at sessions they
 * attended over it, given how long each slot lasts: one row a person who attended any. Each slot's sessions are
 * counted, then multiplied by its hours and added up, as `timeOutOfCell` does with `attendedSlots`; only the
 * person's total leaves the database (a row a person, not one a person and slot).
 */
export async function attendedHoursByPerson(
  db: Db,
  establishmentCode: string,
  period: { from: IsoDate; to: IsoDate },
  slotHours: readonly { slot: SlotCode; hours: number }[],
) {
  const slots = slotHours.map((slot) => slot.slot)
  const hours = slotHours.map((slot) => slot.hours)
  return db
    .selectFrom(
      attendedBySlot(db, establishmentCode, period.from, period.to).where('p.reception_on', '<=', period.to).as('s'),
    )
    .select([
      's.personId',
      sql<number>`sum(s.sessions * (${hours}::float8[])[array_position(${slots}::text[], s.slot)])`.as('hours'),
    ])
    .groupBy('s.personId')
    .execute()
}

/**
 * Everyone on the prison's roll by a day (received by then: a report on a past period leaves out people who
 * came later), for the time out of cell of each: who they are and where they live.
 */
export async function peopleAt(
  db: Db,
  establishmentCode: string,
  receivedBy: IsoDate,
): Promise<PersonForTimeOutOfCell[]> {
  const { list } = await db
    .selectFrom('person_summary')
    .select(
      jsonList(
        sql`json_build_array(id, prison_number, first_name, last_name, wing_name, cohort)`,
        sql`last_name, first_name`,
      ),
    )
    .where('establishment_code', '=', establishmentCode)
    .where('reception_on', '<=', receivedBy)
    .executeTakeFirstOrThrow()
  type Nullable = string | null
  return (JSON.parse(list) as [string, string, string, string, Nullable, string][]).map(
    ([personId, prisonNumber, firstName, lastName, wingName, cohort]) => ({
      personId,
      prisonNumber,
      firstName,
      lastName,
      wingName,
      cohort,
    }),
  )
}
