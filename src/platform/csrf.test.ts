import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { givenPerson, TEST_PASSWORD } from '../../test/support/builders.ts'
import { CookieJar, csrfTokenFrom, describePagesOnEachEngine } from '../../test/support/app.ts'
import { givenPersonAccount } from '../../test/support/my-view-builders.ts'

describePagesOnEachEngine(
  'the CSRF secret at sign-in and sign-out',
  { config: { signInAttemptsPerMinute: 1000 }, staff: ['officer'] },
  (site) => {
    before(async () => {
      const person = await givenPerson(site.db, site.home.code)
      await givenPersonAccount(site.db, person, { username: 'cell.device.person' })
    })

    /** A browser on a shared PC: its cookies, and a GET or a form POST with a given token. */
    function browser() {
      const jar = new CookieJar()
      return {
        get: async (url: string) => jar.take(await site.app.inject({ method: 'GET', url, cookies: jar.header })),
        post: async (url: string, payload: Record<string, string>) =>
          jar.take(await site.app.inject({ method: 'POST', url, cookies: jar.header, payload })),
      }
    }

    for (const view of [
      {
        name: 'staff',
        signIn: '/sign-in',
        signOut: '/sign-out',
        home: '/roll',
        username: () => site.staff.officer.username,
      },
      {
        name: 'person’s own',
        signIn: '/my/sign-in',
        signOut: '/my/sign-out',
        home: '/my',
        username: () => 'cell.device.person',
      },
    ])
      describe(`the ${view.name} sign-in`, () => {
        it('no longer takes a token from before sign-in once signed in', async () => {
          const pc = browser()
          const fromBefore = csrfTokenFrom((await pc.get(view.signIn)).body)
          const signedIn = await pc.post(view.signIn, {
            username: view.username(),
            password: TEST_PASSWORD,
            _csrf: fromBefore,
          })
          assert.equal(signedIn.statusCode, 303)
          const fromNow = csrfTokenFrom((await pc.get(view.home)).body)

          assert.equal((await pc.post(view.signOut, { _csrf: fromBefore })).statusCode, 403)
          assert.equal((await pc.get(view.home)).statusCode, 200, 'still signed in')
          assert.equal((await pc.post(view.signOut, { _csrf: fromNow })).statusCode, 303)
        })

        it('no longer takes a token minted while signed in once signed out', async () => {
          const pc = browser()
          const signInToken = csrfTokenFrom((await pc.get(view.signIn)).body)
          await pc.post(view.signIn, { username: view.username(), password: TEST_PASSWORD, _csrf: signInToken })
          const whileSignedIn = csrfTokenFrom((await pc.get(view.home)).body)
          assert.equal((await pc.post(view.signOut, { _csrf: whileSignedIn })).statusCode, 303)

          await pc.get(view.signIn)
          const replayed = await pc.post(view.signIn, {
            username: view.username(),
            password: TEST_PASSWORD,
            _csrf: whileSignedIn,
          })
          assert.equal(replayed.statusCode, 403)
        })
      })
  },
)
