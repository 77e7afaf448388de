import { it } from 'node:test'
import assert from 'node:assert/strict'
import { givenPerson, givenPrisonWithStaff } from '../../../test/support/builders.ts'
import { givenConcern } from '../../../test/support/concern-builders.ts'
import { readEveryPage } from '../../../test/support/paging.ts'
import { describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenPersonAccount } from '../../../test/support/my-view-builders.ts'

/** The nth of many concerns raised or due three a minute from `from`: ties across each page's edge. */
const threeAMinute = (from: Date, n: number) => new Date(from.getTime() + Math.floor(n / 3) * 60_000)

/** Concerns and worries in order of a time, the latest first, each listed once. */
const latestFirst = {
  value: (concern: { raisedAt: Date; id: string }) => concern.raisedAt.getTime(),
  descending: true,
  id: (concern: { raisedAt: Date; id: string }) => concern.id,
}

describeServicesOnEachEngine('the concerns lists (S1)', '2026-11-25T09:00:00Z', ({ database, services }) => {
  /** `count` concerns about a person at a prison, raised by one member of staff, each as `concern(n)` says. */
  const givenConcerns = async (
    count: number,
    about: { personId: string; establishmentCode: string; raisedBy: string },
    concern: (n: number) => Partial<Parameters<typeof givenConcern>[1]> & { raisedAt: Date | string },
  ) => {
    const ids = []
    for (let n = 0; n < count; n += 1) ids.push(await givenConcern(database.db, { ...about, ...concern(n) }))
    return ids
  }

  it('list every open concern, fifty to a page, the first to act on first: none left out past the two hundredth', async () => {
    const { lead, ...prison } = await givenPrisonWithStaff(database.db, { lead: 'safercustody' })
    const person = await givenPerson(database.db, prison.code)
    // 201 open concerns, to be acted on three at a time a minute apart (ties across each page's edge, the 49th to
    // the 51st); one acted on, in the other list.
    const about = { personId: person.id, establishmentCode: prison.code, raisedBy: lead.id }
    await givenConcerns(201, about, (n) => ({
      raisedAt: '2026-11-25T08:00:00Z',
      escalateAt: threeAMinute(new Date('2026-11-25T10:00:00Z'), n),
    }))
    await givenConcern(database.db, {
      personId: person.id,
      establishmentCode: prison.code,
      raisedBy: lead.id,
      raisedAt: '2026-11-24T08:00:00Z',
      actedAt: '2026-11-24T09:00:00Z',
    })
    await readEveryPage((page) => services.concerns.listConcerns(lead, 'open', { page }), 'concerns', {
      total: 201,
      size: 50,
      inOrderOf: { value: (concern) => concern.escalateAt.getTime(), id: (concern) => concern.id },
    })
    const acted = await services.concerns.listConcerns(lead, 'acted')
    assert.deepEqual([acted.total, acted.concerns.length, acted.pageCount], [1, 1, 1])
  })

  it('list every concern about a person, and every concern one raised, fifty to a page, latest first', async () => {
    const { lead, chaplain, ...prison } = await givenPrisonWithStaff(database.db, {
      lead: 'safercustody',
      chaplain: 'chaplain',
    })
    const person = await givenPerson(database.db, prison.code)
    // 201 the chaplain raised, three a minute (ties across each page's edge), and one the lead raised.
    const about = { personId: person.id, establishmentCode: prison.code, raisedBy: chaplain.id }
    await givenConcerns(201, about, (n) => ({
      raisedAt: threeAMinute(new Date('2026-11-24T08:00:00Z'), n),
      actedAt: '2026-11-24T12:00:00Z',
    }))
    const leads = await givenConcern(database.db, {
      personId: person.id,
      establishmentCode: prison.code,
      raisedBy: lead.id,
      raisedAt: '2026-11-25T08:00:00Z',
    })
    await readEveryPage((page) => services.concerns.listRaised(chaplain, { page }), 'concerns', {
      total: 201,
      size: 50,
      inOrderOf: latestFirst,
    })
    // Those who act on concerns see every one about the person; anyone else only those they raised.
    await readEveryPage(
      (page) => services.concerns.viewPersonConcerns(lead, person.prisonNumber, { page }),
      'concerns',
      { total: 202, size: 50, inOrderOf: latestFirst },
    )
    const chaplainSees = await readEveryPage(
      (page) => services.concerns.viewPersonConcerns(chaplain, person.prisonNumber, { page }),
      'concerns',
      { total: 201, size: 50 },
    )
    assert.ok(!chaplainSees.some((concern) => concern.id === leads))
  })

  it('shows a person transferred in their concerns from the prison before without what was seen or heard', async () => {
    const { before: raiser, ...before } = await givenPrisonWithStaff(database.db, { before: 'safercustody' })
    const { lead, ...now } = await givenPrisonWithStaff(database.db, { lead: 'safercustody' })
    const person = await givenPerson(database.db, before.code)
    const about = { personId: person.id, establishmentCode: before.code, raisedBy: raiser.id }
    await givenConcerns(1, about, () => ({ raisedAt: '2026-11-20T08:00:00Z', whatHappened: 'Frightened of the move' }))
    await database.db.updateTable('person').set({ establishment_code: now.code }).where('id', '=', person.id).execute()
    await givenConcerns(1, { ...about, establishmentCode: now.code, raisedBy: lead.id }, () => ({
      raisedAt: '2026-11-25T08:00:00Z',
      whatHappened: 'Settling in badly',
    }))
    const { concerns } = await services.concerns.viewPersonConcerns(lead, person.prisonNumber)
    assert.deepEqual(
      concerns.map((concern) => [concern.whatHappened, concern.detailShown, concern.elsewhere]),
      [
        ['Settling in badly', true, false],
        [null, false, true],
      ],
    )
  })

  it('lists every worry a person raised from their own view, fifty to a page, latest first', async () => {
    const { lead, ...prison } = await givenPrisonWithStaff(database.db, { lead: 'safercustody' })
    const me = await givenPerson(database.db, prison.code)
    const account = await givenPersonAccount(database.db, me)
    const about = { personId: me.id, establishmentCode: prison.code, raisedBy: lead.id }
    const ids = await givenConcerns(51, about, (n) => ({ raisedAt: threeAMinute(new Date('2026-11-24T08:00:00Z'), n) }))
    // Raised by the person through their own view, as their worries are.
    await database.db
      .updateTable('concern')
      .set({ raised_by: null, raised_by_person_account_id: account.id })
      .where('id', 'in', ids)
      .execute()
    await readEveryPage((page) => services.concerns.listRaisedByPerson(account, { page }), 'worries', {
      total: 51,
      size: 50,
      inOrderOf: latestFirst,
    })
  })
})
