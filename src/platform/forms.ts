import type { z } from 'zod'
import { HttpProblem } from './errors.ts'
import type { Translate } from './i18n.ts'

/**
 * A problem the user can put right, named by the form field it belongs to and a message key: what a service
 * returns instead of a stored record. The one shape every area uses.
 */
export type Refusal = { field: string; messageKey: string; values?: Record<string, string | number> }
/** The same, by the name the form pipeline has used. */
export type FieldRefusal = Refusal

/**
 * What a use case that changes something answers: what it stored (`null` when there is nothing to tell), or
 * the refusal that stored nothing. `isRefusal` tells them apart, so no caller tests for a field by name.
 */
export type Outcome<T = null> = T | Refusal

export function isRefusal(outcome: unknown): outcome is Refusal {
  return typeof outcome === 'object' && outcome !== null && 'messageKey' in outcome && 'field' in outcome
}

/** What the GOV.UK error summary lists and the field shows beside it. */
export type FieldError = { field: string; text: string; href: string }

/**
 * At least one: a form that failed its schema always has something to show, so an empty list can only
 * mean the service stored what was sent.
 */
export type NonEmpty<T> = [T, ...T[]]

/** For a field the form's messages do not name, and for a body that is not a form at all. */
const answerMessageKey = 'forms.error.answer'
const formMessageKey = 'forms.error.form'

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
      // A problem with the whole form has no field to link to: the summary leads to the page's content.
      href: refusal.field ? `#${refusal.field}` : '#main-content',
    }))
}

/**
 * One refusal per field for a form that failed its schema: the first problem of each field, as the form's
 * messages name it (a message key, or a refusal with values). A field the messages do not name (a checkbox
 * sent with an unexpected value, a field sent twice, a row of a table) gets a general message rather than
 * none, and a body that is no form at all gets one for the whole form: never an empty list, which the
 * route would take for success. zod's own English never reaches the page.
 */
export function schemaRefusals(
  error: z.ZodError,
  messages: Readonly<Record<string, FieldRefusal | string>>,
): NonEmpty<FieldRefusal> {
  const seen = new Set<string>()
  const refusals: FieldRefusal[] = []
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '')
    if (seen.has(field)) continue
    seen.add(field)
    const message = Object.hasOwn(messages, field) ? messages[field] : undefined
    if (typeof message === 'string') refusals.push({ field, messageKey: message })
    else if (message) refusals.push(message)
    else refusals.push({ field, messageKey: field ? answerMessageKey : formMessageKey })
  }
  const [first = { field: '', messageKey: formMessageKey }, ...rest] = refusals
  return [first, ...rest]
}

/** `schemaRefusals` as the error summary lists them: never empty. `onePerField` as for `fieldErrors`. */
export function schemaErrors(
  t: Translate,
  error: z.ZodError,
  messages: Readonly<Record<string, FieldRefusal | string>>,
  options: { onePerField?: boolean } = {},
): NonEmpty<FieldError> {
  // At least the first refusal is kept, so never empty either.
  return fieldErrors(t, schemaRefusals(error, messages), options) as NonEmpty<FieldError>
}

/**
 * What a use case answers to a form: what it stored (`null` when there is nothing to tell) or its refusal;
 * or, from a use case that checks a whole form at once (a regime group's slots), all its refusals (none:
 * stored).
 */
export type FormAnswer<T> = Outcome<T> | readonly Refusal[]

function refusalsIn(answer: unknown): readonly Refusal[] {
  if (isRefusal(answer)) return [answer]
  return Array.isArray(answer) && answer.every(isRefusal) ? answer : []
}

/**
 * A form's round trip: its schema, then the use case. Either what the use case stored (with the form it was
 * given), or the errors to show beside the fields (the schema's, or the use case's refusals), never both and
 * never neither. `onePerField` as for `fieldErrors`.
 */
export async function submitForm<Schema extends z.ZodType, T>(
  t: Translate,
  schema: Schema,
  body: unknown,
  errorsOf: (error: z.ZodError) => NonEmpty<FieldError>,
  act: (form: z.output<Schema>) => Promise<FormAnswer<T>>,
  options: { onePerField?: boolean } = {},
): Promise<{ stored: T; form: z.output<Schema> } | { errors: NonEmpty<FieldError> }> {
  const form = schema.safeParse(body)
  if (!form.success) return { errors: errorsOf(form.error) }
  const answer = await act(form.data)
  const refusals = refusalsIn(answer)
  // A refusal is one error at least, so the list is never empty.
  if (refusals.length > 0) return { errors: fieldErrors(t, refusals, options) as NonEmpty<FieldError> }
  return { stored: answer as T, form: form.data }
}

/**
 * A form Waymark cannot read, whatever route it was sent to: the error page says why. Raised once for
 * every route where bodies are read, so no route has to think of it.
 */
export class UnreadableForm extends HttpProblem {
  readonly messageKey: string
  constructor(messageKey: string, message: string) {
    super(400, message)
    this.messageKey = messageKey
  }
}

/** More than any page sends (the largest, a register of a big group, sends two a member). */
export const MAX_FORM_FIELDS = 1000

/**
 * Refuses what no form sends and PostgreSQL cannot store: a NUL character, or text that is not well-formed
 * Unicode (a lone surrogate), in any field of a parsed body or query; and more fields than any form has.
 */
export function assertStorableForm(value: unknown): void {
  let fields = 0
  // The count bounds the depth too: each level of a nested JSON body is a field.
  const visit = (item: unknown): void => {
    if (typeof item === 'string') {
      if (item.includes('\u0000') || !item.isWellFormed())
        throw new UnreadableForm('forms.error.characters', 'The form has a character that cannot be saved')
      return
    }
    if (item === null || typeof item !== 'object') return
    for (const [key, inner] of Object.entries(item)) {
      if (++fields > MAX_FORM_FIELDS)
        throw new UnreadableForm('forms.error.tooManyFields', 'The form has too many fields')
      visit(key)
      visit(inner)
    }
  }
  visit(value)
}
