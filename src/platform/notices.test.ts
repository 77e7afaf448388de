import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyRequest } from 'fastify'
import { doneNotices } from './notices.ts'

const noticeOf = doneNotices({ allocated: 'keywork.allocate.done', 'change-requested': 'keywork.changeRequest.done' })
const asked = (query: unknown) => noticeOf({ query } as FastifyRequest)

describe('doneNotices', () => {
  it('names the notice of the word the page was redirected with', () => {
    assert.equal(asked({ done: 'allocated' }), 'keywork.allocate.done')
    assert.equal(asked({ done: 'change-requested', other: 'x' }), 'keywork.changeRequest.done')
  })

  it('shows no notice for no word, a word the area does not name, or one sent twice', () => {
    assert.equal(asked({}), null)
    assert.equal(asked({ done: 'deallocated' }), null)
    assert.equal(asked({ done: ['allocated', 'allocated'] }), null)
    assert.equal(asked({ done: 'allocated'.repeat(10) }), null)
    assert.equal(asked(undefined), null)
  })

  it('never takes a word for a notice because every object has it', () => {
    assert.equal(asked({ done: 'toString' }), null)
    assert.equal(asked({ done: 'constructor' }), null)
  })
})
