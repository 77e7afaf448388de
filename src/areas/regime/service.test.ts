import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServices } from '../../app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { NotFound } from '../../platform/errors.ts'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenEstablishment, givenPerson, givenPrisonWithStaff } from '../../../test/support/builders.ts'
import { givenActivity, givenUsableDay, settledAnswers } from '../../../test/support/regime-builders.ts'
import { givenOrganisation } from '../../../test/support/staff-builders.ts'
import { defaultFrameworks, wantWeight, type ActivityInput } from './rules.ts'
import type { AssessmentInput, NonAssociationInput } from './service.ts'

/** A reception assessment of a settled person with no wishes, but for what a test says. */
const assessment = (more: Partial<AssessmentInput> = {}): AssessmentInput => ({
  kind: 'reception',
  answers: settledAnswers,
  healthContact: '',
  wishes: '',
  wishedActivityIds: [],
  ...more,
})

describeServicesOnEachEngine('the regime service', '2026-11-25T09:00:00Z', ({ database, services }) => {
  const home = arrangedBefore(() =>
    givenPrisonWithStaff(database.db, { manager: 'activities', officer: 'officer' }, { function: 'reception' }),
  )
  const elsewhere = arrangedBefore(() => givenEstablishment(database.db))

  const auditOf = (action: string) =>
    database.db.selectFrom('audit_event').selectAll().where('action', '=', action).execute()

  before(async () => {
    await givenUsableDay(database.db, home.code, ['MON_AM', 'TUE_AM', 'WED_AM', 'THU_PM'])
  })

  describe('the offer', () => {
    /** An activity the prison runs itself, for groups, with no description, but for what a test says. */
    const activity = (more: Pick<ActivityInput, 'code' | 'name' | 'category'> & Partial<ActivityInput>) => ({
      providerOrganisationId: null,
      deliveryMode: 'group' as const,
      description: '',
      ...more,
    })

    it('adds an activity with the needs it meets, and audits it', async () => {
      const refusals = await services.regime.addActivity(
        home.manager,
        activity({ code: 'INT-SUB-1', name: 'Substance misuse group', category: 'intervention' }),
        ['substance-misuse'],
      )
      assert.deepEqual(refusals, [])
      const view = await services.regime.viewActivity(home.manager, 'INT-SUB-1')
      assert.equal(view.activity.name, 'Substance misuse group')
      assert.deepEqual(view.needs, ['substance-misuse'])
      assert.equal((await auditOf('regime.activity-added')).length, 1)
    })

    it('adds and changes an activity run by a partner organisation, on the embedded database as on a server', async () => {
      const provider = await givenOrganisation(database.db, 'provider')
      const activity = {
        name: 'Barista training',
        category: 'work' as const,
        providerOrganisationId: provider,
        deliveryMode: 'group' as const,
        description: '',
      }
      // PGlite has one connection: a read outside the transaction would wait for it for ever.
      const answered = (work: Promise<unknown>) =>
        Promise.race([
          work,
          new Promise((_resolve, reject) =>
            setTimeout(() => reject(new Error('no answer in 20 seconds')), 20_000).unref(),
          ),
        ])
      assert.deepEqual(
        await answered(services.regime.addActivity(home.manager, { code: 'WRK-BAR-1', ...activity }, [])),
        [],
      )
      assert.deepEqual(
        await answered(
          services.regime.editActivity(home.manager, 'WRK-BAR-1', { ...activity, name: 'Barista skills' }, []),
        ),
        [],
      )
      assert.equal((await services.regime.viewActivity(home.manager, 'WRK-BAR-1')).activity.name, 'Barista skills')
    })

    it('refuses a second activity with the same code and saves nothing', async () => {
      const refusals = await services.regime.addActivity(
        home.manager,
        activity({ code: 'INT-SUB-1', name: 'Again', category: 'work' }),
        [],
      )
      assert.deepEqual(
        refusals.map((r) => r.messageKey),
        ['regime.activity.error.duplicate'],
      )
      const { activities } = await services.regime.viewOffer(home.manager, {})
      assert.equal(activities.filter((a) => a.code === 'INT-SUB-1').length, 1)
    })

    it('adds a group of six to ten in the usable day, which the allocator will call INT-SUB-1/a', async () => {
      const refusals = await services.regime.addGroup(home.manager, 'INT-SUB-1', {
        code: 'a',
        location: 'Healthcare centre, group room',
        slots: ['MON_AM', 'WED_AM'],
        capacity: 10,
        minSize: 6,
        cohorts: ['mainstream'],
      })
      assert.deepEqual(refusals, [])
      const view = await services.regime.viewActivity(home.manager, 'INT-SUB-1')
      assert.deepEqual(
        view.groups.map((g) => [g.allocatorId, g.capacity, g.minSize, g.cohorts]),
        [['INT-SUB-1/a', 10, 6, ['mainstream']]],
      )
    })

    it('refuses a group whose minimum is above its capacity, or that meets on a Saturday evening the prison does not run', async () => {
      const refusals = await services.regime.addGroup(home.manager, 'INT-SUB-1', {
        code: 'b',
        location: '',
        slots: ['SAT_ED'],
        capacity: 4,
        minSize: 6,
        cohorts: [],
      })
      assert.deepEqual(refusals.map((r) => r.field).sort(), ['minSize', 'slots'])
      const view = await services.regime.viewActivity(home.manager, 'INT-SUB-1')
      assert.equal(view.groups.length, 1)
    })

    it('will not take a slot out of the usable day while a group meets in it', async () => {
      const refusals = await services.regime.saveUsableDay(home.manager, [
        { slot: 'MON_AM', startsAt: '08:30', endsAt: '11:45' },
      ])
      assert.equal(refusals[0]?.messageKey, 'regime.usableDay.error.inUse')
      assert.match(String(refusals[0]?.values?.groups), /INT-SUB-1\/a/)
      assert.equal((await services.regime.viewUsableDay(home.manager)).usableDay.length, 4)
    })

    it('does not add a group in a slot taken out of the usable day at the same moment', async () => {
      const prison = await givenPrisonWithStaff(database.db, { manager: 'activities' })
      await givenUsableDay(database.db, prison.code, ['MON_AM', 'MON_PM'])
      await givenActivity(database.db, prison.code, { code: 'EDU-ART', name: 'Art', groups: [] })
      await Promise.all([
        services.regime.saveUsableDay(prison.manager, [{ slot: 'MON_AM', startsAt: '08:30', endsAt: '11:45' }]),
        services.regime.addGroup(prison.manager, 'EDU-ART', {
          code: 'a',
          location: 'Education block',
          slots: ['MON_PM'],
          capacity: 8,
          minSize: 2,
          cohorts: [],
        }),
      ])
      const day = (await services.regime.viewUsableDay(prison.manager)).usableDay.map((slot) => slot.slot)
      const groups = (await services.regime.viewActivity(prison.manager, 'EDU-ART')).groups
      assert.ok(day.includes('MON_PM') || groups.length === 0, `day ${day.join(' ')}, ${groups.length} group`)
    })

    it('adds an evening to the usable day', async () => {
      const { usableDay } = await services.regime.viewUsableDay(home.manager)
      const refusals = await services.regime.saveUsableDay(home.manager, [
        ...usableDay,
        { slot: 'TUE_ED', startsAt: '17:30', endsAt: '19:30' },
      ])
      assert.deepEqual(refusals, [])
      assert.ok((await services.regime.viewUsableDay(home.manager)).usableDay.some((s) => s.slot === 'TUE_ED'))
    })

    it('retires an activity with its groups; the catalogue shows it only when asked', async () => {
      await givenActivity(database.db, home.code, { code: 'WRK-OLD', category: 'work' })
      await services.regime.retireActivity(home.manager, 'WRK-OLD')
      const current = await services.regime.viewOffer(home.manager, {})
      assert.ok(!current.activities.some((a) => a.code === 'WRK-OLD'))
      const all = await services.regime.viewOffer(home.manager, { includeRetired: true })
      assert.equal(all.activities.find((a) => a.code === 'WRK-OLD')?.isActive, false)
      const view = await services.regime.viewActivity(home.manager, 'WRK-OLD')
      assert.ok(view.groups.every((g) => !g.isActive))
    })

    it('does not show another prison’s activity', async () => {
      await givenActivity(database.db, elsewhere.code, { code: 'EDU-ELSEWHERE' })
      await assert.rejects(services.regime.viewActivity(home.manager, 'EDU-ELSEWHERE'), NotFound)
    })
  })

  describe('the framework', () => {
    it('starts from the reception function’s framework', async () => {
      const view = await services.regime.viewFramework(home.manager)
      assert.equal(view.isAdjusted, false)
      assert.deepEqual(view.framework, defaultFrameworks.reception)
    })

    it('refuses shares that do not add up to 100 and saves nothing', async () => {
      const refusals = await services.regime.saveFramework(home.manager, {
        ...defaultFrameworks.reception,
        categoryShares: { ...defaultFrameworks.reception.categoryShares, gym: 50 },
        firstAssessmentDays: 5,
        reassessmentDays: 182,
      })
      assert.equal(refusals[0]?.messageKey, 'regime.framework.error.total')
      assert.equal((await services.regime.viewFramework(home.manager)).isAdjusted, false)
    })

    it('keeps the prison’s adjustment, and the weights follow it', async () => {
      const refusals = await services.regime.saveFramework(home.manager, {
        ...defaultFrameworks.reception,
        needEmphasis: { ...defaultFrameworks.reception.needEmphasis, 'substance-misuse': 2 },
        firstAssessmentDays: 3,
        reassessmentDays: 90,
      })
      assert.deepEqual(refusals, [])
      const view = await services.regime.viewFramework(home.manager)
      assert.equal(view.isAdjusted, true)
      assert.equal(view.framework.needEmphasis['substance-misuse'], 2)
      assert.equal(view.firstAssessmentDays, 3)
    })
  })

  describe('the needs assessment', () => {
    it('saves a version, yields wants weighted by the framework, and audits it', async () => {
      const person = await givenPerson(database.db, home.code)
      const refusals = await services.regime.saveAssessment(
        home.officer,
        person.prisonNumber,
        assessment({
          answers: { ...settledAnswers, substanceUse: 'current' },
          wishes: 'I would like to get my barbering qualification',
        }),
      )
      assert.deepEqual(refusals, [])
      const view = await services.regime.viewAssessment(home.officer, person.prisonNumber)
      assert.equal(view.latest?.version, 1)
      assert.ok(view.latest?.needs.some((n) => n.need === 'substance-misuse' && n.priority === 'high'))
      // The prison set substance misuse's emphasis to 2 above: high (3) x 2.
      assert.deepEqual(
        view.wants.map((w) => [w.code, w.weight]),
        [['INT-SUB-1', wantWeight('high', 2)]],
      )
      const audits = await auditOf('needs-assessment.saved')
      assert.equal(audits.at(-1)?.person_id, person.id)
    })

    it('keeps every version, and a reassessment replaces the wants', async () => {
      const person = await givenPerson(database.db, home.code)
      const save = (substanceUse: string) =>
        services.regime.saveAssessment(
          home.officer,
          person.prisonNumber,
          assessment({ kind: 'induction', answers: { ...settledAnswers, substanceUse } }),
        )
      await save('current')
      await save('none')
      const view = await services.regime.viewAssessment(home.officer, person.prisonNumber)
      assert.deepEqual(
        view.history.map((h) => h.version),
        [2, 1],
      )
      assert.deepEqual(view.wants, [])
      const first = await services.regime.viewAssessmentVersion(home.officer, person.prisonNumber, 1)
      assert.ok(first.assessment.needs.some((n) => n.need === 'substance-misuse'))
      // The form for a third starts from the second's answers, health and substance use among them: a view, audited.
      const form = await services.regime.assessmentForm(home.officer, person.prisonNumber)
      assert.equal(form.previous?.version, 2)
      const viewed = (await auditOf('needs-assessment.viewed')).filter((row) => row.person_id === person.id)
      assert.deepEqual(viewed.at(-1)?.details, { version: 2, for: 'form' })
    })

    it('adds a wish to the wants even where no need led to it', async () => {
      const person = await givenPerson(database.db, home.code)
      const barbering = await givenActivity(database.db, home.code, { code: 'WRK-BARBER', category: 'work' })
      await services.regime.saveAssessment(
        home.officer,
        person.prisonNumber,
        assessment({ wishedActivityIds: [barbering] }),
      )
      const view = await services.regime.viewAssessment(home.officer, person.prisonNumber)
      assert.deepEqual(
        view.wants.map((w) => w.code),
        ['WRK-BARBER'],
      )
      assert.deepEqual(
        view.wished.map((w) => w.code),
        ['WRK-BARBER'],
      )
    })

    it('asks who to ask about health when there is a health flag, and saves nothing without it', async () => {
      const person = await givenPerson(database.db, home.code)
      const refusals = await services.regime.saveAssessment(
        home.officer,
        person.prisonNumber,
        assessment({ answers: { ...settledAnswers, healthFlag: 'yes' }, healthContact: ' ' }),
      )
      assert.deepEqual(
        refusals.map((r) => r.field),
        ['healthContact'],
      )
      const view = await services.regime.viewAssessment(home.officer, person.prisonNumber)
      assert.equal(view.latest, null)
    })

    it('will not assess a person at another prison', async () => {
      const stranger = await givenPerson(database.db, elsewhere.code)
      await assert.rejects(services.regime.saveAssessment(home.officer, stranger.prisonNumber, assessment()), NotFound)
    })

    it('lists people received more than three days ago with no assessment as overdue', async () => {
      const waiting = await givenPerson(database.db, home.code)
      const due = await services.regime.dueAssessments(home.officer)
      // givenPerson receives everyone on 1 October; this prison gives 3 days.
      assert.ok(due.overdue.some((p) => p.prisonNumber === waiting.prisonNumber))
      assert.ok(due.overdue.every((p) => p.due.kind === 'first'))
      assert.ok(!due.overdue.some((p) => p.lastAssessedOn !== null))
    })
  })

  describe('non-associations', () => {
    /** The officer records that one person must be kept from another: a threat, kept off the wing, unless said. */
    const recordBetween = (
      from: { prisonNumber: string },
      other: { prisonNumber: string },
      more: Partial<NonAssociationInput> = {},
    ) =>
      services.regime.recordNonAssociation(home.officer, from.prisonNumber, {
        otherPrisonNumber: other.prisonNumber,
        reason: 'threat',
        level: 'wing',
        comment: '',
        ...more,
      })

    it('records one between two people, shown on both pages and audited for each', async () => {
      const a = await givenPerson(database.db, home.code)
      const b = await givenPerson(database.db, home.code)
      const refusals = await recordBetween(a, b, {
        reason: 'violence',
        level: 'regime',
        comment: 'Fight on the servery',
      })
      assert.deepEqual(refusals, [])
      const fromB = await services.regime.viewPersonNonAssociations(home.officer, b.prisonNumber)
      assert.equal(fromB.nonAssociations[0]?.other.prisonNumber, a.prisonNumber)
      const audits = await auditOf('non-association.recorded')
      assert.ok([a.id, b.id].every((id) => audits.some((row) => row.person_id === id)))
    })

    it('refuses the same pair twice while one is open, and a person with themselves', async () => {
      const a = await givenPerson(database.db, home.code)
      const b = await givenPerson(database.db, home.code)
      await recordBetween(a, b)
      const again = await recordBetween(b, a)
      assert.equal(again[0]?.messageKey, 'regime.nonAssociation.error.exists')
      const self = await recordBetween(a, a)
      assert.equal(self[0]?.messageKey, 'regime.nonAssociation.error.self')
    })

    it('does not confirm that a person at another prison exists', async () => {
      const a = await givenPerson(database.db, home.code)
      const stranger = await givenPerson(database.db, elsewhere.code)
      const refusals = await recordBetween(a, stranger, { reason: 'other', level: 'cell' })
      assert.equal(refusals[0]?.messageKey, 'regime.nonAssociation.error.notFound')
    })

    it('closes one with a reason; closing it again changes nothing', async () => {
      const a = await givenPerson(database.db, home.code)
      const b = await givenPerson(database.db, home.code)
      await recordBetween(a, b, { reason: 'bullying', level: 'landing' })
      const [open] = (await services.regime.viewPersonNonAssociations(home.officer, a.prisonNumber)).nonAssociations
      assert.deepEqual(await services.regime.closeNonAssociation(home.officer, open.id, 'Resolved at mediation'), {
        stale: false,
      })
      assert.deepEqual(await services.regime.closeNonAssociation(home.officer, open.id, 'Again'), { stale: true })
      const [closed] = (await services.regime.viewPersonNonAssociations(home.officer, a.prisonNumber)).nonAssociations
      assert.equal(closed?.closedReason, 'Resolved at mediation')
      const listed = await services.regime.viewPrisonNonAssociations(home.officer)
      assert.ok(!listed.nonAssociations.some((row) => row.id === open.id))
    })

    it('keeps the mainstream and vulnerable cohorts apart, once', async () => {
      assert.deepEqual(await services.regime.addCohortSeparation(home.manager, 'vulnerable', 'mainstream'), [])
      assert.deepEqual(await services.regime.addCohortSeparation(home.manager, 'mainstream', 'vulnerable'), [])
      const { separations } = await services.regime.viewPrisonNonAssociations(home.manager)
      assert.deepEqual(separations, [{ cohortA: 'mainstream', cohortB: 'vulnerable' }])
      assert.equal(
        (await services.regime.addCohortSeparation(home.manager, 'mainstream', 'mainstream'))[0]?.messageKey,
        'regime.separation.error.same',
      )
    })
  })

  describe('the overdue assessment sweep', () => {
    /** The sweep run at an instant and again an hour later, as every process's worker runs it each hour. */
    async function sweptTwiceAnHourApart(at: string) {
      const sweepClock = fixedClock(at)
      const sweep = createServices({ db: database.db, clock: sweepClock }).regime.overdueAssessmentSweep
      await sweep.run(sweepClock.now())
      sweepClock.advanceMinutes(60)
      await sweep.run(sweepClock.now())
      return { sweep, sweepClock }
    }
    const overdueNotifications = (since = new Date(0)) =>
      database.db
        .selectFrom('notification')
        .selectAll()
        .where('kind', '=', 'regime.assessments-overdue')
        .where('recipient_id', '=', home.manager.id)
        .where('created_at', '>=', since)
        .execute()

    it('tells the activities manager once a day how many people are overdue, however often it runs', async () => {
      const { sweep, sweepClock } = await sweptTwiceAnHourApart('2026-11-25T06:00:00Z')
      const sent = await overdueNotifications()
      assert.deepEqual(
        sent.map((row) => [row.recipient_id, row.href]),
        [[home.manager.id, '/needs-assessments']],
      )
      const { overdue } = await services.regime.dueAssessments(home.manager)
      assert.equal(sent[0]?.params.count, overdue.length)
      sweepClock.advanceMinutes(24 * 60)
      await sweep.run(sweepClock.now())
      await sweep.run(sweepClock.now())
      assert.equal((await overdueNotifications()).length, 2)
    })

    it('counts a summer day from midnight in the prison: a run at 00:30 and one at 01:30 tell them once', async () => {
      // 00:30 on 15 July 2027 in the prison is 23:30 on the 14th in UTC.
      await sweptTwiceAnHourApart('2027-07-14T23:30:00Z')
      assert.equal((await overdueNotifications(new Date('2027-07-14T23:00:00Z'))).length, 1)
    })
  })

  describe('the population needs analysis', () => {
    it('counts the people with each need against the places for it, by cohort, largest shortfall first', async () => {
      const analysis = await services.regime.needsAnalysis(home.manager)
      const substance = analysis.gaps.find((g) => g.need === 'substance-misuse' && g.cohort === 'mainstream')
      assert.ok(substance)
      assert.equal(substance.places, 10)
      assert.equal(substance.people, 1)
      assert.equal(substance.shortfall, 0)
      assert.ok(analysis.gaps.every((g, i) => i === 0 || analysis.gaps[i - 1].shortfall >= g.shortfall))
      const csv = await services.regime.needsAnalysisCsv(home.manager)
      assert.match(csv, /^need,category,cohort,people,places,shortfall\r\n/)
      assert.match(csv, /substance-misuse,intervention,mainstream,1,10,0/)
    })

    it('names the people behind a gap and audits the count', async () => {
      const view = await services.regime.peopleBehindGap(home.manager, 'substance-misuse', 'mainstream')
      assert.equal(view.people.length, 1)
      const audits = await auditOf('needs-analysis.people-viewed')
      assert.equal((audits.at(-1)?.details as { count?: number }).count, 1)
    })
  })
})
