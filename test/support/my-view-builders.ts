import type { FastifyInstance } from 'fastify'
import type { Db } from '../../src/db/database.ts'
import type { Actor } from '../../src/platform/permissions.ts'
import { CookieJar, csrfTokenFrom } from './app.ts'
import { TEST_PASSWORD, testPasswordHash, unique } from './builders.ts'

/** C1: a person in custody's own account with the test password, and the actor it signs in as. */
export async function givenPersonAccount(
  db: Db,
  person: { id: string; prisonNumber: string },
  options: { username?: string; isActive?: boolean } = {},
): Promise<Actor> {
  const username = options.username ?? unique('test.person.')
  const account = await db
    .insertInto('person_account')
    .values({
      person_id: person.id,
      username,
      password_hash: await testPasswordHash(),
      is_active: options.isActive ?? true,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const row = await db
    .selectFrom('person')
    .select(['first_name as firstName', 'establishment_code as establishmentCode'])
    .where('id', '=', person.id)
    .executeTakeFirstOrThrow()
  return {
    id: account.id,
    username,
    displayName: row.firstName,
    role: 'person',
    establishmentCode: row.establishmentCode,
    establishmentCodes: [row.establishmentCode],
    person: { id: person.id, prisonNumber: person.prisonNumber },
  }
}

/** A person signed in at /my/sign-in: GET and POST carrying their cookie (POST adds the CSRF token of /my). */
export async function signedInAsPerson(app: FastifyInstance, username: string, password = TEST_PASSWORD) {
  const jar = new CookieJar()
  const signInPage = jar.take(await app.inject({ method: 'GET', url: '/my/sign-in' }))
  const response = jar.take(
    await app.inject({
      method: 'POST',
      url: '/my/sign-in',
      cookies: jar.header,
      payload: { username, password, _csrf: csrfTokenFrom(signInPage.body) },
    }),
  )
  if (response.statusCode !== 303) throw new Error(`Sign-in as ${username} failed with ${response.statusCode}`)
  return {
    jar,
    get: async (url: string) => jar.take(await app.inject({ method: 'GET', url, cookies: jar.header })),
    post: async (url: string, payload: Record<string, string>, options: { withCsrf?: boolean; from?: string } = {}) => {
      let token = ''
      if (options.withCsrf !== false) {
        const page = jar.take(await app.inject({ method: 'GET', url: options.from ?? '/my', cookies: jar.header }))
        token = csrfTokenFrom(page.body)
      }
      return jar.take(
        await app.inject({
          method: 'POST',
          url,
          cookies: jar.header,
          payload: options.withCsrf === false ? payload : { ...payload, _csrf: token },
        }),
      )
    },
  }
}
