import { sql, type ExpressionBuilder } from 'kysely'
import type { Db } from '../../db/database.ts'
import { prisonSettingsOf, writePrisonSettings } from '../../db/prison-settings.ts'
import { personNameColumns, staffNameOf } from '../../db/summaries.ts'
import type { ConcernOutcome, ConcernSafeNow, ConcernUrgency, Database } from '../../db/schema.ts'
import { listTotal, type Page } from '../../platform/pagination.ts'
import { defaultConcernPolicy, type ConcernPolicy } from './rules.ts'

export async function findPolicy(db: Db, establishmentCode: string): Promise<ConcernPolicy> {
  const row = await prisonSettingsOf(db, 'concern_policy', establishmentCode)
    .select([
      'immediate_minutes as immediateMinutes',
      'today_minutes as todayMinutes',
      'can_wait_minutes as canWaitMinutes',
    ])
    .executeTakeFirst()
  return row ?? defaultConcernPolicy
}

export async function savePolicy(db: Db, establishmentCode: string, policy: ConcernPolicy): Promise<void> {
  await writePrisonSettings(db, 'concern_policy', establishmentCode, {
    immediate_minutes: policy.immediateMinutes,
    today_minutes: policy.todayMinutes,
    can_wait_minutes: policy.canWaitMinutes,
  })
}

export type NewConcern = {
  personId: string
  establishmentCode: string
  /** The member of staff who raised it; null when the person in custody raised it themselves (C1). */
  raisedBy: string | null
  raisedByPersonAccountId?: string | null
  /** Issue 14: raised by family or friends through the public page. */
  familyWorryId?: string | null
  /** Issue 14: the family asked that the person is not told who raised it. */
  familyAskedNotNamed?: boolean
  raisedAt: Date
  peerSupporterId: string | null
  whatHappened: string
  urgency: ConcernUrgency
  safeNow: ConcernSafeNow
  isSensitive: boolean
  indicatesSelfHarmRisk?: boolean
  responsibleStaffUserId: string | null
  escalateAt: Date
}

export async function insertConcern(db: Db, values: NewConcern): Promise<string> {
  const row = await db
    .insertInto('concern')
    .values({
      person_id: values.personId,
      establishment_code: values.establishmentCode,
      raised_by: values.raisedBy,
      raised_by_person_account_id: values.raisedByPersonAccountId ?? null,
      family_worry_id: values.familyWorryId ?? null,
      family_asked_not_named: values.familyAskedNotNamed ?? false,
      raised_at: values.raisedAt,
      peer_supporter_id: values.peerSupporterId,
      what_happened: values.whatHappened,
      urgency: values.urgency,
      safe_now: values.safeNow,
      is_sensitive: values.isSensitive,
      indicates_self_harm_risk: values.indicatesSelfHarmRisk ?? false,
      responsible_staff_user_id: values.responsibleStaffUserId,
      escalate_at: values.escalateAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A concern with its person and the names of those involved; the detail is in it, so the service decides who sees it. */
function concernQuery(db: Db) {
  return (
    db
      .selectFrom('concern as c')
      .innerJoin('person_summary as p', 'p.id', 'c.person_id')
      // C1: a worry a person in custody raised through their own view names them as its raiser.
      .leftJoin('person_account as raiser_account', 'raiser_account.id', 'c.raised_by_person_account_id')
      .leftJoin('person_summary as raiser_person', 'raiser_person.id', 'raiser_account.person_id')
      .select([
        'c.id',
        'c.person_id as personId',
        ...personNameColumns,
        'c.establishment_code as establishmentCode',
        'c.raised_by as raisedBy',
        (eb) =>
          eb.fn
            .coalesce(
              staffNameOf(eb, 'c.raised_by'),
              sql<string>`raiser_person.last_name || ', ' || raiser_person.first_name || ' (' || raiser_person.prison_number || ')'`,
            )
            .as('raisedByName'),
        'c.raised_by_person_account_id as raisedByPersonAccountId',
        'c.family_worry_id as familyWorryId',
        'c.family_asked_not_named as familyAskedNotNamed',
        'c.raised_at as raisedAt',
        'c.peer_supporter_id as peerSupporterId',
        'c.what_happened as whatHappened',
        'c.urgency',
        'c.safe_now as safeNow',
        'c.is_sensitive as isSensitive',
        'c.indicates_self_harm_risk as indicatesSelfHarmRisk',
        'c.responsible_staff_user_id as responsibleStaffUserId',
        (eb) => staffNameOf(eb, 'c.responsible_staff_user_id').as('responsibleName'),
        'c.escalate_at as escalateAt',
        'c.escalated_at as escalatedAt',
        'c.received_at as receivedAt',
        (eb) => staffNameOf(eb, 'c.received_by').as('receivedByName'),
        'c.acted_at as actedAt',
        'c.acted_by as actedBy',
        (eb) => staffNameOf(eb, 'c.acted_by').as('actedByName'),
        'c.outcome',
        'c.action_note as actionNote',
        'c.care_plan_id as carePlanId',
      ])
  )
}

export type ConcernRecord = Awaited<ReturnType<typeof findConcern>> & {}

export async function findConcern(db: Db, id: string) {
  return concernQuery(db).where('c.id', '=', id).executeTakeFirst()
}

/** Locks the concern for the rest of the transaction, so two people acting at once cannot both record it. */
export async function lockConcern(db: Db, id: string) {
  return db
    .selectFrom('concern')
    .select([
      'id',
      'acted_at as actedAt',
      'person_id as personId',
      'is_sensitive as isSensitive',
      'indicates_self_harm_risk as indicatesSelfHarmRisk',
      'raised_by as raisedBy',
    ])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export type ConcernListFilter = {
  establishmentCode: string
  /** Only those whose responsible officer was this staff member. */
  responsibleStaffUserId?: string | undefined
  /** Open (all not yet acted on), escalated, overdue (past their time), sensitive (open), or acted on. */
  state: 'open' | 'escalated' | 'overdue' | 'sensitive' | 'acted'
  now: Date
}

/** The concerns of one of a prison's lists, before they are ordered or counted. */
function concernsListed(db: Db, filter: ConcernListFilter) {
  let query = db.selectFrom('concern as c').where('c.establishment_code', '=', filter.establishmentCode)
  if (filter.responsibleStaffUserId)
    query = query.where('c.responsible_staff_user_id', '=', filter.responsibleStaffUserId)
  if (filter.state === 'acted') return query.where('c.acted_at', 'is not', null)
  query = query.where('c.acted_at', 'is', null)
  if (filter.state === 'escalated') query = query.where('c.escalated_at', 'is not', null)
  if (filter.state === 'overdue') query = query.where('c.escalate_at', '<=', filter.now)
  if (filter.state === 'sensitive') query = query.where('c.is_sensitive', '=', true)
  return query
}

/**
 * A page of one of a prison's lists: open, escalated-and-still-open, overdue or sensitive concerns, the first to
 * act on first; or those acted on, the latest first.
 */
export async function listConcerns(db: Db, filter: ConcernListFilter, page: Page) {
  // The page's ids with how many the whole list holds (counted before the limit), in one statement.
  const ids = concernsListed(db, filter).select(['c.id', listTotal])
  const pageIds = (filter.state === 'acted' ? ids.orderBy('c.acted_at', 'desc') : ids.orderBy('c.escalate_at'))
    .orderBy('c.id')
    .limit(page.size)
    .offset(page.offset)
  const rows = concernQuery(db).innerJoin(pageIds.as('listed'), 'listed.id', 'c.id').select('listed.listTotal')
  return (filter.state === 'acted' ? rows.orderBy('c.acted_at', 'desc') : rows.orderBy('c.escalate_at'))
    .orderBy('c.id')
    .execute()
}

/** A page of concerns, the latest raised first, with how many the whole list holds (counted before the limit). */
const latestFirst = (query: ReturnType<typeof concernQuery>, page: Page) =>
  query
    .select(listTotal)
    .orderBy('c.raised_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(page.size)
    .offset(page.offset)
    .execute()

/** S2: the concerns a member of staff raised at a prison, a page at a time. */
export async function listRaisedBy(db: Db, staffUserId: string, establishmentCode: string, page: Page) {
  const query = concernQuery(db).where('c.raised_by', '=', staffUserId)
  return latestFirst(query.where('c.establishment_code', '=', establishmentCode), page)
}

/** C1: the worries a person in custody raised through their own view, a page at a time. */
export async function listRaisedByPersonAccount(db: Db, personAccountId: string, page: Page) {
  return latestFirst(concernQuery(db).where('c.raised_by_person_account_id', '=', personAccountId), page)
}

/** M3: how many concerns were raised about each person at a prison since a date. */
export async function concernCountsSince(db: Db, establishmentCode: string, since: Date) {
  return db
    .selectFrom('concern')
    .select(['person_id as personId', (eb) => eb.fn.countAll<number>().as('count')])
    .where('establishment_code', '=', establishmentCode)
    .where('raised_at', '>=', since)
    .groupBy('person_id')
    .execute()
}

/** The concerns about a person, a page at a time: all of them, or only those one member of staff raised. */
export async function listOfPerson(db: Db, personId: string, raisedBy: string | null, page: Page) {
  const query = concernQuery(db).where('c.person_id', '=', personId)
  return latestFirst(raisedBy === null ? query : query.where('c.raised_by', '=', raisedBy), page)
}

/** Counts for the dashboard: open, escalated and open, and open past their time but not yet swept. */
export type OpenCounts = { open: number; escalated: number; overdue: number; sensitive: number }

/**
 * The open concerns at each of these prisons, counted in one query grouped by prison (a group director's
 * dashboard sets a dozen side by side); a prison with none open counts nothing.
 */
export async function countOpenAt(
  db: Db,
  establishmentCodes: readonly string[],
  now: Date,
): Promise<Map<string, OpenCounts>> {
  const none = { open: 0, escalated: 0, overdue: 0, sensitive: 0 }
  const counts = new Map<string, OpenCounts>(establishmentCodes.map((code) => [code, { ...none }]))
  if (establishmentCodes.length === 0) return counts
  const rows = await db
    .selectFrom('concern')
    .select((eb) => [
      'establishment_code as establishmentCode',
      eb.fn.countAll<string>().as('open'),
      eb.fn.count<string>('escalated_at').as('escalated'),
      eb.fn.sum<string | null>(eb.case().when('escalate_at', '<=', now).then(1).else(0).end()).as('overdue'),
      eb.fn.sum<string | null>(eb.case().when('is_sensitive', '=', true).then(1).else(0).end()).as('sensitive'),
    ])
    .where('establishment_code', 'in', [...establishmentCodes])
    .where('acted_at', 'is', null)
    .groupBy('establishment_code')
    .execute()
  for (const row of rows)
    counts.set(row.establishmentCode, {
      open: Number(row.open),
      escalated: Number(row.escalated),
      overdue: Number(row.overdue ?? 0),
      sensitive: Number(row.sensitive ?? 0),
    })
  return counts
}

/** The first time someone responsible opens a concern; later openings change nothing. */
export async function markReceived(db: Db, id: string, at: Date, by: string): Promise<boolean> {
  const rows = await db
    .updateTable('concern')
    .set({ received_at: at, received_by: by })
    .where('id', '=', id)
    .where('received_at', 'is', null)
    .returning('id')
    .execute()
  return rows.length > 0
}

export async function markActed(
  db: Db,
  id: string,
  values: { at: Date; by: string; outcome: ConcernOutcome; note: string; carePlanId?: string | null },
): Promise<boolean> {
  const rows = await db
    .updateTable('concern')
    .set((eb) => ({
      acted_at: values.at,
      acted_by: values.by,
      outcome: values.outcome,
      action_note: values.note,
      care_plan_id: values.carePlanId ?? null,
      // Acting is receiving too, when nobody had opened it first.
      received_at: eb.fn.coalesce('received_at', eb.val(values.at)),
      received_by: eb.fn.coalesce('received_by', eb.val(values.by)),
    }))
    .where('id', '=', id)
    .where('acted_at', 'is', null)
    .returning('id')
    .execute()
  return rows.length > 0
}

/** S1: an unacted concern past its time and not yet escalated. */
const dueForEscalation = (now: Date) => (eb: ExpressionBuilder<Database, 'concern'>) =>
  eb.and([eb('acted_at', 'is', null), eb('escalated_at', 'is', null), eb('escalate_at', '<=', now)])

/** S1: the prisons with a concern due for escalation. */
export async function prisonsWithDueEscalations(db: Db, now: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('concern')
    .select('establishment_code as establishmentCode')
    .distinct()
    .where(dueForEscalation(now))
    .execute()
  return rows.map((row) => row.establishmentCode)
}

/**
 * S1: marks every unacted concern past its time at these prisons as escalated and returns them, in one
 * statement: a second worker running the same sweep waits on the row locks, then finds `escalated_at` set and
 * takes nothing.
 */
export async function claimDueEscalations(db: Db, now: Date, establishmentCodes: readonly string[]) {
  if (establishmentCodes.length === 0) return []
  return db
    .updateTable('concern')
    .set({ escalated_at: now })
    .where('establishment_code', 'in', [...establishmentCodes])
    .where(dueForEscalation(now))
    .returning(['id', 'establishment_code as establishmentCode', 'person_id as personId', 'urgency'])
    .execute()
}

/** J3: the open concerns of a person, for a handover: ids and facts only, never what was seen or heard. */
export async function openOfPerson(db: Db, personId: string) {
  return db
    .selectFrom('concern')
    .select(['id', 'raised_at as raisedAt', 'urgency', 'is_sensitive as isSensitive', 'escalated_at as escalatedAt'])
    .where('person_id', '=', personId)
    .where('acted_at', 'is', null)
    .orderBy('raised_at')
    .execute()
}

/**
 * S1: hands the person's unacted concerns at a prison from an officer who is no longer responsible for them (or
 * from no one) to whoever is now (none: null), returning those handed on.
 */
export async function handOn(
  db: Db,
  concerns: { personId: string; establishmentCode: string; from: string | null },
  to: string | null,
) {
  return db
    .updateTable('concern')
    .set({ responsible_staff_user_id: to })
    .where('person_id', '=', concerns.personId)
    .where('establishment_code', '=', concerns.establishmentCode)
    .where((eb) =>
      concerns.from === null
        ? eb('responsible_staff_user_id', 'is', null)
        : eb('responsible_staff_user_id', '=', concerns.from),
    )
    .where('acted_at', 'is', null)
    .returning('id')
    .execute()
}
