import { sql } from 'kysely'
import type { Db } from '../../../db/database.ts'
import { staffNameOf } from '../../../db/summaries.ts'

export async function insertObservation(
  db: Db,
  values: {
    id?: string | undefined
    carePlanId: string
    establishmentCode: string
    observedAt: Date
    seen: string
    wasConversation: boolean
    correctsId: string | null
    correctionReason: string | null
    recordedBy: string
    recordedAt: Date
  },
): Promise<string> {
  const row = await db
    .insertInto('care_plan_observation')
    .values({
      ...(values.id ? { id: values.id } : {}),
      care_plan_id: values.carePlanId,
      establishment_code: values.establishmentCode,
      observed_at: values.observedAt,
      seen: values.seen,
      was_conversation: values.wasConversation,
      corrects_id: values.correctsId,
      correction_reason: values.correctionReason,
      recorded_by: values.recordedBy,
      recorded_at: values.recordedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export type ObservationRow = {
  id: string
  carePlanId: string
  observedAt: Date
  seen: string
  wasConversation: boolean
  correctsId: string | null
  correctionReason: string | null
  recordedByName: string
  recordedAt: Date
}

/** Observations of these plans since an instant (all of them without one), oldest first. */
export async function observationsOf(db: Db, carePlanIds: readonly string[], since?: Date): Promise<ObservationRow[]> {
  if (carePlanIds.length === 0) return []
  return observationsOfPlans(db, carePlanIds, since)
    .select([
      ...timeColumns,
      'o.seen',
      'o.was_conversation as wasConversation',
      'o.correction_reason as correctionReason',
      (eb) => staffNameOf(eb, 'o.recorded_by').$notNull().as('recordedByName'),
    ])
    .execute()
}

const timeColumns = [
  'o.id',
  'o.care_plan_id as carePlanId',
  'o.observed_at as observedAt',
  'o.recorded_at as recordedAt',
  'o.corrects_id as correctsId',
] as const

/** When an observation was made and when written down: what a schedule of slots reads of it. */
export type ObservationTimes = Pick<ObservationRow, 'observedAt' | 'recordedAt'>

/**
 * When each observation that stands (its correction, where it has one, in its place) of these plans since an
 * instant was made and recorded, by plan, oldest first: all a schedule needs. The dashboards and the minute's
 * sweep read this for every plan in progress, so the database does the work a page would: it leaves out a
 * corrected entry (as `standingObservations` does, with its correction also since the instant) and sends the
 * times as milliseconds since 1970 in one text, not a row and two timestamps to parse per observation
 * (hundreds at a busy prison: PGlite hands rows across one by one, and timestamp text is slow to parse). Text
 * rather than JSON: building JSON a pair at a time took the database longer than the rows had.
 */
export async function standingObservationTimesOf(
  db: Db,
  carePlanIds: readonly string[],
  since: Date,
): Promise<Map<string, ObservationTimes[]>> {
  if (carePlanIds.length === 0) return new Map()
  // Whole milliseconds, cut down as a Date is: the exact numeric of extract, not a float, so none is a millisecond out.
  const milliseconds = (column: 'o.observed_at' | 'o.recorded_at') =>
    sql`floor(extract(epoch from ${sql.ref(column)}) * 1000)`
  const perPlan = observationsOfPlans(db, carePlanIds, since)
    .clearOrderBy()
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('care_plan_observation as c')
            .select('c.id')
            .whereRef('c.corrects_id', '=', 'o.id')
            .where('c.observed_at', '>=', since),
        ),
      ),
    )
    .groupBy('o.care_plan_id')
    .select([
      'o.care_plan_id as carePlanId',
      sql<string>`string_agg(${milliseconds('o.observed_at')} || ' ' || ${milliseconds('o.recorded_at')}, ' '
        order by o.observed_at, o.seq)`.as('times'),
    ])
  // 'plan observed recorded observed recorded …;plan …': a plan's id, then each of its observations' two times.
  const { plans } = await db
    .selectFrom(perPlan.as('t'))
    .select(sql<string>`coalesce(string_agg(t."carePlanId" || ' ' || t.times, ';'), '')`.as('plans'))
    .executeTakeFirstOrThrow()
  return new Map(
    (plans === '' ? [] : plans.split(';')).map((plan) => {
      const [carePlanId, ...times] = plan.split(' ')
      const observations: ObservationTimes[] = []
      for (let i = 0; i < times.length; i += 2)
        observations.push({ observedAt: new Date(Number(times[i])), recordedAt: new Date(Number(times[i + 1])) })
      return [carePlanId, observations]
    }),
  )
}

function observationsOfPlans(db: Db, carePlanIds: readonly string[], since: Date | undefined) {
  let query = db.selectFrom('care_plan_observation as o').where('o.care_plan_id', 'in', [...carePlanIds])
  if (since) query = query.where('o.observed_at', '>=', since)
  return query.orderBy('o.observed_at').orderBy('o.seq')
}

export async function findObservation(db: Db, carePlanId: string, id: string) {
  return db
    .selectFrom('care_plan_observation')
    .select(['id', 'observed_at as observedAt', 'seen', 'was_conversation as wasConversation'])
    .where('care_plan_id', '=', carePlanId)
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function isCorrected(db: Db, id: string): Promise<boolean> {
  const row = await db.selectFrom('care_plan_observation').select('id').where('corrects_id', '=', id).executeTakeFirst()
  return Boolean(row)
}

/**
 * Marks an alert about a missed slot as sent. Returns false when it had been sent already (by this or
 * another worker): the primary key makes the second insert do nothing, after the first one commits.
 */
export async function claimAlert(
  db: Db,
  values: { carePlanId: string; slotEndsAt: Date; stage: 'wing' | 'orderly-officer'; sentAt: Date; recipients: number },
): Promise<boolean> {
  const row = await db
    .insertInto('care_plan_observation_alert')
    .values({
      care_plan_id: values.carePlanId,
      slot_ends_at: values.slotEndsAt,
      stage: values.stage,
      sent_at: values.sentAt,
      recipients: values.recipients,
    })
    .onConflict((conflict) => conflict.columns(['care_plan_id', 'slot_ends_at', 'stage']).doNothing())
    .returning('care_plan_id')
    .executeTakeFirst()
  return Boolean(row)
}

export async function alertsSentFor(db: Db, carePlanId: string) {
  return db
    .selectFrom('care_plan_observation_alert')
    .select(['slot_ends_at as slotEndsAt', 'stage', 'sent_at as sentAt', 'recipients'])
    .where('care_plan_id', '=', carePlanId)
    .orderBy('sent_at')
    .execute()
}

/**
 * S3: the observations written at a prison in [from, to) with how long after the time they claim, and the
 * wing the person is on now, for the deadlines page's count of late entries by wing.
 */
export async function entriesWithWingBetween(db: Db, establishmentCode: string, from: Date, to: Date) {
  return db
    .selectFrom('care_plan_observation as o')
    .innerJoin('care_plan as cp', 'cp.id', 'o.care_plan_id')
    .innerJoin('person_summary as p', 'p.id', 'cp.person_id')
    .select(['o.observed_at as observedAt', 'o.recorded_at as recordedAt', 'p.wing_name as wingName'])
    .where('o.establishment_code', '=', establishmentCode)
    .where('o.recorded_at', '>=', from)
    .where('o.recorded_at', '<', to)
    .execute()
}
