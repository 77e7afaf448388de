import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { hashPassword, verifyPassword } from './passwords.ts'

describe('hashPassword and verifyPassword', () => {
  it('stores an argon2id hash that accepts the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse')
    assert.match(stored, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    assert.equal(await verifyPassword('correct horse', stored), true)
    assert.equal(await verifyPassword('correct hors', stored), false)
  })

  it('salts each hash, so the same password never stores the same text twice', async () => {
    assert.notEqual(await hashPassword('demo'), await hashPassword('demo'))
  })

  it('refuses anything that is not an argon2id hash', async () => {
    assert.equal(await verifyPassword('demo', 'demo'), false)
    assert.equal(await verifyPassword('demo', '$2b$10$abcdefghijklmnopqrstuv'), false)
  })
})
