import { before, it } from 'node:test'
import assert from 'node:assert/strict'
import { fixedClock } from './clock.ts'
import { givenPerson } from '../../test/support/builders.ts'
import { type Browser, describePagesOnEachEngine } from '../../test/support/app.ts'
import { givenPersonAccount, signedInAsPerson } from '../../test/support/my-view-builders.ts'
import { readPage } from '../../test/support/page.ts'

/** English the GOV.UK components write unless told otherwise, and the prison's English name for its officers. */
const englishLeftIn = /\b(Menu|Beta|Next|Previous|page|Warning|key worker)\b/g

/** The page at `path` as its reader sees it after choosing Cymraeg (it must answer 200). */
async function inWelsh(browser: Pick<Browser, 'get'>, path: string) {
  await browser.get(`/language/cy?returnTo=${encodeURIComponent(path)}`)
  const response = await browser.get(path)
  assert.equal(response.statusCode, 200, path)
  return readPage(response.body)
}

describePagesOnEachEngine(
  'the layout in Welsh',
  { clock: fixedClock('2026-11-25T10:00:00Z'), home: { name: 'HMP Bryn Glas' }, staff: ['officer', 'safercustody'] },
  (site) => {
    let personUsername: string

    before(async () => {
      // More than one page of the roll and of the responsibility gaps (nobody is named for them), so pages are linked.
      for (let n = 0; n < 51; n += 1) await givenPerson(site.db, site.home.code, { cellId: site.home.cellId })
      const person = await givenPerson(site.db, site.home.code, { firstName: 'Dafydd' })
      personUsername = (await givenPersonAccount(site.db, person)).username
    })

    it('gives staff the menu, the phase, the roll’s pages and their links in Welsh', async () => {
      const page = await inWelsh(await site.as('officer'), '/roll')
      assert.equal(page.language, 'cy')
      assert.equal(page.link('Tudalen nesaf'), '/roll?page=2')
      assert.deepEqual(page.words().match(englishLeftIn), null)
    })

    it('gives a safer custody lead the pages of the responsibility gaps in Welsh', async () => {
      const page = await inWelsh(await site.as('safercustody'), '/responsibility-gaps')
      assert.equal(page.link('Tudalen nesaf'), '/responsibility-gaps?page=2')
      assert.deepEqual(page.words().match(englishLeftIn), null)
    })

    it('gives a person their page, its warning and their officer’s name in Welsh', async () => {
      const page = await inWelsh(await signedInAsPerson(site.app, personUsername), '/my')
      assert.match(page.text, /Rhybudd/)
      assert.deepEqual(page.words().match(englishLeftIn), null)
    })
  },
)
