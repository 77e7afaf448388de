import { sql, type Expression, type SqlBool } from 'kysely'
import type { Db } from '../../../db/database.ts'
import type { IsoDate } from '../../../db/schema.ts'
import { personNameColumns } from '../../../db/summaries.ts'

/** The London calendar day of an instant, as `londonDate` reads it (in summer 23:30 UTC is already tomorrow). */
export function londonDayOf(instant: Expression<Date>) {
  return sql<IsoDate>`(${instant} at time zone 'Europe/London')::date`
}

export type StatisticsPeriod = { from: IsoDate; to: IsoDate }
export type StatisticsRules = { sessionIntervalDays: number; firstContactDays: number }

/** One group's figures as counted in the database: whole numbers, for the service to divide. */
export type CountedFigures = {
  people: number
  allocated: number
  due: number
  held: number
  heldWhenDue: number
  /** J2, of the people received in the period: the days to a first allocation, summed, and of how many. */
  daysToAllocation: number
  receivedAllocated: number
  daysToFirstSession: number
  receivedSeen: number
  pastFirstContact: number
}

/**
 * J2: a person past the first contact threshold on `today` with no session held by then (`isPastFirstContact`),
 * from the day of their first session and their reception.
 */
function pastFirstContact(
  firstSessionOn: Expression<IsoDate | null>,
  receptionOn: Expression<IsoDate>,
  today: IsoDate,
  days: number,
) {
  return sql<SqlBool>`(${firstSessionOn} is null and ${today}::date - ${receptionOn} > ${days}::int)`
}

/** J2: the sum of `daysFromReception` of the people received in the period who have had the event, and how many. */
function daysFromReceptionOfReceived(eventOn: 'firstAllocatedOn' | 'firstSessionOn') {
  const days = sql`${sql.ref(`k.${eventOn}`)} - k."receptionOn"`
  return [
    // No event yet: greatest(0, null) adds nothing to the sum, and count leaves the person out.
    sql<number>`coalesce(sum(greatest(0, ${days})) filter (where k.received), 0)::int`,
    sql<number>`count(${days}) filter (where k.received)::int`,
  ] as const
}

/** The day of a person's first session held up to `today` (`p` the person), or null. */
function firstSessionOn(db: Db, today: IsoDate) {
  return db
    .selectFrom('key_work_session as s')
    .select(sql<IsoDate | null>`min(s.held_on)`.as('firstOn'))
    .where('s.person_id', '=', sql.ref<string>('p.id'))
    .where('s.did_not_happen_reason', 'is', null)
    .where('s.held_on', '<=', today)
}

/**
 * K1, J2: each person now at an establishment with what the statistics count of them, as the rules count it
 * person by person: `deliveryOver` (sessions due for each whole interval of the days of the period they were
 * allocated, from the London day of their current allocation; sessions held from then to the period's end),
 * `daysFromReception` to the London day of their first allocation (none after `today`) and to their first
 * session, and `isPastFirstContact`. Records after `today` do not count, so a past clock gives that day's figures.
 */
function keyWorkOfEachPerson(
  db: Db,
  establishmentCode: string,
  period: StatisticsPeriod,
  today: IsoDate,
  rules: StatisticsRules,
) {
  const coveredFrom = sql<IsoDate>`greatest(${londonDayOf(sql.ref('a.allocated_at'))}, ${period.from}::date)`
  const roll = db.selectFrom('person_summary').select('id').where('establishment_code', '=', establishmentCode)
  const firstAllocations = db
    .selectFrom('dedicated_officer_allocation as f')
    .select(['f.person_id as personId', sql<Date>`min(f.allocated_at)`.as('firstAt')])
    .where('f.person_id', 'in', roll)
    .groupBy('f.person_id')
    .as('first')
  const firstAllocatedDay = londonDayOf(sql.ref('first.firstAt'))
  const firstAllocatedOn = sql<IsoDate | null>`case when ${firstAllocatedDay} <= ${today}::date then ${firstAllocatedDay} end`
  const firstOn = sql<IsoDate | null>`(${firstSessionOn(db, today)})`
  const held = db
    .selectFrom('key_work_session as s')
    .select(sql<number>`count(*)::int`.as('held'))
    .where('s.person_id', '=', sql.ref<string>('p.id'))
    .where('s.did_not_happen_reason', 'is', null)
    .where('s.held_on', '>=', coveredFrom)
    .where('s.held_on', '<=', period.to)
  return db
    .selectFrom('person_summary as p')
    .leftJoin('wing as w', 'w.id', 'p.wing_id')
    .leftJoin('dedicated_officer_allocation as a', (join) =>
      join.onRef('a.person_id', '=', 'p.id').on('a.ended_at', 'is', null),
    )
    .leftJoin(firstAllocations, 'first.personId', 'p.id')
    .select([
      'w.code as wingCode',
      'w.name as wingName',
      'a.staff_user_id as staffUserId',
      sql<number>`case when a.id is null then 0
        else greatest(0, (${period.to}::date - ${coveredFrom} + 1) / ${rules.sessionIntervalDays}::int) end`.as('due'),
      sql<number>`case when a.id is null then 0 else (${held}) end`.as('held'),
      sql<boolean>`p.reception_on between ${period.from}::date and ${period.to}::date`.as('received'),
      'p.reception_on as receptionOn',
      firstAllocatedOn.as('firstAllocatedOn'),
      firstOn.as('firstSessionOn'),
    ])
    .where('p.establishment_code', '=', establishmentCode)
}

/**
 * K1, J2: the statistics' counts for an establishment, for the prison, each wing and each officer, in one query
 * (grouping sets over the people), whatever the roll: wings in the order of their codes, those with no wing last.
 */
export async function keyWorkCounts(
  db: Db,
  establishmentCode: string,
  period: StatisticsPeriod,
  today: IsoDate,
  rules: StatisticsRules,
) {
  const toAllocation = daysFromReceptionOfReceived('firstAllocatedOn')
  const toFirstSession = daysFromReceptionOfReceived('firstSessionOn')
  const rows = await db
    .selectFrom(keyWorkOfEachPerson(db, establishmentCode, period, today, rules).as('k'))
    .select([
      sql<number>`grouping(k."wingCode", k."staffUserId")`.as('grouping'),
      'k.wingCode',
      sql<string | null>`min(k."wingName")`.as('wingName'),
      'k.staffUserId',
      sql<number>`count(*)::int`.as('people'),
      sql<number>`count(k."staffUserId")::int`.as('allocated'),
      sql<number>`sum(k.due)::int`.as('due'),
      sql<number>`sum(k.held)::int`.as('held'),
      sql<number>`sum(least(k.due, k.held))::int`.as('heldWhenDue'),
      toAllocation[0].as('daysToAllocation'),
      toAllocation[1].as('receivedAllocated'),
      toFirstSession[0].as('daysToFirstSession'),
      toFirstSession[1].as('receivedSeen'),
      sql<number>`count(*) filter (where ${pastFirstContact(sql.ref('k.firstSessionOn'), sql.ref('k.receptionOn'), today, rules.firstContactDays)})::int`.as(
        'pastFirstContact',
      ),
    ])
    .groupBy(sql`grouping sets ((), (k."wingCode"), (k."staffUserId"))`)
    .orderBy('k.wingCode')
    .execute()
  const figures = ({ grouping: _g, wingCode: _w, wingName: _n, staffUserId: _s, ...counted }: (typeof rows)[number]) =>
    counted satisfies CountedFigures
  const prison = rows.find((row) => row.grouping === 3)
  return {
    prison: prison ? figures(prison) : undefined,
    wings: rows
      .filter((row) => row.grouping === 1)
      .map((row) => ({ code: row.wingCode ?? '', name: row.wingName, ...figures(row) })),
    officers: new Map(
      rows
        .filter((row) => row.grouping === 2 && row.staffUserId !== null)
        .map((row) => [row.staffUserId as string, figures(row)]),
    ),
  }
}

export const PAST_FIRST_CONTACT_PAGE_SIZE = 50

/**
 * J2: one page of the people at an establishment past the first contact threshold with no session held, in the
 * roll's order (wing, then name), with the wing they are on.
 */
export async function pastFirstContactPage(
  db: Db,
  establishmentCode: string,
  today: IsoDate,
  firstContactDays: number,
  page: number,
) {
  return db
    .selectFrom('person_summary as p')
    .leftJoin('wing as w', 'w.id', 'p.wing_id')
    .select([
      'p.id',
      ...personNameColumns,
      'p.wing_name as wingName',
      'p.reception_on as receptionOn',
      sql<number>`${today}::date - p.reception_on`.as('days'),
    ])
    .where('p.establishment_code', '=', establishmentCode)
    .where(pastFirstContact(sql`(${firstSessionOn(db, today)})`, sql.ref('p.reception_on'), today, firstContactDays))
    .orderBy('w.code')
    .orderBy('p.last_name')
    .orderBy('p.first_name')
    .orderBy('p.prison_number')
    .limit(PAST_FIRST_CONTACT_PAGE_SIZE)
    .offset((page - 1) * PAST_FIRST_CONTACT_PAGE_SIZE)
    .execute()
}
