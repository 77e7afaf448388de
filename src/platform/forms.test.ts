import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { z } from 'zod'
import {
  assertStorableForm,
  isRefusal,
  type Outcome,
  fieldErrors,
  MAX_FORM_FIELDS,
  schemaErrors,
  UnreadableForm,
} from './forms.ts'
import type { Translate } from './i18n.ts'

/** Messages as their key and values, so a test reads which message a field got and with what. */
const t: Translate = (key, values) =>
  values && Object.keys(values).length > 0 ? `${key} ${JSON.stringify(values)}` : key

describe('fieldErrors', () => {
  it('lists each refusal with its message and a link to its field, leaving out what was not refused', () => {
    assert.deepEqual(
      fieldErrors(t, [null, { field: 'capacity', messageKey: 'group.error.capacity', values: { max: 30 } }, null]),
      [{ field: 'capacity', text: 'group.error.capacity {"max":30}', href: '#capacity' }],
    )
  })

  it('keeps two refusals of one field, unless asked for one a field, when the first is kept', () => {
    const refusals = [
      { field: 'slots', messageKey: 'group.error.slots' },
      { field: 'slots', messageKey: 'group.error.outsideDay' },
      { field: 'code', messageKey: 'group.error.duplicate' },
    ]
    assert.deepEqual(
      fieldErrors(t, refusals).map((error) => error.text),
      ['group.error.slots', 'group.error.outsideDay', 'group.error.duplicate'],
    )
    assert.deepEqual(
      fieldErrors(t, refusals, { onePerField: true }).map((error) => error.text),
      ['group.error.slots', 'group.error.duplicate'],
    )
  })
})

describe('schemaErrors', () => {
  const Form = z.object({
    reason: z
      .string()
      .min(1)
      .max(5)
      .regex(/^[a-z]*$/),
    size: z.coerce.number().int().min(1).max(9),
  })
  const failed = (body: unknown) => {
    const result = Form.safeParse(body)
    assert.equal(result.success, false)
    return result.error
  }

  it('gives each field that failed its first message, from a message key or a refusal with values', () => {
    const errors = schemaErrors(t, failed({ reason: '', size: 'lots' }), {
      reason: 'form.error.reason',
      size: { field: 'size', messageKey: 'form.error.size', values: { min: 1, max: 9 } },
    })
    assert.deepEqual(errors, [
      { field: 'reason', text: 'form.error.reason', href: '#reason' },
      { field: 'size', text: 'form.error.size {"min":1,"max":9}', href: '#size' },
    ])
  })

  it('gives a field one message however many of its checks failed, and the general one to a field without its own', () => {
    const error = failed({ reason: 'far too long', size: 1.5 })
    assert.ok(error.issues.filter((issue) => issue.path[0] === 'reason').length >= 2)
    assert.deepEqual(schemaErrors(t, error, { reason: 'form.error.reason' }), [
      { field: 'reason', text: 'form.error.reason', href: '#reason' },
      { field: 'size', text: 'forms.error.answer', href: '#size' },
    ])
  })

  it('never gives an empty list for a form that failed, whatever its messages name', () => {
    const Form = z.object({ isSensitive: z.literal('yes').optional(), name1: z.string().max(100) })
    const cases: unknown[] = [
      { isSensitive: 'on', name1: '' },
      { isSensitive: ['yes', 'no'], name1: '' },
      { name1: 'M'.repeat(101) },
      { name1: 5 },
    ]
    for (const body of cases) {
      const result = Form.safeParse(body)
      assert.equal(result.success, false)
      const errors = schemaErrors(t, result.error, {})
      assert.ok(errors.length > 0, JSON.stringify(body))
      assert.ok(
        errors.every((error) => error.text === 'forms.error.answer'),
        JSON.stringify(errors),
      )
    }
  })

  it('gives a body that is no form at all one message for the whole form, leading to the page’s content', () => {
    for (const body of [undefined, null, 'whatHappened=x', ['whatHappened']])
      assert.deepEqual(schemaErrors(t, failed(body), { reason: 'form.error.reason' }), [
        { field: '', text: 'forms.error.form', href: '#main-content' },
      ])
  })

  it('keeps zod’s own English out of the page: only message keys reach the translation', () => {
    const keys: string[] = []
    const recording: Translate = (key) => (keys.push(key), key)
    schemaErrors(recording, failed({ reason: 5, size: 'lots', extra: 1 }), {})
    assert.ok(
      keys.every((key) => key.startsWith('forms.error.')),
      JSON.stringify(keys),
    )
  })
})

describe('assertStorableForm', () => {
  const refusal = (body: unknown) => {
    try {
      assertStorableForm(body)
      return null
    } catch (error) {
      assert.ok(error instanceof UnreadableForm)
      assert.equal(error.statusCode, 400)
      return error.messageKey
    }
  }

  it('lets through what any form sends, however it was typed, in English or Welsh', () => {
    assert.equal(
      refusal({ whatHappened: 'Dywedodd ei fod yn drist 🙁', urgency: 'today', slots: ['MON_AM', 'TUE_PM'] }),
      null,
    )
    assert.equal(refusal(undefined), null)
    assert.equal(refusal({}), null)
  })

  it('refuses a NUL character or a lone surrogate anywhere in a field, its name or a nested JSON value', () => {
    for (const body of [
      { whatHappened: 'he said\u0000 he will' },
      { ['what\u0000']: 'x' },
      { seen: ['ok', 'half \ud83d'] },
      { nested: { deeper: [{ text: '\u0000' }] } },
    ])
      assert.equal(refusal(body), 'forms.error.characters', JSON.stringify(body))
  })

  it(`takes ${MAX_FORM_FIELDS} fields, which no form comes near, and refuses one more`, () => {
    const fields = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, index) => [`f${index}`, 'x']))
    assert.equal(refusal(fields(MAX_FORM_FIELDS)), null)
    assert.equal(refusal(fields(MAX_FORM_FIELDS + 1)), 'forms.error.tooManyFields')
    assert.equal(refusal({ slots: Array.from({ length: 10_000 }, () => 'MON_AM') }), 'forms.error.tooManyFields')
  })
})

describe('isRefusal', () => {
  it('tells a refusal from what a use case stored, and from nothing to tell', () => {
    const refused: Outcome<{ handoverId: string }> = { field: 'to', messageKey: 'handover.error.to' }
    const stored: Outcome<{ handoverId: string }> = { handoverId: '0b8f7c1e-7a57-4b0e-9d55-1d3f0c9b2a10' }
    const nothing: Outcome = null
    assert.equal(isRefusal(refused), true)
    assert.equal(isRefusal(stored), false)
    assert.equal(isRefusal(nothing), false)
  })

  it('does not take a stored record that happens to carry a message key for a refusal', () => {
    const stored: Outcome<{ messageKey: string }> = { messageKey: 'notice.saved' }
    assert.equal(isRefusal(stored), false)
  })
})
