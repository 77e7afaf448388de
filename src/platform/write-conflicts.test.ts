import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../app.ts'
import { testEngines, type TestDatabase } from '../../test/support/database.ts'
import { givenEstablishment, givenStaffUser } from '../../test/support/builders.ts'
import { signedInAs, testConfig } from '../../test/support/app.ts'
import { readPage } from '../../test/support/page.ts'

/**
 * A save that meets another at the same moment (a second click of a form's button, most often): the unique
 * index the first took refuses the second, and the page says that this one saved nothing, never a 500.
 */
for (const engine of testEngines()) {
  describe(`a save that meets another at the same moment, on ${engine.name}`, () => {
    let database: TestDatabase
    let app: FastifyInstance
    let officer: string
    let home: { code: string }
    const log: string[] = []

    before(async () => {
      database = await engine.open()
      home = await givenEstablishment(database.db, { name: 'HMP Home' })
      officer = (await givenStaffUser(database.db, { role: 'officer', establishmentCodes: [home.code] })).username
      app = await buildApp({
        db: database.db,
        config: testConfig({ logLevel: 'info' }),
        logStream: { write: (line) => void log.push(line) },
      })
      // The second of two saves: the prison's code is taken by the first (its primary key, a unique index).
      const saveAgain = async () => {
        await database.db
          .insertInto('establishment')
          .values({ code: home.code, name: 'HMP Home', function: 'reception' })
          .execute()
      }
      app.get('/save-again', { config: { permission: 'signed-in' } }, saveAgain)
      app.get('/api/save-again', { config: { permission: 'signed-in' } }, saveAgain)
      await app.ready()
    })
    after(async () => {
      await app.close()
      await database.close()
    })

    it('answers 409 saying the change was not saved and how to see what was, in English and Welsh', async () => {
      const user = await signedInAs(app, officer)
      const english = await user.get('/save-again')
      assert.equal(english.statusCode, 409)
      const page = readPage(english.body)
      assert.equal(page.heading(), 'Your change was not saved')
      assert.match(
        page.text,
        /a second click of the button, or a colleague saving it too\. Go back and reload the page/,
      )
      assert.doesNotMatch(english.body, /duplicate key|constraint|establishment_pkey/)

      const welsh = await app.inject({
        method: 'GET',
        url: '/save-again',
        cookies: { ...user.jar.header, waymark_language: 'cy' },
      })
      assert.equal(welsh.statusCode, 409)
      assert.equal(readPage(welsh.body).heading(), 'Ni chafodd eich newid ei gadw')
    })

    it('logs it as a warning naming the table and key, never the values that met', async () => {
      log.length = 0
      await (await signedInAs(app, officer)).get('/save-again')
      type Line = { msg?: string; level?: number; reason?: string; table?: string }
      const warned = log.map((line) => JSON.parse(line) as Line).find((entry) => entry.msg === 'save met another')
      assert.equal(warned?.level, 40)
      assert.deepEqual([warned?.reason, warned?.table], ['23505', 'establishment'])
      assert.ok(!log.join('\n').includes(home.code), 'the key’s value stays out of the log')
    })

    it('answers 409 under /api with a plain message and nothing of the database’s', async () => {
      const response = await (await signedInAs(app, officer)).get('/api/save-again')
      assert.equal(response.statusCode, 409)
      const message = 'The record was changed by another request at the same moment; read it again, then try again'
      assert.deepEqual(response.json(), { status: 409, userMessage: 'Conflict', developerMessage: message })
    })
  })
}
