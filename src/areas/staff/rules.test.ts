import { describe, it } from 'node:test'
import type { StaffStatus } from '../../db/schema.ts'
import assert from 'node:assert/strict'
import {
  checkEndDate,
  checkOrganisationForm,
  checkPeerSupporterForm,
  checkStaffSettingsForm,
  checkStatusForm,
  checkSupervisionForm,
  checkTrainingForm,
  dateFromParts,
  hasTrainingGap,
  isOnDuty,
  isTrainingCurrent,
  perHundred,
  supervisionDue,
  trainingState,
  type TrainingState,
} from './rules.ts'
import { addDays } from '../../platform/dates.ts'

const today = '2026-11-25'
const parts = (date: string) => {
  const [year, month, day] = date.split('-')
  return { day, month, year }
}
const blank = { day: '', month: '', year: '' }

describe('addDays', () => {
  it('crosses month and year ends', () => {
    assert.equal(addDays('2026-12-31', 1), '2027-01-01')
    assert.equal(addDays('2026-03-01', -1), '2026-02-28')
    assert.equal(addDays('2028-02-28', 1), '2028-02-29')
  })
})

describe('trainingState', () => {
  const cases: [string, { expiresOn: string | null } | undefined, TrainingState][] = [
    ['no record is missing', undefined, 'missing'],
    ['no expiry date never expires', { expiresOn: null }, 'current'],
    ['expired yesterday is expired', { expiresOn: '2026-11-24' }, 'expired'],
    ['expiring today is still current, and expiring soon', { expiresOn: '2026-11-25' }, 'expiring-soon'],
    ['expiring in 30 days is expiring soon', { expiresOn: '2026-12-25' }, 'expiring-soon'],
    ['expiring in 31 days is current', { expiresOn: '2026-12-26' }, 'current'],
  ]
  for (const [name, latest, expected] of cases)
    it(name, () => {
      assert.equal(trainingState(latest, today), expected)
    })

  it('counts training expiring today as current and training expired yesterday as not', () => {
    assert.equal(isTrainingCurrent(trainingState({ expiresOn: today }, today)), true)
    assert.equal(isTrainingCurrent(trainingState({ expiresOn: '2026-11-24' }, today)), false)
    assert.equal(isTrainingCurrent('missing'), false)
  })
})

describe('hasTrainingGap', () => {
  it('finds expired or missing key training, and training expiring soon, separately', () => {
    assert.equal(hasTrainingGap(['current', 'missing'], 'expired-or-missing'), true)
    assert.equal(hasTrainingGap(['current', 'expired'], 'expired-or-missing'), true)
    assert.equal(hasTrainingGap(['current', 'expiring-soon'], 'expired-or-missing'), false)
    assert.equal(hasTrainingGap(['current', 'expiring-soon'], 'expiring-soon'), true)
    assert.equal(hasTrainingGap(['current', 'expired'], 'expiring-soon'), false)
  })
})

describe('supervisionDue', () => {
  it('is due 8 weeks after the last session and not overdue on that day', () => {
    assert.deepEqual(supervisionDue('2026-09-30', today), { dueOn: '2026-11-25', isOverdue: false })
  })
  it('is overdue the day after it fell due', () => {
    assert.deepEqual(supervisionDue('2026-09-29', today), { dueOn: '2026-11-24', isOverdue: true })
  })
  it('is overdue for someone never supervised', () => {
    assert.deepEqual(supervisionDue(null, today), { dueOn: null, isOverdue: true })
  })
  it('follows a prison’s own interval', () => {
    assert.equal(supervisionDue('2026-10-28', today, 28).isOverdue, false)
    assert.equal(supervisionDue('2026-10-27', today, 28).isOverdue, true)
  })
})

describe('perHundred', () => {
  const cases: [number, number, number | null][] = [
    [3, 150, 2],
    [1, 3, 33.3],
    [2, 3, 66.7],
    [0, 120, 0],
    [4, 0, null],
  ]
  for (const [supporters, people, expected] of cases)
    it(`is ${expected} for ${supporters} supporters among ${people} people`, () => {
      assert.equal(perHundred(supporters, people), expected)
    })
})

describe('dateFromParts', () => {
  const cases: [Record<string, string>, unknown][] = [
    [blank, { kind: 'empty' }],
    [
      { day: '7', month: '3', year: '2026' },
      { kind: 'date', date: '2026-03-07' },
    ],
    [
      { day: '29', month: '2', year: '2028' },
      { kind: 'date', date: '2028-02-29' },
    ],
    [{ day: '29', month: '2', year: '2026' }, { kind: 'invalid' }],
    [{ day: '31', month: '4', year: '2026' }, { kind: 'invalid' }],
    [{ day: '1', month: '13', year: '2026' }, { kind: 'invalid' }],
    [{ day: '1', month: '1', year: '26' }, { kind: 'invalid' }],
    [{ day: '', month: '1', year: '2026' }, { kind: 'invalid' }],
    [{ day: 'x', month: '1', year: '2026' }, { kind: 'invalid' }],
  ]
  for (const [input, expected] of cases)
    it(`reads ${JSON.stringify(input)}`, () => {
      assert.deepEqual(dateFromParts(input), expected)
    })
})

describe('checkTrainingForm', () => {
  const valid = { course: 'safeguarding', completedOn: parts(today), expiresOn: parts('2028-11-25'), isJoint: true }
  const fields = (form: Parameters<typeof checkTrainingForm>[0]) =>
    checkTrainingForm(form, today).problems.map((problem) => `${problem.field}: ${problem.messageKey}`)

  it('accepts a course completed today with a later expiry', () => {
    assert.deepEqual(checkTrainingForm(valid, today).values, {
      course: 'safeguarding',
      completedOn: today,
      expiresOn: '2028-11-25',
      isJoint: true,
    })
  })
  it('accepts a course with no expiry, and one expiring the day it was completed', () => {
    assert.equal(checkTrainingForm({ ...valid, expiresOn: blank }, today).values?.expiresOn, null)
    assert.equal(checkTrainingForm({ ...valid, expiresOn: parts(today) }, today).values?.expiresOn, today)
  })
  it('asks for the course and the completion date', () => {
    assert.deepEqual(fields({ ...valid, course: '', completedOn: blank }), [
      'course: staff.error.course',
      'completedOn: staff.error.completedOnMissing',
    ])
  })
  it('refuses a course completed tomorrow', () => {
    assert.deepEqual(fields({ ...valid, completedOn: parts('2026-11-26') }), [
      'completedOn: staff.error.completedOnFuture',
    ])
  })
  it('refuses an expiry the day before completion', () => {
    assert.deepEqual(fields({ ...valid, completedOn: parts('2026-11-20'), expiresOn: parts('2026-11-19') }), [
      'expiresOn: staff.error.expiresOnBeforeCompleted',
    ])
  })
  it('refuses dates that do not exist', () => {
    assert.deepEqual(
      fields({
        ...valid,
        completedOn: { day: '31', month: '2', year: '2026' },
        expiresOn: { day: '1', month: '', year: '' },
      }),
      ['completedOn: staff.error.completedOnInvalid', 'expiresOn: staff.error.expiresOnInvalid'],
    )
  })
})

describe('checkSupervisionForm', () => {
  const valid = { kind: 'external-clinical', heldOn: parts(today), supervisor: '  Dr Ffion Rees ' }
  it('accepts a session held today, trimming the supervisor’s name', () => {
    assert.deepEqual(checkSupervisionForm(valid, today).values, {
      kind: 'external-clinical',
      heldOn: today,
      supervisor: 'Dr Ffion Rees',
    })
  })
  it('refuses a session held tomorrow, an unknown kind and no supervisor', () => {
    assert.deepEqual(
      checkSupervisionForm({ kind: 'chat', heldOn: parts('2026-11-26'), supervisor: ' ' }, today).problems.map(
        (problem) => problem.field,
      ),
      ['kind', 'heldOn', 'supervisor'],
    )
  })
})

describe('checkStatusForm', () => {
  it('accepts leave with a reactivation date tomorrow and an override', () => {
    assert.deepEqual(
      checkStatusForm({ status: 'annual-leave', reactivationOn: parts('2026-11-26'), caseloadLimit: '4' }, today)
        .values,
      { status: 'annual-leave', reactivationOn: '2026-11-26', caseloadLimit: 4 },
    )
  })
  it('refuses a reactivation date of today, since the person would already be back', () => {
    assert.deepEqual(
      checkStatusForm({ status: 'annual-leave', reactivationOn: parts(today), caseloadLimit: '' }, today).problems,
      [{ field: 'reactivationOn', messageKey: 'staff.error.reactivationOnPast' }],
    )
  })
  it('refuses a reactivation date for someone active', () => {
    assert.deepEqual(
      checkStatusForm({ status: 'active', reactivationOn: parts('2026-12-01'), caseloadLimit: '' }, today).problems,
      [{ field: 'reactivationOn', messageKey: 'staff.error.reactivationOnActive' }],
    )
  })
  const limits: [string, number | null | 'refused'][] = [
    ['', null],
    ['0', 0],
    ['30', 30],
    ['31', 'refused'],
    ['-1', 'refused'],
    ['six', 'refused'],
  ]
  for (const [text, expected] of limits)
    it(`${expected === 'refused' ? 'refuses' : 'accepts'} a caseload limit of ${JSON.stringify(text)}`, () => {
      const outcome = checkStatusForm({ status: 'active', reactivationOn: blank, caseloadLimit: text }, today)
      if (expected === 'refused') assert.equal(outcome.problems[0]?.field, 'caseloadLimit')
      else assert.equal(outcome.values?.caseloadLimit, expected)
    })
})

describe('checkPeerSupporterForm', () => {
  it('accepts a Listener starting today, normalising the prison number', () => {
    assert.deepEqual(
      checkPeerSupporterForm(
        { prisonNumber: ' a1234bc ', scheme: 'listener', wingId: '7', startedOn: parts(today) },
        today,
      ).values,
      { prisonNumber: 'A1234BC', scheme: 'listener', wingId: 7, startedOn: today },
    )
  })
  it('refuses a start tomorrow, a malformed number, no scheme and no wing', () => {
    assert.deepEqual(
      checkPeerSupporterForm(
        { prisonNumber: 'A12', scheme: '', wingId: '', startedOn: parts('2026-11-26') },
        today,
      ).problems.map((problem) => problem.messageKey),
      ['peer.error.prisonNumberInvalid', 'peer.error.scheme', 'peer.error.wing', 'peer.error.startedOnFuture'],
    )
  })
})

describe('checkEndDate', () => {
  it('accepts an end on the start day and on today', () => {
    assert.equal(checkEndDate(parts('2026-11-01'), '2026-11-01', today).date, '2026-11-01')
    assert.equal(checkEndDate(parts(today), '2026-11-01', today).date, today)
  })
  it('refuses an end the day before the start, or tomorrow', () => {
    assert.equal(
      checkEndDate(parts('2026-10-31'), '2026-11-01', today).problems[0]?.messageKey,
      'peer.error.endedOnBeforeStart',
    )
    assert.equal(
      checkEndDate(parts('2026-11-26'), '2026-11-01', today).problems[0]?.messageKey,
      'peer.error.endedOnFuture',
    )
  })
})

describe('isOnDuty', () => {
  const member = (staffStatus: StaffStatus, reactivationOn: string | null = null, isActive = true) => ({
    isActive,
    staffStatus,
    reactivationOn,
  })
  for (const [name, given, expected] of [
    ['counts an active member of staff', member('active'), true],
    ['leaves out someone on annual leave until their reactivation date', member('annual-leave', '2026-11-26'), false],
    ['counts someone again on their reactivation date', member('long-term-absence', today), true],
    ['leaves out someone on leave with no date to come back', member('annual-leave'), false],
    ['leaves out someone inactive, whatever date they have', member('inactive', '2026-11-01'), false],
    ['leaves out a disabled account', member('active', null, false), false],
  ] as const)
    it(name, () => assert.equal(isOnDuty(given, today), expected))
})

describe('checkOrganisationForm', () => {
  it('accepts a charity with its services, tidying the spaces in its name', () => {
    assert.deepEqual(
      checkOrganisationForm({ name: '  The   Samaritans ', kind: 'charity', services: ' Listener scheme ' }, []),
      { values: { name: 'The Samaritans', kind: 'charity', services: 'Listener scheme' }, problems: [] },
    )
  })

  it('refuses a name another organisation has, whatever its capitals and spaces', () => {
    assert.deepEqual(
      checkOrganisationForm({ name: 'change grow  live', kind: 'provider', services: '' }, ['Change Grow Live'])
        .problems,
      [{ field: 'name', messageKey: 'staff.error.organisationNameTaken' }],
    )
  })

  it('names each missing or wrong field', () => {
    assert.deepEqual(checkOrganisationForm({ name: ' ', kind: 'club', services: 'x'.repeat(501) }, []).problems, [
      { field: 'name', messageKey: 'staff.error.organisationName' },
      { field: 'kind', messageKey: 'staff.error.organisationKind' },
      { field: 'services', messageKey: 'staff.error.organisationServices' },
    ])
  })

  it('accepts a name of 120 characters and refuses one of 121', () => {
    assert.equal(checkOrganisationForm({ name: 'a'.repeat(120), kind: 'health', services: '' }, []).problems.length, 0)
    assert.deepEqual(checkOrganisationForm({ name: 'a'.repeat(121), kind: 'health', services: '' }, []).problems, [
      { field: 'name', messageKey: 'staff.error.organisationName' },
    ])
  })
})

describe('checkStaffSettingsForm', () => {
  for (const [given, expected] of [
    ['1', 1],
    ['26', 26],
    [' 8 ', 8],
  ] as const)
    it(`accepts ${given.trim()} weeks`, () =>
      assert.deepEqual(checkStaffSettingsForm({ supervisionIntervalWeeks: given }).values, {
        supervisionIntervalWeeks: expected,
      }))
  for (const given of ['0', '27', '', '4.5', 'eight', '-3'])
    it(`refuses ${JSON.stringify(given)}`, () =>
      assert.deepEqual(checkStaffSettingsForm({ supervisionIntervalWeeks: given }).problems, [
        { field: 'supervisionIntervalWeeks', messageKey: 'staff.error.supervisionInterval' },
      ]))
})
