import assert from 'node:assert/strict'
import { parse } from 'node-html-parser'
import { createViewEnvironment } from '../../src/platform/views.ts'

/**
 * Issue 19 wrote out, in Waymark's templates, markup the GOV.UK and MoJ macros used to draw; these hold the two the
 * same. Markup as a browser reads it: white space between tags and before a tag's end aside.
 */
export const folded = (html: string) =>
  parse(html).toString().replace(/>\s+</g, '><').replace(/\s+>/g, '>').replace(/\s+/g, ' ').trim()

/** What a GOV.UK or MoJ macro (`govukInput` from `govuk/components/input/macro.njk`) draws for `params`. */
export function drawnBy(macro: string, file: string, params: unknown): string {
  return createViewEnvironment().renderString(`{% from "${file}" import ${macro} %}{{ ${macro}(params) }}`, {
    params,
  })
}

/** Holds `html` to what the macro draws for `params`. */
export function assertDrawnAs(html: string, macro: string, file: string, params: unknown, message = macro): void {
  assert.equal(folded(html), folded(drawnBy(macro, file, params)), message)
}
