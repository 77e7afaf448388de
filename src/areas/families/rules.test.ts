import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  closingNote,
  escalatesAt,
  followUpCodeOf,
  indicatesSelfHarmRisk,
  isEmailAddress,
  isPhoneNumber,
  limitReached,
  matchOf,
  prisonNumberOf,
  urgencyOf,
  WORRIES_PER_ADDRESS_PER_HOUR,
  WORRIES_PER_PRISON_PER_HOUR,
  worryReferenceOf,
  type Candidate,
} from './rules.ts'

const dafydd: Candidate = {
  id: 'p1',
  prisonNumber: 'A1234BC',
  firstName: 'Dafydd',
  lastName: 'Ap Rhys',
  dateOfBirth: '1990-04-17',
}
const otherDafydd: Candidate = { ...dafydd, id: 'p2', prisonNumber: 'B2345CD', dateOfBirth: '1985-01-02' }

describe('matchOf: who a family’s worry is about, only when there is no doubt', () => {
  it('takes the prison number typed when the surname typed is theirs', () => {
    const typed = { personName: 'dafydd ap rhys', dateOfBirth: null, prisonNumber: 'A1234BC' }
    assert.equal(matchOf(typed, [dafydd, otherDafydd])?.id, 'p1')
  })
  it('refuses a prison number whose surname is not the one typed: a mistyped number is matched by hand', () => {
    const typed = { personName: 'Dafydd Jones', dateOfBirth: null, prisonNumber: 'A1234BC' }
    assert.equal(matchOf(typed, [dafydd]), null)
  })
  it('takes the whole name and date of birth, either way round, ignoring case and accents', () => {
    const typed = { personName: 'AP RHYS, Dáfydd', dateOfBirth: '1990-04-17', prisonNumber: null }
    assert.equal(matchOf(typed, [dafydd, otherDafydd])?.id, 'p1')
  })
  it('matches no one when two people fit, or the date of birth is missing or differs', () => {
    const twin = { ...dafydd, id: 'p3', prisonNumber: 'C3456DE' }
    assert.equal(
      matchOf({ personName: 'Dafydd Ap Rhys', dateOfBirth: '1990-04-17', prisonNumber: null }, [dafydd, twin]),
      null,
    )
    assert.equal(matchOf({ personName: 'Dafydd Ap Rhys', dateOfBirth: null, prisonNumber: null }, [dafydd]), null)
    assert.equal(
      matchOf({ personName: 'Dafydd Ap Rhys', dateOfBirth: '1990-04-18', prisonNumber: null }, [dafydd]),
      null,
    )
  })
  it('does not take part of a name for the whole', () => {
    assert.equal(matchOf({ personName: 'Dafydd', dateOfBirth: '1990-04-17', prisonNumber: null }, [dafydd]), null)
  })
})

describe('limitReached', () => {
  it('lets a worry through below both limits', () => {
    assert.equal(limitReached({ fromAddress: WORRIES_PER_ADDRESS_PER_HOUR - 1, atPrison: 0 }), null)
  })
  it('names the address limit first, then the prison’s', () => {
    assert.equal(
      limitReached({ fromAddress: WORRIES_PER_ADDRESS_PER_HOUR, atPrison: WORRIES_PER_PRISON_PER_HOUR }),
      'address',
    )
    assert.equal(limitReached({ fromAddress: 0, atPrison: WORRIES_PER_PRISON_PER_HOUR }), 'prison')
  })
})

describe('what a family types', () => {
  it('reads a prison number with spaces and in lower case, and refuses what is not one', () => {
    assert.equal(prisonNumberOf(' a1234 bc '), 'A1234BC')
    assert.equal(prisonNumberOf('1234'), null)
  })
  it('takes a phone number a person could ring and an email a server could take', () => {
    assert.ok(isPhoneNumber('+44 (0)1632 960 001'))
    assert.ok(!isPhoneNumber('call me'))
    assert.ok(!isPhoneNumber('123'))
    assert.ok(isEmailAddress('mam@example.com'))
    assert.ok(!isEmailAddress('mam at example'))
  })
  it('reads a follow-up code typed without its dashes, in capitals or with spaces as the code it was given', () => {
    for (const typed of ['3wta-yq8k-zjsj', '3wtayq8kzjsj', '3WTAYQ8KZJSJ', ' 3wta yq8k zjsj ', '3WTA - YQ8K - ZJSJ'])
      assert.equal(followUpCodeOf(typed), '3wta-yq8k-zjsj', typed)
    // Too short or too long is left as typed, to match no worry, not padded into someone else's code.
    assert.equal(followUpCodeOf('3wtayq8kzjs'), '3wtayq8kzjs')
    assert.equal(followUpCodeOf('3wtayq8kzjsjx'), '3wtayq8kzjsjx')
  })
  it('reads a reference typed without its dashes, in lower case or with spaces as the reference it was given', () => {
    for (const typed of ['W-3WTA-YQ8K', 'w3wtayq8k', ' w 3wta yq8k ', 'W3WTA-YQ8K'])
      assert.equal(worryReferenceOf(typed), 'W-3WTA-YQ8K', typed)
    assert.equal(worryReferenceOf('3wtayq8k'), '3WTAYQ8K')
  })
})

describe('how a worry is routed', () => {
  it('gives "now" the urgency of an immediate concern, and "this week" one that can wait a day', () => {
    assert.deepEqual(
      ['now', 'today', 'this-week'].map((answer) => urgencyOf(answer as 'now')),
      ['immediate', 'today', 'can-wait'],
    )
  })
  it('escalates a worry no one has matched after the prison’s time for a concern of its urgency', () => {
    const received = new Date('2026-12-05T23:50:00Z')
    const policy = { immediateMinutes: 15, todayMinutes: 240, canWaitMinutes: 1440 }
    assert.deepEqual(
      (['now', 'today', 'this-week'] as const).map((howSoon) => escalatesAt(received, howSoon, policy).toISOString()),
      ['2026-12-06T00:05:00.000Z', '2026-12-06T03:50:00.000Z', '2026-12-06T23:50:00.000Z'],
    )
  })
  it('counts "not sure" about self-harm as a risk, as a concern staff raise does', () => {
    assert.equal(indicatesSelfHarmRisk('not-sure'), true)
    assert.equal(indicatesSelfHarmRisk('no'), false)
  })
})

describe('closingNote: what safer custody write when they close a worry by judgement', () => {
  const rule = { field: 'note', missingKey: 'families.notHeldHere.error.note', max: 10 }
  it('keeps the note without the space around it', () => {
    assert.deepEqual(closingNote('  Not ours \n', rule), { text: 'Not ours' })
  })
  it('refuses a note of spaces alone, beside its field', () => {
    assert.deepEqual(closingNote(' \n ', rule), { field: 'note', messageKey: 'families.notHeldHere.error.note' })
  })
  it('refuses a note over its limit, saying the limit, and takes one at it', () => {
    assert.deepEqual(closingNote('12345678901', rule), {
      field: 'note',
      messageKey: 'families.error.tooLong',
      values: { max: 10 },
    })
    assert.deepEqual(closingNote('1234567890', rule), { text: '1234567890' })
  })
})
