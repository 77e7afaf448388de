import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { describePagesOnEachEngine, type Browser } from '../../test/support/app.ts'
import { givenStaffUser } from '../../test/support/builders.ts'
import { formsOn } from '../../test/support/html-forms.ts'
import { readPage } from '../../test/support/page.ts'
import type { StaffRole } from './permissions.ts'

/**
 * Every page where a prison keeps its own settings, opened by two of the people who keep them: a save made from
 * a page drawn before the other's save keeps the other's change to a setting it left alone, and is refused,
 * storing nothing, where both changed the same setting. Before, the later save wrote the whole page back, so
 * each was told "saved" and one quietly undid the other (the ACCT timings, the caseload limit, the number
 * families are given to ring).
 */
type SettingsPage = {
  name: string
  path: string
  /** Where its form posts, when not to its own address. */
  action?: string
  /** The two who keep it. */
  keepers: readonly [StaffRole, StaffRole]
  /** A setting both change: its field, the first keeper's value and the second's. */
  setting: readonly [string, string, string]
  /** What the setting holds before the story starts, where a new prison's page has it empty. */
  start?: string
  /** Another setting, which the second keeper changes alone: its field and value. */
  other?: readonly [string, string]
}

const pages: SettingsPage[] = [
  {
    name: 'the ACCT timings',
    path: '/care-plan-settings',
    keepers: ['governor', 'admin'],
    setting: ['immediateActionMinutes', '45', '30'],
    other: ['assessmentHours', '12'],
  },
  {
    name: 'the key work policy',
    path: '/key-work-settings',
    keepers: ['governor', 'admin'],
    setting: ['caseloadDefault', '5', '4'],
    other: ['sessionIntervalDays', '14'],
  },
  {
    name: 'how long a concern may wait',
    path: '/concern-settings',
    keepers: ['safercustody', 'governor'],
    setting: ['immediateMinutes', '30', '20'],
    other: ['todayMinutes', '600'],
  },
  {
    name: 'how often staff are due supervision',
    path: '/staff/settings',
    keepers: ['governor', 'admin'],
    setting: ['supervisionIntervalWeeks', '5', '6'],
  },
  {
    name: 'the regime framework',
    path: '/regime/framework',
    keepers: ['activities', 'governor'],
    setting: ['firstAssessmentDays', '10', '20'],
    other: ['reassessmentDays', '90'],
  },
  {
    name: 'the safer custody line families are given',
    path: '/family-worries',
    action: '/family-worries/phone-line',
    keepers: ['safercustody', 'safercustody'],
    setting: ['phone', '01234 567890', '01234 567891'],
    start: '01234 500000',
  },
]

describePagesOnEachEngine('a prison’s settings saved by two people', { home: { name: 'HMP Settings' } }, (site) => {
  /** A browser of a new keeper of the home prison's settings, with a role of theirs. */
  const keeper = async (role: StaffRole) =>
    site.signedInAs({
      username: (await givenStaffUser(site.db, { role, establishmentCodes: [site.home.code] })).username,
    })

  /** The page's settings form as its page draws it now, every field as a browser would send it untouched. */
  const formOf = async (browser: Browser, page: SettingsPage) => {
    const answer = await browser.get(page.path)
    assert.equal(answer.statusCode, 200, page.path)
    return formFrom(answer.body, page)
  }
  const formFrom = (html: string, page: SettingsPage) => {
    const form = formsOn(html).find((each) => each.action === (page.action ?? page.path))
    assert.ok(form, `a form posting to ${page.action ?? page.path}`)
    return Object.fromEntries(form.fields.map((field) => [field.name, field.value]))
  }
  const send = (browser: Browser, page: SettingsPage, form: Record<string, string>) =>
    browser.post(page.action ?? page.path, form, { from: page.path })
  const shown = async (browser: Browser, page: SettingsPage, field: string) => (await formOf(browser, page))[field]

  for (const page of pages) {
    describe(page.name, () => {
      it('keeps what another saved meanwhile, refuses a change to the same setting, and takes it again on the page as saved', async () => {
        const [first, second] = [await keeper(page.keepers[0]), await keeper(page.keepers[1])]
        const [field, firstValue, secondValue] = page.setting
        if (page.start !== undefined)
          assert.equal(
            (await send(first, page, { ...(await formOf(first, page)), [field]: page.start })).statusCode,
            303,
          )
        const firstForm = await formOf(first, page)
        const secondForm = await formOf(second, page)
        assert.equal((await send(first, page, { ...firstForm, [field]: firstValue })).statusCode, 303)
        assert.equal((await send(second, page, secondForm)).statusCode, 303, 'sent as drawn')
        assert.equal(
          await shown(first, page, field),
          firstValue,
          'a save that changed nothing keeps the other’s change',
        )

        if (page.other) {
          const [otherField, otherValue] = page.other
          assert.equal((await send(second, page, { ...secondForm, [otherField]: otherValue })).statusCode, 303)
          assert.deepEqual(
            [await shown(first, page, field), await shown(first, page, otherField)],
            [firstValue, otherValue],
            'each kept what the other saved',
          )
        }

        const refused = await send(second, page, { ...secondForm, [field]: secondValue })
        assert.equal(refused.statusCode, 400)
        const refusedPage = readPage(refused.body)
        assert.deepEqual(refusedPage.errors(), [
          {
            text: 'Someone else saved these settings after you opened this page, and their change clashes with yours. Nothing was saved. The page now shows the settings as they are saved: make your change again.',
            href: '#settings',
          },
        ])
        const shownAgain = formFrom(refused.body, page)
        assert.equal(shownAgain[field], firstValue, 'the page shows what is saved')
        assert.equal(await shown(first, page, field), firstValue, 'nothing was saved')

        assert.equal((await send(second, page, { ...shownAgain, [field]: secondValue })).statusCode, 303)
        assert.equal(await shown(first, page, field), secondValue)
      })
    })
  }

  it('refuses to set the regime framework back to its default from a page drawn before someone else saved it', async () => {
    const page = pages.find((each) => each.path === '/regime/framework')!
    const [manager, governor] = [await keeper('activities'), await keeper('governor')]
    const stale = await formOf(manager, page)
    assert.equal(
      (await send(governor, page, { ...(await formOf(governor, page)), reassessmentDays: '120' })).statusCode,
      303,
    )
    const reset = { drawn: stale.drawn ?? '' }
    const refused = await manager.post('/regime/framework/reset', reset, { from: page.path })
    assert.equal(refused.statusCode, 400)
    assert.deepEqual(
      readPage(refused.body)
        .errors()
        .map((error) => error.href),
      ['#settings'],
    )
    assert.equal(await shown(governor, page, 'reassessmentDays'), '120', 'the governor’s framework stands')
    const again = { drawn: formFrom(refused.body, page).drawn ?? '' }
    assert.equal((await manager.post('/regime/framework/reset', again, { from: page.path })).statusCode, 303)
    assert.notEqual(await shown(governor, page, 'reassessmentDays'), '120', 'set back to the default')
  })

  it('lets one of two saves sent at once from the same page change a setting, and refuses the other', async () => {
    const [page] = pages as [SettingsPage]
    const [first, second] = [await keeper('governor'), await keeper('governor')]
    const [field] = page.setting
    const drawn = await formOf(first, page)
    const answers = await Promise.all([
      send(first, page, { ...drawn, [field]: '40' }),
      send(second, page, { ...drawn, [field]: '35' }),
    ])
    assert.deepEqual(answers.map((answer) => answer.statusCode).sort(), [303, 400])
    const kept = answers[0].statusCode === 303 ? '40' : '35'
    assert.equal(await shown(first, page, field), kept)
  })
})
