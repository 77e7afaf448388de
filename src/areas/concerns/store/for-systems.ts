import type { Db } from '../../../db/database.ts'

/** Concerns at a prison for other systems: open, or acted on, newest raised first. */
function concernsAt(db: Db, establishmentCode: string, state: 'open' | 'acted') {
  const query = db
    .selectFrom('concern as c')
    .innerJoin('person_summary as p', 'p.id', 'c.person_id')
    .where('c.establishment_code', '=', establishmentCode)
  return state === 'open' ? query.where('c.acted_at', 'is', null) : query.where('c.acted_at', 'is not', null)
}

export async function countConcernsAt(db: Db, establishmentCode: string, state: 'open' | 'acted'): Promise<number> {
  const row = await concernsAt(db, establishmentCode, state)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow()
  return Number(row.count)
}

/** What another system is told of a concern, before its need to know is applied. */
const systemsColumns = [
  'c.id',
  'p.prison_number as prisonNumber',
  'c.raised_at as raisedAt',
  'c.urgency',
  'c.safe_now as safeNow',
  'c.is_sensitive as isSensitive',
  'c.indicates_self_harm_risk as indicatesSelfHarmRisk',
  'c.what_happened as whatHappened',
  'c.escalated_at as escalatedAt',
  'c.received_at as receivedAt',
  'c.acted_at as actedAt',
  'c.outcome',
  'c.action_note as actionNote',
  'c.care_plan_id as carePlanId',
] as const

export async function pageOfConcernsAt(
  db: Db,
  establishmentCode: string,
  state: 'open' | 'acted',
  paging: { limit: number; offset: number },
) {
  return concernsAt(db, establishmentCode, state)
    .select(systemsColumns)
    .orderBy('c.raised_at', 'desc')
    .orderBy('c.id')
    .limit(paging.limit)
    .offset(paging.offset)
    .execute()
}

/** One concern at a prison, as another system is told of it: the one a system has just raised. */
export async function findConcernAt(db: Db, establishmentCode: string, id: string) {
  return db
    .selectFrom('concern as c')
    .innerJoin('person_summary as p', 'p.id', 'c.person_id')
    .where('c.establishment_code', '=', establishmentCode)
    .where('c.id', '=', id)
    .select(systemsColumns)
    .executeTakeFirst()
}
