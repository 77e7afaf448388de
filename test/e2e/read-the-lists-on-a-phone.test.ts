import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { checkFitsPhone, checkPage, signInAsStaff, startJourney, type Journey } from '../support/browser.ts'

/**
 * Every list and record page that had a table wider than a phone, opened at HMP Northgate on a 375-pixel phone by
 * the role that works from it: none is wider than the phone, each wide table scrolling within a region of its own
 * (checked with axe). A crawl of every page each demo role can reach found these 15 pushing the page sideways (up
 * to 785 px).
 */
/** A person, a member of staff and the activity with the most groups at HMP Northgate: what the pages show. */
async function northgateRecords(db: Journey['db']) {
  const person = await db
    .selectFrom('person')
    .select('prison_number as prisonNumber')
    .where('establishment_code', '=', 'NHI')
    .orderBy('prison_number')
    .limit(1)
    .executeTakeFirstOrThrow()
  const officer = await db
    .selectFrom('staff_user as s')
    .select('s.id as staffUserId')
    .where('s.username', '=', 'demo.officer')
    .executeTakeFirstOrThrow()
  // The activity with the most groups: the widest table of groups.
  const activity = await db
    .selectFrom('activity as a')
    .innerJoin('activity_group as g', 'g.activity_id', 'a.id')
    .select('a.code as activityCode')
    .where('a.establishment_code', '=', 'NHI')
    .groupBy('a.code')
    .orderBy((eb) => eb.fn.countAll(), 'desc')
    .orderBy('a.code')
    .limit(1)
    .executeTakeFirstOrThrow()
  return { ...person, ...officer, ...activity }
}

describe('staff read their lists and records on a phone', () => {
  let journey: Journey
  let records: Awaited<ReturnType<typeof northgateRecords>>

  before(async () => {
    journey = await startJourney({ peopleAtFirst: 120, snapshot: true })
    records = await northgateRecords(journey.db)
  })
  after(async () => {
    await journey?.close()
  })

  /** Opens each page as this member of staff and checks it fits the phone. */
  async function readOnPhone(username: string, paths: readonly string[]) {
    const { page, context } = await journey.newPage()
    try {
      await signInAsStaff(page, username)
      for (const path of paths) await fitsPhone(page, path)
    } finally {
      await context.close()
    }
  }

  async function fitsPhone(page: Page, path: string) {
    const answer = await page.goto(path)
    assert.equal(answer?.status(), 200, path)
    await checkPage(page, path)
    await checkFitsPhone(page, path)
  }

  it('fits the governor’s regime, allocation, staff and accountability pages', async () => {
    await readOnPhone('demo.governor', [
      `/regime/offer/${records.activityCode}`,
      '/needs-analysis',
      '/allocation/groups',
      '/allocation/groups?category=work',
      '/allocation/runs',
      '/peer-supporters',
      `/staff/${records.staffUserId}`,
      '/accountability',
      '/dedicated-officers',
      '/dedicated-officers?wing=F',
      '/officer-change-requests',
      `/people/${records.prisonNumber}/activities`,
      `/people/${records.prisonNumber}/key-work`,
    ])
  })

  it('fits the officer’s and the key worker’s lists', async () => {
    await readOnPhone('demo.officer', ['/needs-assessments'])
    await readOnPhone('demo.keyworker', ['/my-caseload', '/wellbeing-flags', '/wellbeing-flags?wing=B'])
  })

  it('fits the safer custody lead’s concerns lists', async () => {
    await readOnPhone('demo.safercustody', ['/concerns', '/concerns?state=escalated'])
  })
})
