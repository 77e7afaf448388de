import { before, it } from 'node:test'
import assert from 'node:assert/strict'
import { fixedClock } from './clock.ts'
import { givenPerson } from '../../test/support/builders.ts'
import { type Browser, describePagesOnEachEngine } from '../../test/support/app.ts'
import { givenPersonAccount, signedInAsPerson } from '../../test/support/my-view-builders.ts'
import { readPage } from '../../test/support/page.ts'
import { parse, type HTMLElement } from 'node-html-parser'
import { assertDrawnAs } from '../../test/support/macro-markup.ts'

/** English the GOV.UK components write unless told otherwise, and the prison's English name for its officers. */
const englishLeftIn = /\b(Menu|Beta|Next|Previous|page|Page|Breadcrumb|Warning|key worker)\b/g

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

const one = (root: HTMLElement, selector: string): HTMLElement => {
  const found = root.querySelectorAll(selector)
  assert.equal(found.length, 1, selector)
  return found[0]
}

/** Each part of the frame of a page, beside what its macro draws for what the page shows in it. */
function assertFrameAsTheMacrosDrawIt(html: string) {
  const root = parse(html)
  const skipLink = one(root, '.govuk-skip-link')
  assertDrawnAs(skipLink.outerHTML, 'govukSkipLink', 'govuk/components/skip-link/macro.njk', {
    href: '#main-content',
    text: skipLink.text,
  })

  const languages = one(root, '.govuk-language-navigation')
  assertDrawnAs(languages.outerHTML, 'govukLanguageNavigation', 'govuk/components/language-navigation/macro.njk', {
    ariaLabel: languages.getAttribute('aria-label'),
    classes: 'waymark-language',
    items: languages.querySelectorAll('li > *').map((item) => ({
      text: item.text.trim(),
      lang: item.getAttribute('lang'),
      current: item.tagName === 'SPAN',
      href: item.getAttribute('href') ?? '/language/en',
    })),
  })

  const menu = one(root, '.govuk-service-navigation')
  const menuName = menu.querySelector('nav')?.getAttribute('aria-label')
  assertDrawnAs(menu.outerHTML, 'govukServiceNavigation', 'govuk/components/service-navigation/macro.njk', {
    ariaLabel: menuName,
    menuButtonText: menuName,
    navigation: menu.querySelectorAll('a').map((link) => ({
      text: link.text.trim(),
      href: link.getAttribute('href'),
      active: link.hasAttribute('aria-current'),
    })),
  })

  const phase = one(root, '.govuk-phase-banner')
  assertDrawnAs(phase.outerHTML, 'govukPhaseBanner', 'govuk/components/phase-banner/macro.njk', {
    tag: { text: phase.querySelector('.govuk-tag')?.text.trim() },
    text: phase.querySelector('.govuk-phase-banner__text')?.text.trim(),
  })

  for (const section of root.querySelectorAll('.waymark-section-navigation'))
    assertDrawnAs(section.outerHTML, 'mojSubNavigation', 'moj/components/sub-navigation/macro.njk', {
      label: section.getAttribute('aria-label'),
      classes: 'waymark-section-navigation',
      items: section.querySelectorAll('a').map((link) => ({
        text: link.text.trim(),
        href: link.getAttribute('href'),
        active: link.getAttribute('aria-current') === 'page',
      })),
    })

  for (const breadcrumbs of root.querySelectorAll('.govuk-breadcrumbs'))
    assertDrawnAs(breadcrumbs.outerHTML, 'govukBreadcrumbs', 'govuk/components/breadcrumbs/macro.njk', {
      labelText: breadcrumbs.getAttribute('aria-label'),
      items: breadcrumbs.querySelectorAll('li').map((item) => ({
        text: item.text.trim(),
        href: item.querySelector('a')?.getAttribute('href'),
      })),
    })

  const footer = one(root, 'footer')
  assert.equal(footer.getAttribute('class'), 'govuk-template__footer')
  const footerText = footer.querySelector('.govuk-footer__meta-custom')?.text.trim()
  assertDrawnAs(footer.innerHTML, 'govukFooter', 'govuk/components/footer/macro.njk', {
    contentLicence: null,
    meta: { visuallyHiddenTitle: footerText, text: footerText },
    copyright: { text: footer.querySelector('.govuk-footer__copyright-logo')?.text.trim() },
  })
}

describePagesOnEachEngine(
  'the layout’s markup',
  { clock: fixedClock('2026-11-25T10:00:00Z'), home: { name: 'HMP Bryn Glas' }, staff: ['safercustody'] },
  (site) => {
    let prisonNumber: string

    before(async () => {
      prisonNumber = (await givenPerson(site.db, site.home.code, { cellId: site.home.cellId })).prisonNumber
    })

    it('draws the skip link, language links, menu, phase, section pages and footer as the GOV.UK and MoJ macros draw them', async () => {
      const lead = await site.signedInAs('safercustody')
      const page = await lead.get('/safer-custody')
      assert.equal(page.statusCode, 200)
      assert.equal(parse(page.body).querySelectorAll('.waymark-section-navigation').length, 1)
      assertFrameAsTheMacrosDrawIt(page.body)
    })

    it('draws a person page’s breadcrumbs as the GOV.UK macro draws them', async () => {
      const lead = await site.signedInAs('safercustody')
      const page = await lead.get(`/people/${prisonNumber}`)
      assert.equal(page.statusCode, 200)
      assert.equal(readPage(page.body).root.querySelector('.govuk-breadcrumbs a')?.getAttribute('href'), '/roll')
      assertFrameAsTheMacrosDrawIt(page.body)
    })

    it('draws the frame in Welsh as the macros draw it with the Welsh words', async () => {
      const lead = await site.signedInAs('safercustody')
      for (const path of ['/safer-custody', `/people/${prisonNumber}`]) {
        const page = await inWelsh(lead, path)
        assert.equal(page.language, 'cy')
        assertFrameAsTheMacrosDrawIt(page.root.outerHTML)
      }
    })
  },
)
