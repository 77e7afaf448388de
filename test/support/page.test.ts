import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readPage } from './page.ts'

const html = `<!doctype html><html lang="cy"><head><title>Error: Raise a concern – Waymark</title></head><body>
<header><a href="/roll">Skip</a></header>
<main>
  <div class="govuk-error-summary"><ul class="govuk-error-summary__list"><li><a href="#what">Enter what happened</a></li></ul></div>
  <h1 class="govuk-heading-l">Raise a concern</h1>
  <div class="govuk-notification-banner"><p>Concern   sent</p></div>
  <label for="what">What happened?</label>
  <p id="what-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Enter what happened</p>
  <textarea id="what" name="what">
He said &quot;no&quot; &amp; left</textarea>
  <label for="name">Name</label><input id="name" name="name" value="Sol &amp; Co">
  <input type="radio" id="u1" name="urgency" value="now" checked><label for="u1">Now</label>
  <input type="radio" id="u2" name="urgency" value="later"><label for="u2">Later</label>
  <select id="wing" aria-label="Wing"><option value="A">A</option><option value="B" selected>B</option></select>
  <a href="/people/A1234BC">Open <span class="govuk-visually-hidden">Ann Smith</span></a>
  <button>Send concern</button>
  <strong class="govuk-tag govuk-tag--red">Overdue</strong>
  <dl class="govuk-summary-list"><div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Officer</dt><dd class="govuk-summary-list__value">Sol</dd></div></dl>
  <table><caption>Observations</caption><tr><th>When</th><th>Seen</th></tr><tr><td>10:00</td><td>Asleep</td></tr></table>
</main></body></html>`

describe('readPage', () => {
  const page = readPage(html)

  it('reads the title, the language, the heading and the text of main folded', () => {
    assert.equal(page.title, 'Error: Raise a concern – Waymark')
    assert.equal(page.language, 'cy')
    assert.equal(page.heading(), 'Raise a concern')
    assert.match(page.text, /Concern sent/)
    assert.doesNotMatch(page.text, /Skip/)
  })

  it('reads the error summary and the message beside a field without its hidden prefix', () => {
    assert.deepEqual(page.errors(), [{ text: 'Enter what happened', href: '#what' }])
    assert.equal(page.fieldError('what'), 'Enter what happened')
  })

  it('reads fields by their label, decoded, and which choice is checked', () => {
    assert.equal(page.valueOf('What happened?'), 'He said "no" & left')
    assert.equal(page.valueOf('Name'), 'Sol & Co')
    assert.equal(page.valueOf('Wing'), 'B')
    assert.equal(page.isChecked('Now'), true)
    assert.equal(page.isChecked('Later'), false)
  })

  it('finds links and buttons by their accessible name, hidden text included', () => {
    assert.equal(page.link('Open Ann Smith'), '/people/A1234BC')
    assert.equal(page.hasButton('Send concern'), true)
    assert.equal(page.hasButton('Delete'), false)
    assert.throws(() => page.link(/Nobody/), /Expected one link named \/Nobody\/, found 0/)
  })

  it('reads tables by caption, summary lists, tags and the banner', () => {
    assert.deepEqual(page.table('Observations'), [
      ['When', 'Seen'],
      ['10:00', 'Asleep'],
    ])
    assert.deepEqual(page.summary(), { Officer: 'Sol' })
    assert.deepEqual(page.tags(), [['Overdue', 'red']])
    assert.equal(page.banner(), 'Concern sent')
  })
})

describe('readPage, by a field’s name and a form’s address', () => {
  const page = readPage(
    '<main><form action="/costing/assumptions" method="post"><input name="hours-acct" value="7"><textarea name="source">\nOurs</textarea></form></main>',
  )

  it('reads a field by its name and finds a form by where it posts', () => {
    assert.equal(page.valueOfField('hours-acct'), '7')
    assert.equal(page.valueOfField('source'), 'Ours')
    assert.equal(page.hasForm('/costing/assumptions'), true)
    assert.equal(page.hasForm('/costing/print'), false)
  })
})
