/** S1: the concerns a member of staff may see: the prison's open-concerns list, and a person's concerns tab. */
import { aboutPerson } from '../../platform/audit.ts'
import { pageOf } from '../../platform/pagination.ts'
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import { CONCERNS_PAGE_SIZE } from './rules.ts'
import * as store from './store.ts'
import { listed, type ConcernListState, type ConcernsDeps } from './deps.ts'

/**
 * S1: the open-concerns list. Safer custody, healthcare, governors and administrators see the prison's;
 * an officer sees those sent to them as the person's responsible officer. Audited.
 */
export async function listConcerns(
  deps: ConcernsDeps,
  actor: Actor,
  state: ConcernListState,
  { page: asked }: { page?: number | undefined } = {},
) {
  const { db, clock, audit } = deps
  const wholePrison = ['safercustody', 'healthcare', 'governor', 'admin'].includes(actor.role)
  const now = clock.now()
  const filter = {
    establishmentCode: actor.establishmentCode,
    responsibleStaffUserId: wholePrison ? undefined : actor.id,
    state,
    now,
  }
  // Every concern of the list, a page at a time: the list stopped at 200 and did not say so. The page asked
  // for comes with the list's count; only a page past the end (the list has shrunk) needs counting apart.
  const size = CONCERNS_PAGE_SIZE
  // The page asked for, before the list is counted (Infinity: no last page to hold it back).
  let rows = await store.listConcerns(db, filter, { size, offset: pageOf(Infinity, asked, size).offset })
  let total = Number(rows[0]?.listTotal ?? 0)
  if (rows.length === 0 && (asked ?? 1) > 1) {
    total = await store.countConcerns(db, filter)
    if (total > 0) rows = await store.listConcerns(db, filter, { size, offset: pageOf(total, asked, size).offset })
  }
  const { page, pageCount } = pageOf(total, asked, size)
  await audit.record(db, actor, {
    action: 'concerns.listed',
    details: { state, count: rows.length, wholePrison, page, total },
  })
  return { concerns: rows.map((row) => listed(actor, row)), state, wholePrison, now, total, page, pageCount }
}

/**
 * The concerns tab of a person's record: a way to raise one for everyone; the person's concerns for those
 * who act on them (a sensitive one as a line saying it exists, unless theirs to read), and for anyone else
 * only those they raised. Audited.
 */
export async function viewPersonConcerns(deps: ConcernsDeps, actor: Actor, prisonNumber: string) {
  const { db, audit, people } = deps
  const person = await people.personHeader(actor, prisonNumber)
  const rows = await store.listOfPerson(db, person.id)
  const shown = hasPermission(actor.role, 'concerns.view') ? rows : rows.filter((row) => row.raisedBy === actor.id)
  await audit.record(db, actor, aboutPerson('concerns.person-viewed', person, { count: shown.length }))
  return { person, concerns: shown.map((row) => listed(actor, row)) }
}
