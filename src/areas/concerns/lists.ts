/** S1: the concerns a member of staff may see: the prison's open-concerns list, and a person's concerns tab. */
import { aboutPerson } from '../../platform/audit.ts'
import { readCountedPage, type Page, type PageAsked } from '../../platform/pagination.ts'
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
  { page: asked }: PageAsked = {},
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
  // Every concern of the list, a page at a time: the list stopped at 200 and did not say so.
  const read = (page: Page) => store.listConcerns(db, filter, page)
  const { rows, total, page, pageCount } = await readCountedPage(read, asked, CONCERNS_PAGE_SIZE)
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
export async function viewPersonConcerns(
  deps: ConcernsDeps,
  actor: Actor,
  prisonNumber: string,
  { page: asked }: PageAsked = {},
) {
  const { db, audit, people } = deps
  const person = await people.personHeader(actor, prisonNumber)
  const raisedBy = hasPermission(actor.role, 'concerns.view') ? null : actor.id
  const read = (page: Page) => store.listOfPerson(db, person.id, raisedBy, page)
  const { rows, total, page, pageCount } = await readCountedPage(read, asked, CONCERNS_PAGE_SIZE)
  await audit.record(db, actor, aboutPerson('concerns.person-viewed', person, { count: rows.length, page, total }))
  return { person, concerns: rows.map((row) => listed(actor, row)), total, page, pageCount }
}
