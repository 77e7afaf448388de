import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { z } from 'zod'
import { fieldErrors, schemaErrors } from './forms.ts'
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

  it('gives a field one message however many of its checks failed, and none to a field without one', () => {
    const error = failed({ reason: 'far too long', size: 1.5 })
    assert.ok(error.issues.filter((issue) => issue.path[0] === 'reason').length >= 2)
    assert.deepEqual(schemaErrors(t, error, { reason: 'form.error.reason' }), [
      { field: 'reason', text: 'form.error.reason', href: '#reason' },
    ])
  })
})
