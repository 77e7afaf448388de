import { sql } from 'kysely'
import type { Db } from '../../../db/database.ts'
import type { IsoDate } from '../../../db/schema.ts'

/**
 * K4, M1: progress meetings due and held over a period from the people now at an establishment, counted as
 * `deliveryOver` counts them person by person, from each person's reception (one due for each whole interval of
 * the days of the period they were here, the last day included; meetings held from then to the period's end),
 * and summed here: one row, whatever the roll.
 */
export async function progressMeetingsOver(
  db: Db,
  establishmentCode: string,
  period: { from: IsoDate; to: IsoDate },
  intervalDays: number,
) {
  const coveredFrom = sql<IsoDate>`greatest(p.reception_on, ${period.from}::date)`
  const held = db
    .selectFrom('progress_meeting as m')
    .select(sql<number>`count(*)::int`.as('held'))
    .where('m.person_id', '=', sql.ref<string>('p.id'))
    .where('m.held_on', '>=', coveredFrom)
    .where('m.held_on', '<=', period.to)
  const eachPerson = db
    .selectFrom('person_summary as p')
    .select([
      sql<number>`greatest(0, (${period.to}::date - ${coveredFrom} + 1) / ${intervalDays}::int)`.as('due'),
      sql<number>`(${held})`.as('held'),
    ])
    .where('p.establishment_code', '=', establishmentCode)
    .as('k')
  return db
    .selectFrom(eachPerson)
    .select([
      sql<number>`coalesce(sum(k.due), 0)::int`.as('due'),
      sql<number>`coalesce(sum(k.held), 0)::int`.as('held'),
      sql<number>`coalesce(sum(least(k.due, k.held)), 0)::int`.as('heldWhenDue'),
    ])
    .executeTakeFirstOrThrow()
}

export async function meetingsOf(db: Db, personId: string) {
  return db
    .selectFrom('progress_meeting')
    .select(['id', 'held_on as heldOn', 'attendees'])
    .where('person_id', '=', personId)
    .orderBy('held_on', 'desc')
    .execute()
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
