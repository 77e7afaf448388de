import { it } from 'node:test'
import assert from 'node:assert/strict'
import { CookieJar, csrfTokenFrom, describePagesOnEachEngine } from '../../test/support/app.ts'
import { TEST_PASSWORD } from '../../test/support/builders.ts'
import { readPage } from '../../test/support/page.ts'

/**
 * Issue 13: what the sign-in pages do around an identity provider, without one to talk to (the journey in
 * test/e2e walks the whole flow against a real OpenID Provider).
 */
describePagesOnEachEngine('sign-in with Waymark’s own passwords only', {}, (site) => {
  it('has no provider routes when none is set up', async () => {
    assert.equal((await site.app.inject({ method: 'GET', url: '/sign-in/provider' })).statusCode, 404)
    assert.equal((await site.app.inject({ method: 'GET', url: '/sign-in/callback?code=x&state=y' })).statusCode, 404)
    const page = readPage((await site.app.inject({ method: 'GET', url: '/sign-in' })).body)
    assert.ok(!page.text.includes('Sign in with HMPPS Auth'))
  })
})

describePagesOnEachEngine(
  'sign-in beside an identity provider, with Waymark’s own passwords off',
  {
    config: {
      oidc: {
        // Nothing listens here: these tests never get as far as asking the provider anything.
        issuer: 'http://127.0.0.1:9',
        clientId: 'waymark',
        clientSecret: 'secret',
        usernameClaim: 'preferred_username',
        providerName: 'HMPPS Auth',
      },
      localSignIn: false,
    },
    staff: ['officer'],
  },
  (site) => {
    it('offers only the provider, and refuses a password sign-in', async () => {
      const providerOnly = site.app
      const jar = new CookieJar()
      const signIn = jar.take(await providerOnly.inject({ method: 'GET', url: '/sign-in' }))
      const page = readPage(signIn.body)
      assert.equal(page.link('Sign in with HMPPS Auth'), '/sign-in/provider?returnTo=%2F')
      assert.ok(!signIn.body.includes('name="password"'), 'no password field')
      // A password typed anyway, with a good CSRF token (the person's own sign-in page keeps its form).
      const withForm = jar.take(await providerOnly.inject({ method: 'GET', url: '/my/sign-in', cookies: jar.header }))
      const refused = await providerOnly.inject({
        method: 'POST',
        url: '/sign-in',
        cookies: jar.header,
        payload: {
          username: site.staff.officer.username,
          password: TEST_PASSWORD,
          _csrf: csrfTokenFrom(withForm.body),
        },
      })
      assert.equal(refused.statusCode, 400)
      assert.match(refused.body, /Sign in with HMPPS Auth: Waymark’s own passwords are switched off here/)
      assert.ok(!refused.cookies.some((cookie) => cookie.name === 'waymark_session' && cookie.value))
    })

    it('refuses a return from the provider that this browser never began, and signs no one in', async () => {
      const response = await site.app.inject({ method: 'GET', url: '/sign-in/callback?code=stolen&state=any' })
      assert.equal(response.statusCode, 400)
      assert.equal(readPage(response.body).heading(), 'Your sign-in did not finish')
    })
  },
)
