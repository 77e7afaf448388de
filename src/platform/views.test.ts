import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createViewEnvironment, formatDate, ownLines } from './views.ts'

const views = createViewEnvironment()
const shown = (text: unknown) => views.renderString('<p>{{ text | ownLines }}</p>', { text })

describe('what someone wrote in a box of several lines, shown back', () => {
  it('keeps their line breaks and blank lines, in the span that shows them', () => {
    assert.equal(
      ownLines('Seen at the door.\n\nSaid he felt better.\nAte tea.'),
      '<span class="waymark-own-lines">Seen at the door.\n\nSaid he felt better.\nAte tea.</span>',
    )
  })

  it('shows markup as the text it was typed as, escaped once', () => {
    assert.equal(
      shown('<b>Loud</b> & "angry"\nThen <script>calm</script>'),
      '<p><span class="waymark-own-lines">&lt;b&gt;Loud&lt;/b&gt; &amp; &quot;angry&quot;\nThen &lt;script&gt;calm&lt;/script&gt;</span></p>',
    )
  })

  it('takes a browser’s carriage returns as line breaks and leaves off blank lines before and after', () => {
    assert.equal(
      ownLines('\r\n  Talked at length.\r\n\r\nCalmer.\r\n'),
      '<span class="waymark-own-lines">Talked at length.\n\nCalmer.</span>',
    )
  })

  it('shows nothing, and no empty span, when nothing was written', () => {
    for (const nothing of [null, undefined, '', '  \n ']) assert.equal(shown(nothing), '<p></p>', String(nothing))
  })

  it('lets a page say something else when nothing was written', () => {
    const page = views.renderString("{{ notes | ownLines or 'None recorded' }}", { notes: '' })
    assert.equal(page, 'None recorded')
  })
})

describe('formatDate', () => {
  it('shows a calendar date as that day, in English and Welsh', () => {
    assert.equal(formatDate('2026-07-01'), '1 July 2026')
    assert.equal(formatDate('2026-07-01', 'cy'), '1 Gorffennaf 2026')
    assert.equal(formatDate(''), '')
    assert.equal(formatDate('not a date'), '')
  })

  it('shows an instant as the day it was in the prison, not in UTC', () => {
    // 00:30 on 1 July in the prison.
    assert.equal(formatDate(new Date('2026-06-30T23:30:00Z')), '1 July 2026')
    assert.equal(formatDate(new Date('2026-06-30T23:30:00Z'), 'cy'), '1 Gorffennaf 2026')
    // In winter the prison keeps UTC.
    assert.equal(formatDate(new Date('2026-12-31T23:30:00Z')), '31 December 2026')
    assert.equal(formatDate(new Date(Number.NaN)), '')
  })
})
