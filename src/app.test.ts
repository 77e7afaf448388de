import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { describe, it } from 'node:test'

/**
 * Issue 12: a service handed a closure over one built after it (`concerns: () => concerns`) hides a cycle
 * between two areas, and TypeScript lets it through. The composition root is read as text: no service is
 * named before the line that builds it.
 */
describe('the composition root', () => {
  it('builds every service before any other service names it', async () => {
    const source = await readFile(new URL('./app.ts', import.meta.url), 'utf8')
    const start = source.indexOf('export function createServices(')
    const end = source.indexOf('\n}\n', start)
    assert.ok(start >= 0 && end > start, 'createServices is in app.ts')
    const lines = source
      .slice(start, end)
      .split('\n')
      .map((line) => line.replace(/\/\/.*$/, '').replace(/'[^']*'/g, "''"))

    const namedEarly: string[] = []
    lines.forEach((line, index) => {
      const built = /^ {2}const (\w+) = /.exec(line)?.[1]
      if (!built) return
      const earlier = lines.slice(0, index).findIndex((before) => new RegExp(`\\b${built}\\b(?!:)`).test(before))
      if (earlier >= 0) namedEarly.push(`${built}, named on "${lines[earlier].trim()}" before it is built`)
    })
    assert.deepEqual(namedEarly, [])
  })
})
