import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:net'
import type { Page } from 'playwright-core'
import Provider from 'oidc-provider'
import { checkPage, startJourney, type Journey } from '../support/browser.ts'

/** A port free now, for an address that must be known before the server on it starts. */
async function freePort(): Promise<number> {
  const server: Server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/**
 * Issue 13: staff sign in at the prison's identity provider. The provider is `oidc-provider`, a certified
 * OpenID Provider, on a port of its own with Waymark registered as a client; its development sign-in page
 * takes any login, which it then asserts as the person's `preferred_username`. Nothing of it is a stub.
 */
describe('a member of staff signs in and out at the prison’s identity provider', () => {
  let journey: Journey
  let page: Page
  let provider: { close: () => Promise<void> }

  before(async () => {
    const [waymarkPort, providerPort] = [await freePort(), await freePort()]
    const publicUrl = `http://127.0.0.1:${waymarkPort}`
    const issuer = `http://127.0.0.1:${providerPort}`
    const oidc = new Provider(issuer, {
      clients: [
        {
          client_id: 'waymark',
          client_secret: 'a-secret-only-this-test-knows',
          redirect_uris: [`${publicUrl}/sign-in/callback`],
          post_logout_redirect_uris: [`${publicUrl}/sign-in?signedOut=1`],
        },
      ],
      claims: { openid: ['sub'], profile: ['preferred_username', 'name'] },
      findAccount: (_context, id) => ({
        accountId: id,
        claims: () => ({ sub: id, preferred_username: id, name: id }),
      }),
      // Waymark is the prison's own service: the person is not asked to consent to it.
      loadExistingGrant: async (context) => {
        const grant = new context.oidc.provider.Grant({
          clientId: context.oidc.client!.clientId,
          accountId: context.oidc.session!.accountId!,
        })
        grant.addOIDCScope('openid profile')
        await grant.save()
        return grant
      },
      features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
      cookies: { keys: ['a-cookie-key-only-this-test-knows'] },
    })
    const server = oidc.listen(providerPort, '127.0.0.1')
    provider = { close: () => new Promise((resolve) => server.close(() => resolve())) }
    journey = await startJourney({
      snapshot: true,
      port: waymarkPort,
      config: {
        publicUrl,
        oidc: {
          issuer,
          clientId: 'waymark',
          clientSecret: 'a-secret-only-this-test-knows',
          usernameClaim: 'preferred_username',
          providerName: 'HMPPS Auth',
        },
      },
    })
    ;({ page } = await journey.newPage())
  })
  after(async () => {
    await journey?.close()
    await provider?.close()
  })

  async function signInAtProvider(login: string) {
    await page.goto('/sign-in')
    await page.getByRole('button', { name: 'Sign in with HMPPS Auth' }).click()
    await page.locator('input[name="login"]').fill(login)
    await page.locator('input[name="password"]').fill('any password: the provider checks it, not Waymark')
    await page.getByRole('button', { name: 'Sign-in' }).click()
  }

  it('offers the provider on the sign-in page, beside Waymark’s own passwords', async () => {
    await page.goto('/sign-in')
    assert.equal(await page.getByRole('button', { name: 'Sign in with HMPPS Auth' }).count(), 1)
    assert.equal(await page.getByLabel('Password', { exact: true }).count(), 1)
    await checkPage(page, 'sign-in with an identity provider')
  })

  it('signs an officer in at the provider and lands them on their home page', async () => {
    await signInAtProvider('demo.officer')
    await page.waitForURL('**/roll')
    assert.match(await page.locator('header').innerText(), /Signed in as Sam Officer/)
    const audited = await journey.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'sign-in.succeeded')
      .where('actor_username', '=', 'demo.officer')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    assert.deepEqual(audited.details, { with: 'identity-provider' })
  })

  it('signs out of Waymark and of the provider', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click()
    // The provider asks whether to end its own session too, then sends the person back.
    await page.getByRole('button', { name: 'Yes, sign me out' }).click()
    await page.waitForURL('**/sign-in?signedOut=1')
    assert.match(await page.locator('main').innerText(), /You have signed out/)
    await page.goto('/roll')
    await page.waitForURL('**/sign-in**')
  })

  it('refuses someone the provider knows but Waymark does not, and says whom to ask', async () => {
    await signInAtProvider('somebody.unknown')
    await page.waitForURL('**/sign-in/callback**')
    assert.match(await page.locator('h1').innerText(), /You cannot use Waymark yet/)
    assert.match(await page.locator('main').innerText(), /Ask your prison’s Waymark administrator/)
    await checkPage(page, 'sign-in refused: no Waymark account')
    const refused = await journey.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'sign-in.refused')
      .where('actor_username', '=', 'somebody.unknown')
      .executeTakeFirstOrThrow()
    assert.deepEqual(refused.details, { with: 'identity-provider', reason: 'unknown-user' })
    assert.equal((await page.context().cookies()).filter((cookie) => cookie.name === 'waymark_session').length, 0)
  })

  it('refuses a return whose state was tampered with, and signs no one in', async () => {
    const { page: fresh } = await journey.newPage()
    // Begin as the button does, but change the state Waymark sent before the provider sees it.
    const begun = await fresh.request.get('/sign-in/provider', { maxRedirects: 0 })
    const authorization = new URL(begun.headers()['location'])
    authorization.searchParams.set('state', 'not-the-state-waymark-sent')
    await fresh.goto(authorization.href)
    await fresh.locator('input[name="login"]').fill('demo.officer')
    await fresh.locator('input[name="password"]').fill('any password')
    await fresh.getByRole('button', { name: 'Sign-in' }).click()
    await fresh.waitForURL('**/sign-in/callback**')
    assert.match(await fresh.locator('h1').innerText(), /Your sign-in did not finish/)
    await checkPage(fresh, 'sign-in refused: tampered state')
    const refused = await journey.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'sign-in.refused')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    assert.deepEqual(refused.details, { with: 'identity-provider', reason: 'invalid-response' })
    await fresh.goto('/roll')
    await fresh.waitForURL('**/sign-in**')
  })

  it('says it all in Welsh, on a phone', async () => {
    const { page: phone } = await journey.newPage()
    await phone.setViewportSize({ width: 375, height: 800 })
    await phone.goto('/language/cy?returnTo=/sign-in')
    assert.equal(await phone.getByRole('button', { name: 'Mewngofnodi gyda HMPPS Auth' }).count(), 1)
    await checkPage(phone, 'sign-in with an identity provider in Welsh')
    await phone.goto('/sign-in/callback?code=stolen&state=any')
    assert.match(await phone.locator('h1').innerText(), /Ni orffennodd eich mewngofnodi/)
    await checkPage(phone, 'sign-in refused in Welsh')
  })
})
