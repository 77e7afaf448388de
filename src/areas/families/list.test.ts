import { it } from 'node:test'
import assert from 'node:assert/strict'
import { givenPrisonWithStaff } from '../../../test/support/builders.ts'
import { readEveryPage } from '../../../test/support/paging.ts'
import { describeServicesOnEachEngine } from '../../../test/support/services.ts'
import * as store from './store.ts'

const DAY = 24 * 60 * 60_000
const now = new Date('2026-11-25T09:00:00Z')

describeServicesOnEachEngine('safer custody’s list of worries from family and friends', now.toISOString(), (the) => {
  const { database, services } = the
  let reference = 0

  /** A worry received `daysAgo` days before now, as the public form stores one. */
  const givenWorry = async (establishmentCode: string, daysAgo: number) => {
    reference += 1
    const id = await store.insertWorry(database.db, {
      establishmentCode,
      reference: `LIST-${String(reference).padStart(5, '0')}`,
      followUpCodeHash: 'not a code anyone holds',
      receivedAt: new Date(now.getTime() - daysAgo * DAY),
      language: 'en',
      personName: 'Dafydd Ap Rhys',
      dateOfBirth: null,
      prisonNumber: null,
      whatWorries: 'He said goodbye as if it was the last time.',
      howSoon: 'now',
      selfHarmRisk: true,
      relationship: 'Mother',
      raiserName: 'Eirlys Ap Rhys',
      raiserPhone: '01632 960 001',
      raiserEmail: null,
      mayTellPerson: false,
      addressKey: `list-${reference}`,
      heldBack: false,
    })
    assert.ok(id)
    return id
  }

  it('lists every worry still to match, however old, before those settled in the last 30 days, fifty to a page', async () => {
    const { lead, ...prison } = await givenPrisonWithStaff(database.db, { lead: 'safercustody' })
    // 210 still to match, three a day back over 70 days (past the old cut at 200, and past the 30 days).
    for (let n = 0; n < 210; n += 1) await givenWorry(prison.code, Math.floor(n / 3) + 0.5)
    // Settled: closed as not held here last week (listed); marked malicious 40 days ago (not listed).
    const recent = await givenWorry(prison.code, 7)
    await store.markNotHeldHere(database.db, recent, { at: now, by: lead.id, note: 'Not held here.' })
    const old = await givenWorry(prison.code, 40)
    await store.markMalicious(database.db, old, { at: now, by: lead.id, reason: 'The same caller, again.' })

    const listed = await readEveryPage(
      async (page) => {
        const list = await services.families.listWorries(lead, { page })
        assert.equal(list.toMatchTotal, 210)
        return { ...list, worries: [...list.toMatch, ...list.others] }
      },
      'worries',
      { total: 211, size: 50 },
    )
    const ids = listed.map((worry) => worry.id)
    assert.equal(new Set(ids).size, 211, 'each worry once')
    assert.equal(ids.at(-1), recent, 'the settled one after every one still to match')
    assert.ok(!ids.includes(old), 'one settled more than 30 days ago is not listed')
    const toMatch = listed.slice(0, 210).map((worry) => worry.receivedAt.getTime())
    assert.deepEqual(
      toMatch,
      [...toMatch].sort((a, b) => b - a),
      'newest first',
    )
  })
})
