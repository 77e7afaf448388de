import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import Fastify from 'fastify'
import { sendDownload } from './downloads.ts'

describe('sendDownload', () => {
  it('sends a CSV as an attachment under its filename, for the browser to save rather than show', async () => {
    const app = Fastify()
    app.get('/roll.csv', async (_request, reply) => sendDownload(reply, 'roll-LEI.csv', 'a,b\r\n1,2\r\n'))
    app.get('/problem.json', async (_request, reply) =>
      sendDownload(reply, 'problem-LEI.json', '{}', 'application/json; charset=utf-8'),
    )
    try {
      const csv = await app.inject({ method: 'GET', url: '/roll.csv' })
      assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
      assert.equal(csv.headers['content-disposition'], 'attachment; filename="roll-LEI.csv"')
      assert.equal(csv.body, 'a,b\r\n1,2\r\n')
      const json = await app.inject({ method: 'GET', url: '/problem.json' })
      assert.equal(json.headers['content-type'], 'application/json; charset=utf-8')
      assert.equal(json.headers['content-disposition'], 'attachment; filename="problem-LEI.json"')
    } finally {
      await app.close()
    }
  })
})
