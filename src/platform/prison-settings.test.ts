import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { changedMeanwhile, DrawnField, drawnOf, isAsDrawn, mergedWithStored, settingsForm } from './prison-settings.ts'

/** A prison's escalation times as a page drew them: how long each urgency of concern may wait. */
const drawn = { urgentMinutes: 60, routineHours: 24, names: { low: 'low', high: 'high' } }

describe('a settings form saved after someone else saved the same page', () => {
  it('saves what it sends when nobody saved in between', () => {
    const mine = { ...drawn, urgentMinutes: 45 }
    assert.deepEqual(mergedWithStored(drawnOf(drawn), drawn, mine), mine)
  })

  it('keeps the other save’s change to a setting this form left as drawn', () => {
    const stored = { ...drawn, routineHours: 12 }
    assert.deepEqual(mergedWithStored(drawnOf(drawn), stored, { ...drawn, urgentMinutes: 45 }), {
      ...drawn,
      urgentMinutes: 45,
      routineHours: 12,
    })
  })

  it('saves a setting both changed to the same value', () => {
    const both = { ...drawn, urgentMinutes: 45 }
    assert.deepEqual(mergedWithStored(drawnOf(drawn), both, both), both)
  })

  it('refuses a setting both changed, to different values', () => {
    assert.equal(
      mergedWithStored(drawnOf(drawn), { ...drawn, urgentMinutes: 30 }, { ...drawn, urgentMinutes: 45 }),
      null,
    )
  })

  it('takes a setting of several parts as one: both changing a part of it refuses', () => {
    const stored = { ...drawn, names: { low: 'green', high: 'high' } }
    assert.equal(mergedWithStored(drawnOf(drawn), stored, { ...drawn, names: { low: 'low', high: 'red' } }), null)
  })

  it('compares a setting of several parts whatever the order of its parts', () => {
    const reordered = { ...drawn, names: { high: 'high', low: 'low' } }
    assert.deepEqual(mergedWithStored(drawnOf(drawn), drawn, reordered), reordered)
  })

  it('saves what a form without a drawn copy sends, as a script’s form always did', () => {
    const mine = { ...drawn, urgentMinutes: 45 }
    assert.deepEqual(mergedWithStored(undefined, { ...drawn, routineHours: 12 }, mine), mine)
  })

  it('takes a drawn copy that Waymark did not write as drawn from nothing: any difference from what is stored refuses', () => {
    for (const garbage of ['not json', '[1,2]', 'null', '"text"']) {
      assert.equal(mergedWithStored(garbage, drawn, { ...drawn, urgentMinutes: 45 }), null, garbage)
      assert.deepEqual(mergedWithStored(garbage, drawn, drawn), drawn, garbage)
    }
  })
})

describe('whether the settings are still as a page drew them (a reset)', () => {
  it('is so for the same settings, in any order of their parts, and for a form sent without a copy', () => {
    assert.equal(isAsDrawn(drawnOf(drawn), { ...drawn, names: { high: 'high', low: 'low' } }), true)
    assert.equal(isAsDrawn(undefined, { ...drawn, urgentMinutes: 5 }), true)
  })

  it('is not so once anyone changed a setting, or for a copy Waymark did not write', () => {
    assert.equal(isAsDrawn(drawnOf(drawn), { ...drawn, urgentMinutes: 5 }), false)
    assert.equal(isAsDrawn('not json', drawn), false)
  })

  it('takes a copy sent twice, or too long, as drawn from nothing rather than refusing a field nobody sees', () => {
    assert.equal(DrawnField.parse(['{}', '{}']), '')
    assert.equal(DrawnField.parse('x'.repeat(20_001)), '')
    assert.equal(DrawnField.parse(undefined), undefined)
  })
})

describe('the settings a settings page shows', () => {
  const asForm = (settings: typeof drawn) => ({ urgentMinutes: String(settings.urgentMinutes) })

  it('shows the settings as saved, drawn from them, on a new page', () => {
    assert.deepEqual(settingsForm(drawn, null, asForm), { values: { urgentMinutes: '60' }, drawn: drawnOf(drawn) })
  })

  it('shows what was typed, with the copy it was typed on, when the form is refused for its own answers', () => {
    const sent = { urgentMinutes: 'soon', drawn: '{"urgentMinutes":90}' }
    const errors = [{ field: 'urgentMinutes', text: 'Enter a number', href: '#urgentMinutes' }]
    assert.deepEqual(settingsForm(drawn, { errors, values: sent }, asForm), { values: sent, drawn: sent.drawn })
  })

  it('shows the settings as saved now when the form was refused for someone else’s save', () => {
    const sent = { urgentMinutes: '45', drawn: '{"urgentMinutes":90}' }
    const errors = [{ field: changedMeanwhile.field, text: 'Someone else saved', href: '#settings' }]
    assert.deepEqual(settingsForm(drawn, { errors, values: sent }, asForm), {
      values: { urgentMinutes: '60' },
      drawn: drawnOf(drawn),
    })
  })
})
