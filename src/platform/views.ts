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

const dateFormats: Record<Language, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  cy: new Intl.DateTimeFormat('cy-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
}

/** '2026-11-25' or a Date, as '25 November 2026' (or its Welsh). Empty for nothing. */
export function formatDate(value: string | Date | null | undefined, language: Language = 'en'): string {
  if (value === null || value === undefined || value === '') return ''
  const instant = typeof value === 'string' ? new Date(`${value.slice(0, 10)}T00:00:00Z`) : value
  if (Number.isNaN(instant.getTime())) return ''
  return dateFormats[language].format(instant)
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
