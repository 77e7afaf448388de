import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { NotFound } from '../../platform/errors.ts'
import { addDays } from '../../platform/dates.ts'
import type { Db } from '../../db/database.ts'
import type { AttendanceOutcome } from '../../db/schema.ts'
import { dayOf, mean, timeOutOfCell, type Period } from './rules.ts'
import { slotHours } from './store.ts'
import * as store from './store/reports.ts'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenEstablishment, givenPerson, givenPrisonWithStaff } from '../../../test/support/builders.ts'
import { auditTrailOf } from '../../../test/support/audit-trail.ts'
import {
  givenActivity,
  givenActivityAllocation,
  givenAttendance,
  givenRegimeSlots,
} from '../../../test/support/attendance-builders.ts'

// A Wednesday.
const today = '2026-11-25'

describeServicesOnEachEngine('the attendance service', `${today}T15:00:00Z`, ({ database, services }) => {
  const home = arrangedBefore(() => givenPrisonWithStaff(database.db, { officer: 'officer' }))

  const rowsOf = (groupId: string) =>
    database.db
      .selectFrom('attendance')
      .select(['person_id as personId', 'outcome', 'reason', 'session_on as sessionOn', 'slot'])
      .where('group_id', '=', groupId)
      .orderBy('person_id')
      .execute()
  const auditActions = (actorId: string) => auditTrailOf(database.db, { actorId })

  describe('sessionsOn', () => {
    it('lists the groups meeting on the day by part of the day, with who is on them and how many are recorded', async () => {
      const { manager, ...prison } = await givenPrisonWithStaff(database.db, { manager: 'activities' })
      const maths = await givenActivity(database.db, prison.code, {
        name: 'Maths level 1',
        groups: [{ slots: ['WED_AM', 'FRI_AM'] }, { slots: ['THU_PM'] }],
      })
      const gym = await givenActivity(database.db, prison.code, { name: 'Gym', groups: [{ slots: ['WED_ED'] }] })
      const first = await givenPerson(database.db, prison.code)
      const second = await givenPerson(database.db, prison.code)
      await givenActivityAllocation(database.db, first.id, maths.groups[0].id)
      await givenActivityAllocation(database.db, second.id, maths.groups[0].id, '2026-10-01', '2026-11-01')
      await givenAttendance(database.db, [
        { personId: first.id, groupId: maths.groups[0].id, sessionOn: today, slot: 'WED_AM', outcome: 'attended' },
      ])

      const day = await services.attendance.sessionsOn(manager, today)

      assert.deepEqual(
        day.parts.map((part) => [part.slot, part.sessions.map((s) => [s.activityName, s.members, s.recorded])]),
        [
          ['WED_AM', [['Maths level 1', 1, 1]]],
          ['WED_PM', []],
          ['WED_ED', [['Gym', 0, 0]]],
        ],
      )
      assert.equal(gym.groups.length, 1)
    })
  })

  describe('recordSession', () => {
    it('saves the whole register in one go and audits the session without naming anyone', async () => {
      const art = await givenActivity(database.db, home.code, { groups: [{ slots: ['WED_PM'] }] })
      const group = art.groups[0]
      const attender = await givenPerson(database.db, home.code, { lastName: 'Adeyemi' })
      const refuser = await givenPerson(database.db, home.code, { lastName: 'Brown' })
      await givenActivityAllocation(database.db, attender.id, group.id)
      await givenActivityAllocation(database.db, refuser.id, group.id)

      const problems = await services.attendance.recordSession(home.officer, group.id, today, 'WED_PM', [
        { personId: attender.id, outcome: 'attended', reason: '' },
        { personId: refuser.id, outcome: 'refused', reason: 'Said he would rather go to the gym' },
      ])

      assert.deepEqual(problems, [])
      const rows = await rowsOf(group.id)
      assert.deepEqual(
        rows.map((row) => [row.personId, row.outcome, row.reason, row.sessionOn, row.slot]).sort(),
        [
          [attender.id, 'attended', '', today, 'WED_PM'],
          [refuser.id, 'refused', 'Said he would rather go to the gym', today, 'WED_PM'],
        ].sort(),
      )
      const recorded = (await auditActions(home.officer.id)).filter((entry) => entry.action === 'attendance.recorded')
      assert.equal(recorded.length, 1)
      assert.deepEqual(recorded[0].details, {
        groupId: group.id,
        sessionOn: today,
        slot: 'WED_PM',
        people: 2,
        attended: 1,
      })
    })

    it('refuses a refusal without a reason, naming the person, and saves nobody’s line', async () => {
      const cookery = await givenActivity(database.db, home.code, { groups: [{ slots: ['WED_AM'] }] })
      const group = cookery.groups[0]
      const attender = await givenPerson(database.db, home.code)
      const refuser = await givenPerson(database.db, home.code, { firstName: 'Dale', lastName: 'Evans' })
      await givenActivityAllocation(database.db, attender.id, group.id)
      await givenActivityAllocation(database.db, refuser.id, group.id)

      const problems = await services.attendance.recordSession(home.officer, group.id, today, 'WED_AM', [
        { personId: attender.id, outcome: 'attended', reason: '' },
        { personId: refuser.id, outcome: 'refused', reason: '' },
      ])

      assert.deepEqual(problems, [
        {
          field: `reason-${refuser.id}`,
          messageKey: 'attendance.error.reason.refused',
          values: { name: 'Dale Evans' },
        },
      ])
      assert.deepEqual(await rowsOf(group.id), [])
    })

    it('corrects a line recorded before rather than adding a second one', async () => {
      const gym = await givenActivity(database.db, home.code, { groups: [{ slots: ['WED_ED'] }] })
      const group = gym.groups[0]
      const person = await givenPerson(database.db, home.code)
      await givenActivityAllocation(database.db, person.id, group.id)

      await services.attendance.recordSession(home.officer, group.id, today, 'WED_ED', [
        { personId: person.id, outcome: 'sick', reason: '' },
      ])
      await services.attendance.recordSession(home.officer, group.id, today, 'WED_ED', [
        { personId: person.id, outcome: 'attended', reason: '' },
      ])

      assert.deepEqual(
        (await rowsOf(group.id)).map((row) => row.outcome),
        ['attended'],
      )
    })

    it('refuses a session that has not happened yet', async () => {
      const woodwork = await givenActivity(database.db, home.code, { groups: [{ slots: ['WED_AM'] }] })
      const person = await givenPerson(database.db, home.code)
      await givenActivityAllocation(database.db, person.id, woodwork.groups[0].id)

      const problems = await services.attendance.recordSession(
        home.officer,
        woodwork.groups[0].id,
        '2026-12-02',
        'WED_AM',
        [{ personId: person.id, outcome: 'attended', reason: '' }],
      )

      assert.deepEqual(problems, [{ field: 'sessionOn', messageKey: 'attendance.error.future', values: {} }])
      assert.deepEqual(await rowsOf(woodwork.groups[0].id), [])
    })

    it('treats a group at another prison, or a slot the group does not meet in, as not found', async () => {
      const elsewhere = await givenEstablishment(database.db)
      const theirs = await givenActivity(database.db, elsewhere.code, { groups: [{ slots: ['WED_AM'] }] })
      const ours = await givenActivity(database.db, home.code, { groups: [{ slots: ['WED_AM'] }] })

      await assert.rejects(
        services.attendance.viewRegister(home.officer, theirs.groups[0].id, today, 'WED_AM'),
        NotFound,
      )
      await assert.rejects(services.attendance.viewRegister(home.officer, ours.groups[0].id, today, 'WED_PM'), NotFound)
      await assert.rejects(
        services.attendance.viewRegister(home.officer, ours.groups[0].id, '2026-11-24', 'WED_AM'),
        NotFound,
      )
    })
  })

  describe('recordCompletion and recordFeedback', () => {
    it('records how a course ended and the person’s rating, and shows both on their activities', async () => {
      const course = await givenActivity(database.db, home.code, { name: 'Victim awareness' })
      const person = await givenPerson(database.db, home.code)
      await givenActivityAllocation(database.db, person.id, course.groups[0].id)

      assert.deepEqual(
        await services.attendance.recordCompletion(home.officer, person.prisonNumber, {
          activityId: course.id,
          outcome: 'completed',
          reason: '',
          finishedOn: '2026-11-20',
        }),
        [],
      )
      assert.deepEqual(
        await services.attendance.recordFeedback(home.officer, person.prisonNumber, {
          activityId: course.id,
          rating: 4,
          comment: 'Made me think about my family',
          givenOn: today,
        }),
        [],
      )

      const view = await services.attendance.viewPersonActivities(home.officer, person.prisonNumber)
      assert.equal(view.activities.length, 1)
      assert.equal(view.activities[0].completion?.outcome, 'completed')
      assert.equal(view.activities[0].meanRating, 4)
      assert.equal(view.feedback[0].comment, 'Made me think about my family')
    })

    it('refuses leaving a course early without a reason and an activity of another prison', async () => {
      const elsewhere = await givenEstablishment(database.db)
      const theirs = await givenActivity(database.db, elsewhere.code)
      const person = await givenPerson(database.db, home.code)

      const problems = await services.attendance.recordCompletion(home.officer, person.prisonNumber, {
        activityId: theirs.id,
        outcome: 'not-completed',
        reason: '',
        finishedOn: today,
      })

      assert.deepEqual(
        problems.map((problem) => problem.field),
        ['activityId', 'reason'],
      )
      const saved = await database.db
        .selectFrom('activity_completion')
        .select('id')
        .where('person_id', '=', person.id)
        .execute()
      assert.deepEqual(saved, [])
    })
  })

  describe('viewReports', () => {
    it('gives attendance, completion and feedback per activity and provider, and hours out of cell per person', async () => {
      const { governor, ...prison } = await givenPrisonWithStaff(database.db, { governor: 'governor' })
      await givenRegimeSlots(database.db, prison.code, { MON_AM: ['08:30', '11:30'], WED_AM: ['08:30', '11:00'] })
      const partner = await database.db
        .insertInto('organisation')
        .values({ name: `Shannon Trust ${prison.code}`, kind: 'charity' })
        .returning('id')
        .executeTakeFirstOrThrow()
      const reading = await givenActivity(database.db, prison.code, {
        name: 'Reading plan',
        providerOrganisationId: partner.id,
        groups: [{ slots: ['MON_AM', 'WED_AM'] }],
      })
      const group = reading.groups[0]
      const keen = await givenPerson(database.db, prison.code, { lastName: 'Keen', cellId: prison.cellId })
      const reluctant = await givenPerson(database.db, prison.code, { lastName: 'Reluctant' })
      const idle = await givenPerson(database.db, prison.code, { lastName: 'Idle' })
      await givenActivityAllocation(database.db, keen.id, group.id, '2026-11-01')
      await givenActivityAllocation(database.db, reluctant.id, group.id, '2026-11-01')
      // Monday 16 and Wednesday 18 November: Keen attends both, Reluctant refuses one and the other is cancelled.
      await givenAttendance(database.db, [
        { personId: keen.id, groupId: group.id, sessionOn: '2026-11-16', slot: 'MON_AM', outcome: 'attended' },
        { personId: keen.id, groupId: group.id, sessionOn: '2026-11-18', slot: 'WED_AM', outcome: 'attended' },
        { personId: reluctant.id, groupId: group.id, sessionOn: '2026-11-16', slot: 'MON_AM', outcome: 'refused' },
        { personId: reluctant.id, groupId: group.id, sessionOn: '2026-11-18', slot: 'WED_AM', outcome: 'cancelled' },
      ])
      await database.db
        .insertInto('activity_feedback')
        .values([
          { person_id: keen.id, activity_id: reading.id, rating: 5, given_on: '2026-11-18', recorded_at: new Date() },
          {
            person_id: reluctant.id,
            activity_id: reading.id,
            rating: 2,
            given_on: '2026-11-18',
            recorded_at: new Date(),
          },
        ])
        .execute()

      // One week: Monday 16 to Sunday 22 November.
      const report = await services.attendance.viewReports(governor, { from: '2026-11-16', to: '2026-11-22' })

      const row = report.quality.activities.find((activity) => activity.activityName === 'Reading plan')!
      assert.equal(row.figures.due, 3)
      assert.equal(row.figures.attendanceRate, 2 / 3)
      assert.equal(row.figures.refusalRate, 1 / 3)
      assert.equal(row.figures.cancellationRate, 1 / 4)
      assert.equal(row.figures.meanRating, 3.5)
      assert.deepEqual(
        report.quality.providers.map((provider) => [provider.providerName, provider.activities]),
        [[`Shannon Trust ${prison.code}`, 1]],
      )
      // Planned: 3 h on Monday and 2.5 h on Wednesday for each of the two; attended: Keen both, Reluctant none.
      assert.equal(report.time.meanPlanned, (5.5 + 5.5 + 0) / 3)
      assert.equal(report.time.meanAttended, 5.5 / 3)
      assert.equal(report.time.withNoneAttended, 2)
      // Of the two who attended nothing, Reluctant was meant to go: first.
      assert.deepEqual(
        report.time.fewest.map((person) => person.lastName),
        ['Reluctant', 'Idle', 'Keen'],
      )
      assert.equal(idle.prisonNumber.length, 7)

      const csv = await services.attendance.timeOutOfCellCsv(governor, { from: '2026-11-16', to: '2026-11-22' })
      assert.match(csv, new RegExp(`${keen.prisonNumber},Keen,Test,A wing,mainstream,5.5,5.5\\r\\n`))
    })

    it('counts the people on the roll in the period only: someone received after it is not among them', async () => {
      const { governor, ...prison } = await givenPrisonWithStaff(database.db, { governor: 'governor' })
      const before = await givenPerson(database.db, prison.code)
      const after = await givenPerson(database.db, prison.code)
      await database.db.updateTable('person').set({ reception_on: '2026-11-20' }).where('id', '=', after.id).execute()
      const week = await services.attendance.viewReports(governor, { from: '2026-11-09', to: '2026-11-15' })
      assert.equal(week.time.people, 1)
      assert.deepEqual(
        week.time.fewest.map((person) => person.personId),
        [before.id],
      )
      assert.equal(
        (await services.attendance.viewReports(governor, { from: '2026-11-16', to: '2026-11-22' })).time.people,
        2,
      )
    })
  })

  describe('outcomesByPerson', () => {
    it('gives each person the hours out of cell of the time out of cell report and the mean of their ratings, as before', async () => {
      const db = database.db
      const prison = await givenPrisonWithStaff(db, { governor: 'governor' })
      const elsewhere = await givenPrisonWithStaff(db, { governor: 'governor' })
      // Timed slots of several lengths, and slots the prison has not timed, which count their usual hours.
      await givenRegimeSlots(db, prison.code, {
        MON_AM: ['08:30', '11:45'],
        MON_PM: ['13:45', '16:30'],
        TUE_ED: ['17:30', '19:30'],
        WED_AM: ['08:30', '11:00'],
      })
      const education = await givenActivity(db, prison.code, { groups: [{ slots: ['MON_AM', 'WED_AM', 'THU_PM'] }] })
      const gym = await givenActivity(db, prison.code, {
        groups: [{ slots: ['MON_PM', 'TUE_ED', 'FRI_ED', 'SAT_AM'] }],
      })
      const theirs = await givenActivity(db, elsewhere.code, { groups: [{ slots: ['MON_AM'] }] })
      const groups = [education.groups[0], gym.groups[0]]
      const outcomes: AttendanceOutcome[] = ['attended', 'attended', 'refused', 'attended', 'cancelled', 'sick']
      const people: string[] = []
      for (let index = 0; index < 24; index += 1) {
        const person = await givenPerson(db, index === 23 ? elsewhere.code : prison.code)
        people.push(person.id)
        // Some in one group, some in both, some in none; sessions from before the period to today.
        const theirGroups = groups.filter((_, group) => (index + group) % 3 !== 0)
        const rows = []
        for (let day = 0; day < 40; day += 1) {
          const sessionOn = addDays(today, -day)
          for (const group of theirGroups)
            for (const slot of group.slots.filter((slot) => slot.startsWith(dayOf(sessionOn))))
              rows.push({
                personId: person.id,
                groupId: group.id,
                sessionOn,
                slot,
                outcome: outcomes[(index * 7 + day) % 6],
              })
        }
        await givenAttendance(db, rows)
        // Ratings of 1 to 5, none to three a person, some before the period and some at another prison's activity.
        for (let rating = 0; rating < index % 4; rating += 1)
          await givenFeedback(
            db,
            person.id,
            (index + rating) % 2 === 0 ? education.id : gym.id,
            1 + ((index * 3 + rating) % 5),
            addDays(today, -((index * 5 + rating * 11) % 40)),
          )
        if (index % 5 === 0) await givenFeedback(db, person.id, theirs.id, 1, today)
      }
      // One who came after the past week below: in neither way's figures for that week.
      await db.updateTable('person').set({ reception_on: '2026-11-20' }).where('id', '=', people[1]).execute()

      const scores: number[] = []
      for (const period of [
        { from: addDays(today, -27), to: today },
        { from: '2026-11-09', to: '2026-11-15' },
      ]) {
        const now = await services.attendance.outcomesByPerson(prison.code, period)
        const before = await outcomesTheOldWay(db, prison.code, period)
        // Before, everyone on the roll had hours, nought included; now only those who attended: nought is left out.
        assert.deepEqual(
          [...before.hoursOutOfCell].map(([personId]) => [personId, now.hoursOutOfCell.get(personId) ?? 0]),
          [...before.hoursOutOfCell],
        )
        assert.ok([...now.hoursOutOfCell.keys()].every((personId) => before.hoursOutOfCell.has(personId)))
        assert.deepEqual(sorted(now.feedbackScore), sorted(before.feedbackScore))
        // A roll that tells them apart: hours for most, and means that are not whole numbers.
        assert.ok(now.hoursOutOfCell.size >= 10, `${now.hoursOutOfCell.size} with hours`)
        scores.push(...now.feedbackScore.values())
      }
      assert.ok(scores.some((score) => !Number.isInteger(score)))
      // Came after that week, though their sessions in it are recorded: left out of it, and counted since.
      const cameAfter = (period: Period) =>
        services.attendance
          .outcomesByPerson(prison.code, period)
          .then((figures) => figures.hoursOutOfCell.has(people[1]))
      assert.equal(await cameAfter({ from: '2026-11-09', to: '2026-11-15' }), false)
      assert.equal(await cameAfter({ from: '2026-11-16', to: '2026-11-22' }), true)
    })
  })
})

/**
 * The equality figures' hours and ratings as they were read before: the whole time out of cell report (everyone's
 * planned and attended hours, named), and every rating, averaged here.
 */
async function outcomesTheOldWay(db: Db, establishmentCode: string, period: Period) {
  const [everyone, allocations, attended, timed] = await Promise.all([
    store.peopleAt(db, establishmentCode, period.to),
    store.allocationsOverlapping(db, establishmentCode, period.from, period.to),
    store.attendedSlots(db, establishmentCode, period.from, period.to),
    slotHours(db, establishmentCode),
  ])
  const time = timeOutOfCell(everyone, allocations, attended, timed, period)
  const ratings = await db
    .selectFrom('activity_feedback as f')
    .innerJoin('activity as a', 'a.id', 'f.activity_id')
    .select(['f.person_id as personId', 'f.rating'])
    .where('a.establishment_code', '=', establishmentCode)
    .where('f.given_on', '>=', period.from)
    .where('f.given_on', '<=', period.to)
    .execute()
  const given = new Map<string, number[]>()
  for (const row of ratings) given.set(row.personId, [...(given.get(row.personId) ?? []), row.rating])
  return {
    hoursOutOfCell: new Map(time.rows.map((row) => [row.personId, row.attendedHoursPerWeek])),
    feedbackScore: new Map([...given].map(([personId, values]) => [personId, mean(values) ?? 0])),
  }
}

function sorted(figures: ReadonlyMap<string, number>) {
  return [...figures].sort(([a], [b]) => a.localeCompare(b))
}

async function givenFeedback(db: Db, personId: string, activityId: string, rating: number, givenOn: string) {
  await db
    .insertInto('activity_feedback')
    .values({ person_id: personId, activity_id: activityId, rating, given_on: givenOn, recorded_at: new Date() })
    .execute()
}
