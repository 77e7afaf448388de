import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { allMessages } from '../../app.ts'
import { createTranslator, type Language } from '../../platform/i18n.ts'
import { createViewEnvironment } from '../../platform/views.ts'

const translator = createTranslator(allMessages, { strict: true })
const views = createViewEnvironment()

/** The reports' `hours` macro, drawn in a language. */
const hours = (language: Language, value: number | null) =>
  views
    .renderString('{% from "attendance/views/macros.njk" import hours with context %}{{ hours(value) }}', {
      t: translator.forLanguage(language),
      plural: translator.pluralFor(language),
      value,
    })
    .trim()

describe('the hours in the activity reports', () => {
  it('say one hour as one, however it rounds, in English and Welsh', () => {
    assert.deepEqual(
      [1, 1.04, 1.5, 0, 12].map((value) => hours('en', value)),
      ['1 hour', '1 hour', '1.5 hours', '0 hours', '12 hours'],
    )
    assert.deepEqual(
      [1, 3.5].map((value) => hours('cy', value)),
      ['1 awr', '3.5 awr'],
    )
    assert.equal(hours('en', null), 'Not applicable')
  })
})
