import { before, it } from 'node:test'
import assert from 'node:assert/strict'
import { describePagesOnEachEngine } from '../../../../test/support/app.ts'
import { signedInAsPerson } from '../../../../test/support/my-view-builders.ts'
import { givenPerson } from '../../../../test/support/builders.ts'
import { readPage } from '../../../../test/support/page.ts'

/** Issue 13: the own account tab, the slip, and the person's first sign-in with its code. */
describePagesOnEachEngine('a person’s own account pages', { staff: ['officer'] }, (site) => {
  let person: { prisonNumber: string }
  before(async () => {
    person = await givenPerson(site.db, site.home.code)
  })

  it('prints a slip in the language chosen, with the code, and shows the code again only for a few minutes', async () => {
    const staff = await site.as('officer')
    const tab = readPage((await staff.get(`/people/${person.prisonNumber}/own-account`)).body)
    assert.match(tab.text, /They have no account yet/)
    assert.ok(tab.hasButton('Give an account and print the slip'))
    const issued = await staff.post(
      `/people/${person.prisonNumber}/own-account`,
      { language: 'cy' },
      { from: `/people/${person.prisonNumber}/own-account` },
    )
    assert.equal(issued.statusCode, 303)
    assert.equal(issued.headers.location, `/people/${person.prisonNumber}/own-account/slip?language=cy`)
    const slip = readPage((await staff.get(issued.headers.location ?? '')).body)
    assert.match(slip.text, /Eich tudalen eich hun ar Waymark/)
    assert.match(slip.text, new RegExp(`Eich enw defnyddiwr ${person.prisonNumber.toLowerCase()}`))
    const code = /Eich cod ar gyfer y tro cyntaf ([a-z2-9]{4}-[a-z2-9]{4})/.exec(slip.text)?.[1]
    assert.ok(code, 'the code is on the slip')
    const english = readPage((await staff.get(`/people/${person.prisonNumber}/own-account/slip?language=en`)).body)
    assert.match(english.text, new RegExp(`Your code for the first time ${code}`))
    // Another browser (another member of staff) never sees it.
    const colleague = await site.signedInAs('officer')
    const elsewhere = readPage((await colleague.get(`/people/${person.prisonNumber}/own-account/slip`)).body)
    assert.doesNotMatch(elsewhere.text, new RegExp(code))
    assert.match(elsewhere.text, /is not kept/)

    // The person signs in with it, and must choose a password before anything else.
    const me = await signedInAsPerson(site.app, person.prisonNumber, code)
    assert.equal((await me.get('/my')).headers.location, '/my/password')
    assert.equal(readPage((await me.get('/my/password')).body).heading(), 'Choose your own password')
    const refused = await me.post(
      '/my/password',
      { newPassword: 'short', confirmPassword: 'short' },
      { from: '/my/password' },
    )
    assert.equal(refused.statusCode, 400)
    assert.deepEqual(readPage(refused.body).errors(), [
      { href: '#newPassword', text: 'Use at least 8 letters or numbers' },
    ])
    const chosen = await me.post(
      '/my/password',
      { newPassword: 'blue river cake', confirmPassword: 'blue river cake' },
      { from: '/my/password' },
    )
    assert.equal(chosen.headers.location, '/my')
    assert.equal((await me.get('/my')).statusCode, 200)
    const after = readPage((await staff.get(`/people/${person.prisonNumber}/own-account`)).body)
    assert.match(after.summary().Status ?? '', /In use/)
  })

  it('does not give a second code from a page drawn before the first, and leads back to the form', async () => {
    const someone = await givenPerson(site.db, site.home.code)
    const staff = await site.as('officer')
    const tabPath = `/people/${someone.prisonNumber}/own-account`
    const drawnAs = async () =>
      readPage((await staff.get(tabPath)).body)
        .root.querySelector('form#own-account input[name=issued]')
        ?.getAttribute('value') ?? ''
    const drawn = await drawnAs()
    assert.equal(drawn, 'none')
    // Pressed twice: the first gives the code, the second, sent from the same page, is refused.
    const first = await staff.post(tabPath, { language: 'en', issued: drawn }, { from: tabPath })
    assert.equal(first.statusCode, 303)
    const second = await staff.post(tabPath, { language: 'en', issued: drawn }, { from: tabPath })
    assert.equal(second.statusCode, 409)
    const refused = readPage(second.body)
    assert.deepEqual(refused.errors(), [
      {
        href: '#own-account',
        text: 'A new code was given after this page was opened, and its slip may be being printed: nothing was changed. If you gave it, its slip is kept for ten minutes; give another code only if that slip is lost.',
      },
    ])
    // The first press's slip shows its code, and the refused page leads to it.
    assert.equal(refused.link('Show the slip of the code you gave'), `${tabPath}/slip`)
    const slip = readPage((await staff.get(`${tabPath}/slip`)).body)
    const code = /Your code for the first time ([a-z2-9]{4}-[a-z2-9]{4})/.exec(slip.text)?.[1]
    assert.ok(code)
    // The refused page is drawn as things are now: sent from it, a new code is given.
    const now = refused.root.querySelector('form#own-account input[name=issued]')?.getAttribute('value') ?? ''
    assert.notEqual(now, 'none')
    assert.equal(now, await drawnAs())
    assert.equal((await staff.post(tabPath, { language: 'en', issued: now }, { from: tabPath })).statusCode, 303)
  })
})
