import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, CookieJar, csrfTokenFrom } from '../../test/support/app.ts'
import { givenEstablishment, givenStaffUser, TEST_PASSWORD } from '../../test/support/builders.ts'
import { testEngines, type TestDatabase } from '../../test/support/database.ts'
import { readPage } from '../../test/support/page.ts'

/**
 * Issue 13: what the sign-in pages do around an identity provider, without one to talk to (the journey in
 * test/e2e walks the whole flow against a real OpenID Provider).
 */
for (const engine of testEngines()) {
  describe(`sign-in beside an identity provider on ${engine.name}`, () => {
    let database: TestDatabase
    let passwordsOnly: FastifyInstance
    let providerOnly: FastifyInstance
    let username: string

    before(async () => {
      database = await engine.open()
      const prison = await givenEstablishment(database.db)
      username = (await givenStaffUser(database.db, { role: 'officer', establishmentCodes: [prison.code] })).username
      passwordsOnly = await buildTestApp(database.db)
      providerOnly = await buildTestApp(database.db, {
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
      })
    })
    after(async () => {
      await passwordsOnly?.close()
      await providerOnly?.close()
      await database?.close()
    })

    it('has no provider routes when none is set up', async () => {
      assert.equal((await passwordsOnly.inject({ method: 'GET', url: '/sign-in/provider' })).statusCode, 404)
      assert.equal(
        (await passwordsOnly.inject({ method: 'GET', url: '/sign-in/callback?code=x&state=y' })).statusCode,
        404,
      )
      const page = readPage((await passwordsOnly.inject({ method: 'GET', url: '/sign-in' })).body)
      assert.ok(!page.text.includes('Sign in with HMPPS Auth'))
    })

    it('offers only the provider when Waymark’s own passwords are off, and refuses a password sign-in', async () => {
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
        payload: { username, password: TEST_PASSWORD, _csrf: csrfTokenFrom(withForm.body) },
      })
      assert.equal(refused.statusCode, 400)
      assert.match(refused.body, /Sign in with HMPPS Auth: Waymark’s own passwords are switched off here/)
      assert.ok(!refused.cookies.some((cookie) => cookie.name === 'waymark_session' && cookie.value))
    })

    it('refuses a return from the provider that this browser never began, and signs no one in', async () => {
      const response = await providerOnly.inject({ method: 'GET', url: '/sign-in/callback?code=stolen&state=any' })
      assert.equal(response.statusCode, 400)
      assert.equal(readPage(response.body).heading(), 'Your sign-in did not finish')
    })
  })
}
