import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { allMessages } from '../../app.ts'
import { createTranslator } from '../../platform/i18n.ts'
import { byCharacteristicText, characteristicValueText } from './characteristic-names.ts'

const translator = createTranslator(allMessages, { strict: true })
const english = translator.forLanguage('en')
const welsh = translator.forLanguage('cy')

describe('characteristicValueText', () => {
  const cases: [string, string, string, string][] = [
    ['sex', 'M', 'Male', 'Gwryw'],
    ['religion', 'buddhist', 'Buddhist', 'Bwdhaidd'],
    ['religion', 'not-stated', 'Prefers not to say', welsh('religion.not-stated')],
    ['religion', 'not recorded', 'Not recorded', 'Heb ei gofnodi'],
    ['disability', 'no', 'No', welsh('disability.no')],
    ['ethnicGroup', 'Black', 'Black, African, Caribbean or Black British', welsh('equality.ethnicGroup.B')],
    ['ethnicGroup', 'not-stated', 'Prefers not to say', welsh('ethnicity.NS')],
    ['cohort', 'vulnerable', 'Vulnerable prisoners', welsh('cohort.vulnerable')],
    ['ageBand', '30-39', '30-39', '30-39'],
    ['sex', 'X', 'X', 'X'],
  ]
  for (const [characteristic, value, inEnglish, inWelsh] of cases)
    it(`words ${characteristic} ${value} as “${inEnglish}” and in Welsh as “${inWelsh}”`, () => {
      assert.equal(characteristicValueText(english, characteristic, value), inEnglish)
      assert.equal(characteristicValueText(welsh, characteristic, value), inWelsh)
    })

  it('keeps preferring not to say apart from nothing recorded, in both languages', () => {
    for (const t of [english, welsh])
      assert.notEqual(
        characteristicValueText(t, 'religion', 'not-stated'),
        characteristicValueText(t, 'religion', 'not recorded'),
      )
  })
})

describe('byCharacteristicText', () => {
  it('orders groups by their words, with prefers not to say and then not recorded last', () => {
    const rows = ['not recorded', 'none', 'not-stated', 'buddhist'].map((value) => ({
      value,
      text: characteristicValueText(english, 'religion', value),
    }))
    assert.deepEqual(
      byCharacteristicText(rows).map((row) => row.text),
      ['Buddhist', 'No religion', 'Prefers not to say', 'Not recorded'],
    )
  })
})
