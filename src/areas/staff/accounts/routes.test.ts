import { it } from 'node:test'
import assert from 'node:assert/strict'
import { describePagesOnEachEngine } from '../../../../test/support/app.ts'
import { givenStaffUser } from '../../../../test/support/builders.ts'
import { followed, opened } from '../../../../test/support/page-steps.ts'
import { ACCOUNTS_PER_PAGE } from './rules.ts'

/** Issue 13: the account pages, as an administrator, a new officer and a partner meet them. */
describePagesOnEachEngine('the account pages', { staff: ['admin', 'partner'] }, (site) => {
  /** Adds an officer as the administrator; the one-time password page as it was shown, and the account's address. */
  async function addOfficer(username: string) {
    const browser = await site.as('admin')
    const added = await browser.post(
      '/accounts/new',
      { displayName: 'Nia Roberts', username, role: 'officer', establishmentCodes: site.home.code },
      { from: '/accounts/new' },
    )
    assert.equal(added.statusCode, 303)
    const address = added.headers.location!
    assert.match(address, /^\/accounts\/[0-9a-f-]{36}\/one-time-password$/)
    const shown = await opened(browser, address)
    return { browser, shown, account: address.replace('/one-time-password', '') }
  }

  it('shows a new account’s one-time password once, and never again', async () => {
    const { browser, shown, account } = await addOfficer('shown.once')
    assert.match(shown.summary()['One-time password'], /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/)
    assert.equal(shown.summary()['Username'], 'shown.once')
    const again = await opened(browser, `${account}/one-time-password`)
    assert.match(again.text, /was shown once and is not kept/)
    assert.doesNotMatch(again.text, new RegExp(shown.summary()['One-time password']))
  })

  it('lets the one-time password open only the page to choose a password, then the officer’s own start page', async () => {
    const { shown } = await addOfficer('first.sign.in')
    const officer = await site.signedInAs({ username: 'first.sign.in' }, shown.summary()['One-time password'])
    const roll = await officer.get('/roll')
    assert.equal(roll.statusCode, 303)
    assert.equal(roll.headers.location, '/account/password')
    const page = await opened(officer, '/account/password')
    assert.equal(page.heading(), 'Choose your own password')
    const refused = await officer.post('/raise-a-concern', {}, { from: '/account/password' })
    assert.equal(refused.statusCode, 403)
    const chosen = await officer.post(
      '/account/password',
      {
        currentPassword: shown.summary()['One-time password'],
        newPassword: 'copper kettle morning walk',
        confirmPassword: 'copper kettle morning walk',
      },
      { from: '/account/password' },
    )
    assert.equal(chosen.statusCode, 303)
    assert.equal(chosen.headers.location, '/roll')
    assert.equal((await officer.get('/roll')).statusCode, 200)
  })

  it('pages the accounts, and says in the title which page is shown', async () => {
    for (let added = 0; added < ACCOUNTS_PER_PAGE; added++)
      await givenStaffUser(site.db, { role: 'officer', establishmentCodes: [site.home.code] })
    const admin = await site.as('admin')
    const first = await opened(admin, '/accounts')
    assert.equal(first.title, 'Accounts (page 1 of 2) - Waymark')
    const second = await opened(admin, first.link('Next page'))
    assert.equal(second.title, 'Accounts (page 2 of 2) - Waymark')
    assert.equal(second.link('Previous page'), '/accounts?page=1')
  })

  it('signs out a disabled officer at their next request', async () => {
    const { browser, shown, account } = await addOfficer('soon.gone')
    const officer = await site.signedInAs({ username: 'soon.gone' }, shown.summary()['One-time password'])
    const disabled = await browser.post(`${account}/disable`, {}, { from: account })
    assert.equal(disabled.headers.location, account)
    assert.match((await followed(browser, disabled)).banner(), /disabled/)
    const next = await officer.get('/account/password')
    assert.equal(next.statusCode, 303)
    assert.match(next.headers.location ?? '', /^\/sign-in\?expired=1/)
  })

  it('gives a partner no accounts page and no link to one, until an administrator names them a lead', async () => {
    const before = await site.signedInAs('partner')
    assert.equal((await before.get('/accounts')).statusCode, 403)
    // The menu, outside the page's main content, has no link to it.
    assert.ok(!(await before.get('/concerns/new')).body.includes('href="/accounts"'))
    const organisation = await site.db
      .insertInto('organisation')
      .values({ name: `Open Door ${site.home.code}`, kind: 'charity' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const administrator = await site.as('admin')
    const id = (
      await site.db
        .selectFrom('staff_user')
        .select('id')
        .where('username', '=', site.staff.partner.username)
        .executeTakeFirstOrThrow()
    ).id
    const named = await administrator.post(
      `/accounts/${id}/access`,
      {
        role: 'partner',
        organisationId: organisation.id,
        establishmentCodes: site.home.code,
        managesOrganisationAccounts: 'yes',
      },
      { from: `/accounts/${id}/access` },
    )
    assert.equal(named.statusCode, 303)
    const lead = await site.signedInAs('partner')
    assert.ok((await lead.get('/concerns/new')).body.includes('href="/accounts"'))
    const list = await opened(lead, '/accounts')
    assert.equal(list.heading(), 'Accounts')
    assert.match(list.text, /1 account\b/)
  })
})
