import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { nameHolds, nameKey } from './names.ts'

describe('nameKey', () => {
  it('compares names without case, accents, commas or double spaces', () => {
    assert.equal(nameKey('  Siân   O’Neill, '), 'sian o neill')
  })
})

describe('nameHolds', () => {
  it('finds a name by any of its words, or by the start of one, however it is typed', () => {
    for (const typed of ['sian', 'SIÂN', 'o’neill', "O'Neill", 'neil', 'Sian O Neill', ' si '])
      assert.equal(nameHolds('Siân O’Neill', typed), true, typed)
  })

  it('does not find a name by letters inside a word, or by words in another order', () => {
    for (const typed of ['ian', 'eill', 'Neill Siân', 'Siân Jones'])
      assert.equal(nameHolds('Siân O’Neill', typed), false, typed)
  })

  it('finds every name when nothing, or only punctuation, is typed', () => {
    assert.equal(nameHolds('Siân O’Neill', ''), true)
    assert.equal(nameHolds('Siân O’Neill', ' , '), true)
  })
})
