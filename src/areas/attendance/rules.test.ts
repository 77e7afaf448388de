import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  linesToSave,
  type RegisterLine,
  attendanceFigures,
  completionRate,
  emptyCounts,
  occurrencesBetween,
  periodProblem,
  plannedHours,
  qualityReport,
  activitiesListed,
  ACTIVITIES_LISTED,
  registerProblems,
  sessionDateProblem,
  slotHoursOf,
  timeOutOfCell,
  withTheRestAttended,
} from './rules.ts'

describe('sessionDateProblem', () => {
  it('accepts a Wednesday morning session on a Wednesday that has come', () => {
    assert.equal(sessionDateProblem('WED_AM', '2026-11-25', '2026-11-25'), null)
  })
  it('refuses a Wednesday session on a Thursday', () => {
    assert.equal(sessionDateProblem('WED_AM', '2026-11-26', '2026-11-30')?.messageKey, 'attendance.error.wrongDay')
  })
  it('refuses a session a week ahead', () => {
    assert.equal(sessionDateProblem('WED_AM', '2026-12-02', '2026-11-25')?.messageKey, 'attendance.error.future')
  })
})

describe('withTheRestAttended', () => {
  const blank = (personId: string) => ({ personId, outcome: null, reason: '' })
  const members = ['p1', 'p2', 'p3', 'p4'].map((personId) => ({ personId, isRecorded: false }))
  it('marks everyone left blank as attended', () => {
    assert.deepEqual(
      withTheRestAttended(
        members,
        members.map((member) => blank(member.personId)),
      ).map((entry) => entry.outcome),
      ['attended', 'attended', 'attended', 'attended'],
    )
  })
  it('keeps the outcome chosen for anyone, and leaves a reason typed without an outcome for the officer', () => {
    const entries = [
      { personId: 'p1', outcome: 'refused' as const, reason: 'Would not come out' },
      { personId: 'p2', outcome: 'sick' as const, reason: '' },
      { personId: 'p3', outcome: null, reason: 'At healthcare' },
      blank('p4'),
    ]
    assert.deepEqual(withTheRestAttended(members, entries), [
      entries[0],
      entries[1],
      entries[2],
      { personId: 'p4', outcome: 'attended', reason: '' },
    ])
  })
  it('does not mark someone whose outcome was saved since the page was opened', () => {
    const saved = members.map((member) => ({ ...member, isRecorded: member.personId === 'p2' }))
    assert.deepEqual(
      withTheRestAttended(saved, [blank('p1'), blank('p2')]).map((entry) => entry.outcome),
      ['attended', null, 'attended', 'attended'],
    )
  })
})

describe('linesToSave', () => {
  const line = (outcome: RegisterLine['outcome'], reason = '') => ({ outcome, reason })
  const entry = (personId: string, outcome: RegisterLine['outcome'], reason = '') => ({ personId, outcome, reason })
  it('saves every line where nothing changed since the page was drawn, and a line it did not say it showed', () => {
    const shown = new Map([['a', line('attended')]])
    const sent = [entry('a', 'sick', 'Healthcare'), entry('b', 'attended')]
    assert.deepEqual(linesToSave(sent, shown, new Map([['a', line('attended')]])), { save: sent, changedMeanwhile: [] })
  })
  it('keeps a line someone else changed where the page left it, and refuses it where the page changed it too', () => {
    const shown = new Map([
      ['a', line('attended')],
      ['b', line(null)],
      ['c', line(null)],
    ])
    const now = new Map([
      ['a', line('refused', 'Legal visit')],
      ['b', line('sick', 'Healthcare')],
      ['c', line('attended')],
    ])
    const sent = [entry('a', 'attended'), entry('b', 'refused', 'Would not come'), entry('c', 'attended')]
    assert.deepEqual(linesToSave(sent, shown, now), { save: [], changedMeanwhile: ['b'] })
  })
})

describe('registerProblems', () => {
  const members = [
    { personId: 'p1', name: 'Ann Ash' },
    { personId: 'p2', name: 'Ben Birch' },
  ]
  it('accepts a register with some people left for later', () => {
    assert.deepEqual(registerProblems(members, [{ personId: 'p1', outcome: 'attended', reason: '' }]), [])
  })
  for (const outcome of ['refused', 'clash', 'cancelled', 'suspended'] as const)
    it(`asks for a reason for ${outcome}, naming the person`, () => {
      assert.deepEqual(registerProblems(members, [{ personId: 'p2', outcome, reason: '' }]), [
        { field: 'reason-p2', messageKey: `attendance.error.reason.${outcome}`, values: { name: 'Ben Birch' } },
      ])
    })
  for (const outcome of ['attended', 'sick', 'rest-day'] as const)
    it(`needs no reason for ${outcome}`, () => {
      assert.deepEqual(registerProblems(members, [{ personId: 'p1', outcome, reason: '' }]), [])
    })
  it('refuses a reason typed for someone with no outcome', () => {
    assert.deepEqual(
      registerProblems(members, [
        { personId: 'p1', outcome: 'attended', reason: '' },
        { personId: 'p2', outcome: null, reason: 'Not sure' },
      ]).map((problem) => problem.field),
      ['outcome-p2'],
    )
  })
  it('refuses an empty register', () => {
    assert.equal(registerProblems(members, [])[0]?.messageKey, 'attendance.error.nothingRecorded')
  })
})

describe('attendanceFigures', () => {
  it('leaves cancelled sessions, rest days and suspensions out of the sessions due', () => {
    const counts = { ...emptyCounts(), attended: 6, refused: 2, sick: 2, cancelled: 5, 'rest-day': 1, suspended: 1 }
    const figures = attendanceFigures(counts)
    assert.equal(figures.recorded, 17)
    assert.equal(figures.due, 10)
    assert.equal(figures.attendanceRate, 0.6)
    assert.equal(figures.refusalRate, 0.2)
    assert.equal(figures.cancellationRate, 5 / 17)
  })
  it('has no rate when nobody was due', () => {
    assert.equal(attendanceFigures({ ...emptyCounts(), cancelled: 3 }).attendanceRate, null)
  })
})

describe('completionRate', () => {
  it('is the share of courses ended that were completed', () => {
    assert.equal(completionRate(3, 1), 0.75)
  })
  it('has no rate when no course ended', () => {
    assert.equal(completionRate(0, 0), null)
  })
})

describe('occurrencesBetween', () => {
  const cases: [string, string, string, number][] = [
    ['WED_AM', '2026-11-25', '2026-11-25', 1],
    ['THU_AM', '2026-11-25', '2026-11-25', 0],
    ['MON_AM', '2026-11-16', '2026-11-22', 1],
    ['MON_AM', '2026-11-17', '2026-11-23', 1],
    ['MON_AM', '2026-11-17', '2026-11-22', 0],
    ['SUN_ED', '2026-11-01', '2026-11-30', 5],
    ['MON_AM', '2026-11-30', '2026-11-01', 0],
  ]
  for (const [slot, from, to, count] of cases)
    it(`counts ${count} ${slot} from ${from} to ${to}`, () => {
      assert.equal(occurrencesBetween(slot, from, to), count)
    })
})

describe('slotHoursOf', () => {
  it('takes the prison’s own times, and the usual length for a slot it has not timed', () => {
    const timed = new Map([['MON_AM', 2.5]])
    assert.equal(slotHoursOf('MON_AM', timed), 2.5)
    assert.equal(slotHoursOf('MON_ED', timed), 2)
    assert.equal(slotHoursOf('SAT_PM', timed), 3)
  })
})

describe('plannedHours', () => {
  it('counts only the sessions while the person was in the group', () => {
    const hours = plannedHours(
      [{ personId: 'p', slots: ['MON_AM', 'WED_AM'], startsOn: '2026-11-18', endsOn: '2026-11-23' }],
      new Map(),
      '2026-11-16',
      '2026-11-29',
    )
    // Wednesday 18 and Monday 23: two sessions of three hours.
    assert.equal(hours.get('p'), 6)
  })
})

describe('qualityReport', () => {
  const activities = [
    {
      activityId: 'a1',
      activityCode: 'EDU',
      activityName: 'English',
      category: 'education',
      providerOrganisationId: null,
      providerName: null,
    },
    {
      activityId: 'a2',
      activityCode: 'ART',
      activityName: 'Art',
      category: 'therapeutic',
      providerOrganisationId: 'o1',
      providerName: 'Arts charity',
    },
    {
      activityId: 'a3',
      activityCode: 'GYM',
      activityName: 'Gym',
      category: 'gym',
      providerOrganisationId: null,
      providerName: null,
    },
  ]
  it('gives each activity its figures, adds them up by provider with the prison first, and leaves out the silent', () => {
    const report = qualityReport(
      activities,
      [
        { activityId: 'a1', outcome: 'attended', count: 3 },
        { activityId: 'a1', outcome: 'refused', count: 1 },
        { activityId: 'a2', outcome: 'attended', count: 4 },
      ],
      [{ activityId: 'a2', outcome: 'completed', count: 2 }],
      [
        { activityId: 'a2', rating: 5 },
        { activityId: 'a2', rating: 3 },
      ],
    )
    assert.deepEqual(
      report.activities.map((row) => [row.activityName, row.figures.attendanceRate]),
      [
        ['English', 0.75],
        ['Art', 1],
      ],
    )
    assert.deepEqual(
      report.providers.map((row) => [
        row.providerName,
        row.figures.due,
        row.figures.completionRate,
        row.figures.meanRating,
      ]),
      [
        [null, 4, null, null],
        ['Arts charity', 4, 1, 4],
      ],
    )
    assert.equal(report.prison.attendanceRate, 7 / 8)
  })
})

describe('timeOutOfCell', () => {
  it('counts people with nothing planned at nought hours, per week', () => {
    const people = ['p1', 'p2'].map((personId) => ({
      personId,
      prisonNumber: personId,
      firstName: 'A',
      lastName: personId,
      wingName: null,
      cohort: 'mainstream',
    }))
    const result = timeOutOfCell(
      people,
      [{ personId: 'p1', slots: ['MON_AM'], startsOn: '2026-01-01', endsOn: null }],
      [{ personId: 'p1', slot: 'MON_AM', count: 1 }],
      new Map(),
      { from: '2026-11-16', to: '2026-11-29' },
    )
    assert.deepEqual(
      result.rows.map((row) => [row.personId, row.plannedHoursPerWeek, row.attendedHoursPerWeek]),
      [
        ['p1', 3, 1.5],
        ['p2', 0, 0],
      ],
    )
    assert.equal(result.withNonePlanned, 1)
    assert.equal(result.meanAttended, 0.75)
  })
})

describe('periodProblem', () => {
  it('accepts four weeks to today', () => {
    assert.equal(periodProblem({ from: '2026-10-29', to: '2026-11-25' }, '2026-11-25'), null)
  })
  it('refuses a period ending tomorrow', () => {
    assert.equal(periodProblem({ from: '2026-10-29', to: '2026-11-26' }, '2026-11-25')?.field, 'to')
  })
  it('refuses a period of more than a year', () => {
    assert.equal(periodProblem({ from: '2025-11-01', to: '2026-11-25' }, '2026-11-25')?.field, 'from')
  })
})

describe('activitiesListed', () => {
  const activity = (name: string, providerOrganisationId: string | null, attendanceRate: number | null) => ({
    activityName: name,
    providerOrganisationId,
    figures: { attendanceRate },
  })
  const names = (listed: { shown: { activityName: string }[] }) => listed.shown.map((shown) => shown.activityName)

  it('lists every activity, in the order given, while there are no more than it lists', () => {
    const few = [activity('Art', null, 0.9), activity('Gym', 'org-1', 0.4), activity('Maths', null, null)]
    assert.deepEqual(names(activitiesListed(few, null)), ['Art', 'Gym', 'Maths'])
    assert.equal(activitiesListed(few, null).of, 'all')
  })

  it('lists the lowest attendance first when there are more, those nobody was due at last, ties in the order given', () => {
    const many = Array.from({ length: ACTIVITIES_LISTED + 5 }, (_, n) =>
      activity(`Activity ${String.fromCharCode(65 + n)}`, null, n === 3 ? null : n < 5 ? 0.5 : 0.9 - n / 100),
    )
    const listed = activitiesListed(many, null)
    assert.equal(listed.of, 'lowest-attendance')
    assert.equal(listed.shown.length, ACTIVITIES_LISTED)
    // A to E at 50% (ties in the order given, D left out: nobody was due at it), then from 66% (Y) up to 75% (J).
    assert.deepEqual(names(listed).slice(0, 6), [
      'Activity A',
      'Activity B',
      'Activity C',
      'Activity E',
      'Activity Y',
      'Activity X',
    ])
    assert.equal(names(listed).at(-1), 'Activity J')
    assert.ok(!names(listed).includes('Activity D'))
  })

  it('lists all of one provider’s activities, the prison’s own or a partner’s, however many there are', () => {
    const many = Array.from({ length: 30 }, (_, n) => activity(`Activity ${n}`, n % 3 === 0 ? 'org-1' : null, 0.5))
    const partner = activitiesListed(many, { providerOrganisationId: 'org-1' })
    assert.deepEqual([partner.of, partner.shown.length], ['provider', 10])
    assert.equal(activitiesListed(many, { providerOrganisationId: null }).shown.length, 20)
    assert.equal(activitiesListed(many, { providerOrganisationId: 'org-2' }).shown.length, 0)
  })
})
