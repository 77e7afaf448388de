import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Conflict, HttpProblem } from './errors.ts'
import { entityTagOf, requireIfMatch } from './api-schemas.ts'

describe('a record’s entity tag', () => {
  it('changes when what marks the record’s version changes, and not otherwise', () => {
    const read = entityTagOf(new Date('2026-12-01T09:00:00Z'), 3)
    assert.equal(entityTagOf(new Date('2026-12-01T09:00:00Z'), 3), read)
    assert.notEqual(entityTagOf(new Date('2026-12-01T09:00:01Z'), 3), read)
    assert.notEqual(entityTagOf(new Date('2026-12-01T09:00:00Z'), 4), read)
  })

  it('is quoted and opaque: nothing of the record shows in it', () => {
    const tag = entityTagOf('A1234BC', 'present')
    assert.match(tag, /^"[\w-]{22}"$/)
    assert.ok(!tag.includes('A1234BC'))
  })
})

describe('an update that must name the version it read (If-Match)', () => {
  const current = entityTagOf('version', 2)
  const refusal = (headers: Record<string, string>) => {
    try {
      requireIfMatch({ headers }, current)
      return null
    } catch (error) {
      return error
    }
  }

  it('goes ahead with the current tag, one of several, or *', () => {
    assert.equal(refusal({ 'if-match': current }), null)
    assert.equal(refusal({ 'if-match': `"older", ${current}` }), null)
    assert.equal(refusal({ 'if-match': '*' }), null)
  })

  it('is refused 428 without If-Match, so a client cannot overwrite by leaving it out', () => {
    const error = refusal({})
    assert.ok(error instanceof HttpProblem)
    assert.equal(error.statusCode, 428)
  })

  it('is refused 409 when the record changed after it was read, and for a weak tag', () => {
    assert.ok(refusal({ 'if-match': entityTagOf('version', 1) }) instanceof Conflict)
    assert.ok(refusal({ 'if-match': `W/${current}` }) instanceof Conflict)
  })
})
