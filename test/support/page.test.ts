import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { headerOf, readPage, regionOf } from './page.ts'

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
    assert.deepEqual(page.errorTexts(), ['Enter what happened'])
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

describe('readPage, for what must be nowhere on the page', () => {
  const page = readPage(`<html><head><title>Roll – Waymark</title></head><body>
<header><a href="/notifications">Notifications</a></header>
<main>
  <form action="/roll/search" method="post"><input name="q" value="Rees &amp; Co"></form>
  <a href="/people/A1234BC" aria-label="Open the record of Price"><span>Open</span></a>
  <svg role="img" aria-labelledby="c-title c-description"><title id="c-title">Counts</title><desc id="c-description">by month</desc></svg>
</main></body></html>`)

  it('lists every address the whole page links or posts to, header included', () => {
    assert.deepEqual(page.addresses(), ['/notifications', '/people/A1234BC', '/roll/search'])
  })

  it('finds a word in the whole document’s text or in any attribute’s value, decoded', () => {
    assert.equal(page.mentions('Waymark'), true, 'the title')
    assert.equal(page.mentions('Rees & Co'), true, 'a field’s value')
    assert.equal(page.mentions(/record of Price/), true, 'a label only a screen reader hears')
    assert.equal(page.mentions('A1234BC'), true, 'an address')
    assert.equal(page.mentions('Twist'), false)
  })

  it('names each image by its labels', () => {
    assert.deepEqual(page.images(), ['Counts by month'])
  })

  it('reads the items of lists in main', () => {
    const list = readPage(
      '<nav><ul><li>Home</li></ul></nav><main><ul><li>About you.\n  Sent, <b>not read</b> yet.</li><li>Two</li></ul></main>',
    )
    assert.deepEqual(list.items(), ['About you. Sent, not read yet.', 'Two'])
  })

  it('reads the status messages in main', () => {
    const found = readPage('<main><p class="govuk-body" role="status">1   person</p><p>Other</p></main>')
    assert.deepEqual(found.statuses(), ['1 person'])
  })

  it('reads which link marks the current page, and the style sheets the page loads', () => {
    const tabs = readPage(
      '<html><head><link rel="stylesheet" href="/a.css"><link rel="icon" href="/i.png"></head><body><main><nav><a href="/p/overview">Overview</a><a href="/p/timetable" aria-current="page">Timetable</a></nav></main></body></html>',
    )
    assert.deepEqual(tabs.currentPages(), ['Timetable'])
    assert.deepEqual(tabs.stylesheets(), ['/a.css'])
  })

  it('reads the choice checked in each row by its form name, and what a button sends', () => {
    const register = readPage(`<main><form>
      <input type="radio" id="a1" name="outcome-1" value="attended" checked><label for="a1">Attended</label>
      <input type="radio" id="a2" name="outcome-1" value="sick"><label for="a2">Sick</label>
      <input type="radio" id="b1" name="outcome-2" value="attended"><label for="b1">Attended</label>
      <button>Save</button><button name="rest" value="attended">Save, marking everyone else as attended</button></form></main>`)
    assert.deepEqual(register.chosen('outcome-1'), ['attended'])
    assert.deepEqual(register.chosen('outcome-2'), [])
    assert.deepEqual(register.button('Save, marking everyone else as attended'), { name: 'rest', value: 'attended' })
    assert.deepEqual(register.button('Save'), { name: '', value: '' })
  })
})

describe('readPage, for the choices a select offers and the badges on a page', () => {
  const page = readPage(`<html><body><header><span class="moj-badge">Beta</span></header><main>
  <a href="/people/A1234BC/care-plans"><span class="moj-badge moj-badge--red">Open ACCT care plan</span></a>
  <label for="who">Assessor</label>
  <select id="who" name="who"><option value="">Choose</option><option value="u-1" selected>Ann &amp; Bo</option></select>
</main></body></html>`)

  it('reads the options of a select by its label, each with its text and value', () => {
    assert.deepEqual(page.options('Assessor'), [
      { text: 'Choose', value: '' },
      { text: 'Ann & Bo', value: 'u-1' },
    ])
    assert.throws(() => page.options('Wing'), /Expected one select labelled Wing, found 0/)
  })

  it('reads every badge on the page, header included, with its colour', () => {
    assert.deepEqual(page.badges(), [
      ['Beta', 'default'],
      ['Open ACCT care plan', 'red'],
    ])
    assert.deepEqual(readPage('<main><p>None</p></main>').badges(), [])
  })
})

describe('readPage, for one part of a page of many like parts', () => {
  const page = readPage(`<main>
  <section aria-labelledby="a-heading"><h2 id="a-heading">Key work</h2>
    <dl class="govuk-summary-list"><div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Target</dt><dd class="govuk-summary-list__value">75%</dd></div></dl></section>
  <section><h2>Supervision</h2>
    <dl class="govuk-summary-list"><div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Target</dt><dd class="govuk-summary-list__value">No target set</dd></div></dl>
    <label for="t">Set a target</label><div class="govuk-input__wrapper"><input id="t" name="t"><div class="govuk-input__suffix" aria-hidden="true">%</div></div>
    <label for="n">Note</label><input id="n" name="n"></section>
</main>`)

  it('reads a region by the heading that names it, as a page of its own', () => {
    assert.deepEqual(regionOf(page, 'Key work').summary(), { Target: '75%' })
    assert.deepEqual(regionOf(page, /^Super/).summary(), { Target: 'No target set' })
    assert.throws(() => regionOf(page, 'Costs'), /Expected one region named Costs, found 0/)
  })

  it('reads the unit shown after a field by its label', () => {
    assert.equal(page.suffixOf('Set a target'), '%')
    assert.equal(page.suffixOf('Note'), '')
  })
})

describe('readPage, for the whole page and its header', () => {
  const page =
    readPage(`<html lang="cy"><head><title>Rhestr – Waymark</title><script>var page = 'Next'</script></head><body>
<header><nav aria-label="Iaith"><a href="/language/en">English</a></nav>
  <label for="establishmentCode">Y carchar</label>
  <select id="establishmentCode" name="establishmentCode"><option value="HOM" selected>CEF Cartref</option><option value="SEC">CEF Arall</option></select>
</header>
<main><a href="/roll?page=2" aria-current="page">Tudalen nesaf</a></main></body></html>`)

  it('gives every word a reader meets, screen reader labels too, but no script and no attribute’s other values', () => {
    assert.match(page.words(), /Rhestr – Waymark/)
    assert.match(page.words(), /Iaith/)
    assert.match(page.words(), /Tudalen nesaf/)
    assert.doesNotMatch(page.words(), /Next|var|page|roll/)
  })

  it('reads the header’s fields as a page of its own', () => {
    assert.deepEqual(headerOf(page).options('Y carchar'), [
      { text: 'CEF Cartref', value: 'HOM' },
      { text: 'CEF Arall', value: 'SEC' },
    ])
    assert.throws(() => page.options('Y carchar'), /Expected one select labelled Y carchar, found 0/)
    assert.throws(() => headerOf(readPage('<main></main>')), /Expected a header, found none/)
  })
})
