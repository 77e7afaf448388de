import type { z } from 'zod'
import type { Translate } from './i18n.ts'

/** A problem the user can put right, named by the form field it belongs to and a message key. */
export type FieldRefusal = { field: string; messageKey: string; values?: Record<string, string | number> }

/** What the GOV.UK error summary lists and the field shows beside it. */
export type FieldError = { field: string; text: string; href: string }

/**
 * The refusals a service gave, as the error summary lists them; a null (nothing refused) is left out. With
 * `onePerField`, only the first of each field is kept: for a service that may refuse one field twice (a
 * regime group's slots) on a page that shows one message beside each field.
 */
export function fieldErrors(
  t: Translate,
  refusals: readonly (FieldRefusal | null)[],
  options: { onePerField?: boolean } = {},
): FieldError[] {
  const seen = new Set<string>()
  return refusals
    .filter((refusal): refusal is FieldRefusal => refusal !== null)
    .filter((refusal) => !options.onePerField || (!seen.has(refusal.field) && Boolean(seen.add(refusal.field))))
    .map((refusal) => ({
      field: refusal.field,
      text: t(refusal.messageKey, refusal.values),
      href: `#${refusal.field}`,
    }))
}

/**
 * One message per field for a form that failed its schema: the first problem of each field. Each field's
 * message is a refusal, or only its message key when the message needs no values.
 */
export function schemaErrors(
  t: Translate,
  error: z.ZodError,
  messages: Record<string, FieldRefusal | string>,
): FieldError[] {
  const seen = new Set<string>()
  const refusals: FieldRefusal[] = []
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '')
    const message = messages[field]
    if (seen.has(field) || !message) continue
    seen.add(field)
    refusals.push(typeof message === 'string' ? { field, messageKey: message } : message)
  }
  return fieldErrors(t, refusals)
}
