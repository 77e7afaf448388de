/** S2, C1: feedback to whoever raised a concern: what became of it, and no more than they may know. */
import { NotFound } from '../../platform/errors.ts'
import { readCountedPage, type Page, type PageAsked } from '../../platform/pagination.ts'
import type { Actor } from '../../platform/permissions.ts'
import { CONCERNS_PAGE_SIZE, maySeeDetail, statusOf } from './rules.ts'
import * as store from './store.ts'
import type { ConcernsDeps } from './deps.ts'

/**
 * S2: feedback to the raiser. What happened to each concern they raised: received by whom, acted on
 * when; what was done only where the concern is not sensitive, and never a sensitive concern's detail.
 */
export async function listRaised(deps: ConcernsDeps, actor: Actor, { page: asked }: PageAsked = {}) {
  const { db, audit } = deps
  const read = (page: Page) => store.listRaisedBy(db, actor.id, actor.establishmentCode, page)
  const { rows, total, page, pageCount } = await readCountedPage(read, asked, CONCERNS_PAGE_SIZE)
  await audit.record(db, actor, { action: 'concerns.raised-listed', details: { count: rows.length, page, total } })
  return {
    total,
    page,
    pageCount,
    concerns: rows.map((row) => ({
      id: row.id,
      prisonNumber: row.prisonNumber,
      firstName: row.firstName,
      lastName: row.lastName,
      raisedAt: row.raisedAt,
      urgency: row.urgency,
      isSensitive: row.isSensitive,
      status: statusOf(row),
      receivedAt: row.receivedAt,
      receivedByName: row.receivedByName,
      actedAt: row.actedAt,
      outcome: row.isSensitive ? null : row.outcome,
      responsibleName: row.responsibleName,
      detailShown: maySeeDetail(actor, row),
    })),
  }
}

/**
 * C1, S2: what happened to the worries a person in custody raised through their own view: received, and
 * acted on when. What was done only for a worry about themselves that staff have not marked sensitive;
 * nothing of what was done about someone else. Audited.
 */
export async function listRaisedByPerson(deps: ConcernsDeps, actor: Actor, { page: asked }: PageAsked = {}) {
  const { db, audit } = deps
  if (!actor.person) throw new NotFound()
  const read = (page: Page) => store.listRaisedByPersonAccount(db, actor.id, page)
  const { rows, total, page, pageCount } = await readCountedPage(read, asked, CONCERNS_PAGE_SIZE)
  await audit.record(db, actor, {
    action: 'concerns.raised-listed',
    personId: actor.person.id,
    details: { count: rows.length, page, total },
  })
  const worries = rows.map((row) => {
    const aboutThemselves = row.personId === actor.person?.id
    return {
      id: row.id,
      raisedAt: row.raisedAt,
      aboutThemselves,
      status: statusOf(row),
      receivedAt: row.receivedAt,
      actedAt: row.actedAt,
      outcome: aboutThemselves && !row.isSensitive ? row.outcome : null,
    }
  })
  return { worries, total, page, pageCount }
}
