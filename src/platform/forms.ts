import type { z } from 'zod'
import type { Translate } from './i18n.ts'

/** A problem the user can put right, named by the form field it belongs to and a message key. */
export type FieldRefusal = { field: string; messageKey: string; values?: Record<string, string | number> }

/** What the GOV.UK error summary lists and the field shows beside it. */
export type FieldError = { field: string; text: string; href: string }

export function fieldErrors(t: Translate, refusals: readonly FieldRefusal[]): FieldError[] {
  return refusals.map((refusal) => ({
    field: refusal.field,
    text: t(refusal.messageKey, refusal.values),
    href: `#${refusal.field}`,
  }))
}

/** One message per field for a form that failed its schema: the first problem of each field. */
export function schemaErrors(t: Translate, error: z.ZodError, messages: Record<string, FieldRefusal>): FieldError[] {
  const seen = new Set<string>()
  const refusals: FieldRefusal[] = []
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '')
    if (seen.has(field) || !messages[field]) continue
    seen.add(field)
    refusals.push(messages[field])
  }
  return fieldErrors(t, refusals)
}
