import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { decoyPasswordHash, hashPassword, newPasswordProblem, verifyPassword } from './passwords.ts'

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

  it('hashes at 19 MiB and 2 passes unless told otherwise, the decoy for an unknown username too', async () => {
    assert.match(await decoyPasswordHash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
  })

  it('checks a password against a hash made at another cost by the cost the hash carries', async () => {
    // The tests' accounts are hashed cheaply (test/support/builders.ts) and sign in through this check.
    const stored = await hashPassword('correct horse', { memoryKib: 8, passes: 1, parallelism: 1 })
    assert.match(stored, /^\$argon2id\$v=19\$m=8,t=1,p=1\$/)
    assert.equal(await verifyPassword('correct horse', stored), true)
    assert.equal(await verifyPassword('correct hors', stored), false)
  })

  it('refuses anything that is not an argon2id hash', async () => {
    assert.equal(await verifyPassword('demo', 'demo'), false)
    assert.equal(await verifyPassword('demo', '$2b$10$abcdefghijklmnopqrstuv'), false)
  })
})

describe('newPasswordProblem (NCSC: length over rules, no common passwords)', () => {
  it('takes a long passphrase with no rules about symbols or capitals', async () => {
    assert.equal(await newPasswordProblem('kettle river autumn lamp', 'sam.officer'), null)
  })
  it('refuses fewer than 12 characters', async () => {
    assert.equal(await newPasswordProblem('short pass', 'sam.officer'), 'passwords.error.tooShort')
  })
  it('refuses a common or breached password, and one with digits on the end of one', async () => {
    assert.equal(await newPasswordProblem('passwordpassword', 'sam.officer'), 'passwords.error.common')
    assert.equal(await newPasswordProblem('qwertyuiop123', 'sam.officer'), 'passwords.error.common')
  })
  it('refuses one that holds the username', async () => {
    assert.equal(await newPasswordProblem('Sam.Officer-2026!', 'sam.officer'), 'passwords.error.username')
  })
})
