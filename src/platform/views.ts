import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import nunjucks from 'nunjucks'
import type { Language, Translate } from './i18n.ts'
import { hasPermission, type Role } from './permissions.ts'

const require = createRequire(import.meta.url)
export const govukFrontendDirectory = path.dirname(require.resolve('govuk-frontend/package.json')) + '/dist'
export const mojFrontendDirectory = path.dirname(require.resolve('@ministryofjustice/frontend/package.json'))
const sourceDirectory = path.resolve(import.meta.dirname, '..')

/**
 * The one inline script in the GOV.UK template (it marks the page as having JavaScript). The content
 * security policy allows exactly this script by its hash, so no other inline script can ever run.
 */
export const govukInlineScriptHash = (() => {
  const template = readFileSync(path.join(govukFrontendDirectory, 'govuk/template.njk'), 'utf8')
  const script = /<script[^>]*>([^<]*)<\/script>/.exec(template)?.[1]
  if (!script) throw new Error('The GOV.UK template no longer has its inline script: check the content security policy')
  return `'sha256-${createHash('sha256').update(script).digest('base64')}'`
})()

const day = { day: 'numeric', month: 'long', year: 'numeric' } as const
/** A calendar date ('2026-11-25') has no time zone: its UTC midnight is shown as the same day. */
const dateFormats: Record<Language, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-GB', { ...day, timeZone: 'UTC' }),
  cy: new Intl.DateTimeFormat('cy-GB', { ...day, timeZone: 'UTC' }),
}
/** An instant's day is the prison's: half past midnight on 1 July in summer is 23:30 on 30 June in UTC. */
const instantDateFormats: Record<Language, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-GB', { ...day, timeZone: 'Europe/London' }),
  cy: new Intl.DateTimeFormat('cy-GB', { ...day, timeZone: 'Europe/London' }),
}

/** '2026-11-25' as '25 November 2026' (or its Welsh); a Date, as the day it was in the prison. Empty for nothing. */
export function formatDate(value: string | Date | null | undefined, language: Language = 'en'): string {
  if (value === null || value === undefined || value === '') return ''
  if (typeof value === 'string') {
    const midnight = new Date(`${value.slice(0, 10)}T00:00:00Z`)
    return Number.isNaN(midnight.getTime()) ? '' : dateFormats[language].format(midnight)
  }
  return Number.isNaN(value.getTime()) ? '' : instantDateFormats[language].format(value)
}

const dateTimeFormats: Record<Language, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/London' }),
  cy: new Intl.DateTimeFormat('cy-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/London' }),
}

/** An instant as the wing's clock shows it: '25 November 2026 at 10:05', in UK time whatever the server's zone. */
export function formatDateTime(value: string | Date | null | undefined, language: Language = 'en'): string {
  if (value === null || value === undefined || value === '') return ''
  const instant = typeof value === 'string' ? new Date(value) : value
  if (Number.isNaN(instant.getTime())) return ''
  return dateTimeFormats[language].format(instant)
}

/** Nunjucks's own escaping, as `{{ text }}` and `| escape` do it in every template (its types leave `lib` out). */
const escapeHtml = (nunjucks as unknown as { lib: { escape: (text: string) => string } }).lib.escape

/**
 * What someone wrote in a box of several lines (a case review's notes, a concern's account), as HTML that shows
 * their own line breaks: HTML folds a newline into a space, so three paragraphs would read as one. The text is
 * escaped, in a span that keeps lines (`white-space: pre-line`, which also drops the spaces a GOV.UK macro
 * indents each line with). A span rather than the summary list's cell, as the macro writes a newline before
 * the value that the cell would show as a blank first line. Empty, and so false in `or`, for nothing.
 */
export function ownLines(text: string | null | undefined): string {
  const kept = (text ?? '').replace(/\r\n?/g, '\n').trim()
  if (kept === '') return ''
  return `<span class="waymark-own-lines">${escapeHtml(kept)}</span>`
}

export type ViewEnvironment = nunjucks.Environment

/**
 * Templates are found by path from `src/areas` (`people/views/roll.njk`), from `src/platform/views`
 * (`layout.njk`), and from GOV.UK and MoJ Frontend (`govuk/components/...`, `moj/components/...`).
 * Autoescape is on; `| safe` is never used on anything a person or a form supplied.
 */
export function createViewEnvironment(options: { watch?: boolean } = {}): ViewEnvironment {
  const environment = nunjucks.configure(
    [
      path.join(sourceDirectory, 'platform/views'),
      path.join(sourceDirectory, 'areas'),
      govukFrontendDirectory,
      mojFrontendDirectory,
    ],
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true, watch: options.watch ?? false },
  )
  environment.addFilter('formatDate', function (this: { ctx: { language?: Language } }, value: string | Date | null) {
    return formatDate(value, this.ctx.language ?? 'en')
  })
  environment.addFilter(
    'formatDateTime',
    // A language of its own for what is printed for someone else (a person's slip in Welsh).
    function (this: { ctx: { language?: Language } }, value: string | Date | null, language?: Language) {
      return formatDateTime(value, language ?? this.ctx.language ?? 'en')
    },
  )
  environment.addFilter('ownLines', (text: string | null | undefined) => {
    const html = ownLines(text)
    return html === '' ? '' : new nunjucks.runtime.SafeString(html)
  })
  // Need-to-know: a breadcrumb back to the roll is for those who may open it; partner workers and monitors
  // reach a person's pages from the find form instead.
  environment.addFilter('reachableBy', (items: readonly { href?: string }[], actor?: { role: Role } | null) =>
    items.filter((item) => item.href !== '/roll' || (actor ? hasPermission(actor.role, 'roll.view') : false)),
  )
  return environment
}

export type PageContext = {
  t: Translate
  language: Language
  [key: string]: unknown
}
