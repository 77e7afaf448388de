import { it } from 'node:test'
import assert from 'node:assert/strict'
import { createServices } from '../../app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { NotFound } from '../../platform/errors.ts'
import type { Actor } from '../../platform/permissions.ts'
import { defaultSettings, LATE_ENTRY_MINUTES, nextDue } from './rules.ts'
import { scheduleOf } from './deps.ts'
import * as store from './store.ts'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenEstablishment, givenStaffUser } from '../../../test/support/builders.ts'
import {
  givenAssessedPlan,
  givenCarePlanPrison,
  givenDeadlinesPrison,
} from '../../../test/support/care-plan-builders.ts'
import { queryCounter } from '../../db/query-counter.ts'

const supervision = { observationsPerDay: 6, observationsPerNight: 4, conversationsPerDay: 2, conversationsPerNight: 0 }
/** The least a plan at high risk may be watched. */
const highRiskSupervision = {
  observationsPerDay: 12,
  observationsPerNight: 12,
  conversationsPerDay: 3,
  conversationsPerNight: 1,
}

/** A prison's dashboard as a plain object, key to count, to compare two answers and read one. */
const countsOf = (counts: readonly { key: string; count: number }[] | undefined) =>
  Object.fromEntries((counts ?? []).map((entry) => [entry.key, entry.count]))

describeServicesOnEachEngine('the care plan dashboard for several prisons', '2026-11-25T09:00:00Z', (the) => {
  const { database, services, clock } = the
  /**
   * Three prisons unlike each other. The first has a plan whose review is overdue and one still awaiting
   * its assessment (the deadlines story); the second sets its own day and night, and has a plan opened
   * yesterday, past its first review and its observations, and a plan at high risk with a care map action
   * overdue; the third has no plans at all.
   */
  const estate = arrangedBefore(async () => {
    const deadlines = await givenDeadlinesPrison(database.db)
    const second = await givenCarePlanPrison(database.db)
    const empty = await givenCarePlanPrison(database.db)
    assert.deepEqual(
      await services.carePlans.saveSettings(second.lead, { ...defaultSettings, dayStartsHour: 7, nightStartsHour: 21 }),
      [],
    )
    const yesterday = new Date('2026-11-24T06:00:00Z')
    const { carePlans } = createServices({ db: database.db, clock: fixedClock(yesterday) })
    await givenAssessedPlan(database.db, carePlans, second, yesterday, supervision)
    const reviewed = await givenAssessedPlan(database.db, carePlans, second, yesterday, supervision)
    assert.equal(
      await carePlans.holdReview(second.lead, reviewed.person.prisonNumber, reviewed.id, {
        heldAt: yesterday,
        attendees: [{ kind: 'healthcare', name: 'Amira Khan' }],
        personPresent: true,
        notes: '',
        caseManagerId: second.lead.id,
        riskLevel: 'high',
        supervision: highRiskSupervision,
        triggers: 'Phone calls home',
        warningSigns: 'Stops eating',
        actions: [{ description: 'Arrange a family visit', owner: 'Visits team', dueOn: '2026-11-24' }],
        nextReviewDueAt: new Date('2026-11-26T10:00:00Z'),
      }),
      null,
    )
    const codes = [deadlines.prison.code, second.code, empty.code]
    const director = await givenStaffUser(database.db, { role: 'director', establishmentCodes: codes })
    const anotherDirector = await givenStaffUser(database.db, { role: 'director', establishmentCodes: codes })
    return { codes, second, director, anotherDirector }
  })

  const dashboardEntries = (actor: Actor) =>
    database.db
      .selectFrom('audit_event')
      .select(['establishment_code as establishmentCode', 'details'])
      .where('action', '=', 'care-plans.dashboard-viewed')
      .where('actor_id', '=', actor.id)
      .orderBy('establishment_code')
      .execute()

  it('gives each prison the counts its own dashboard gives, and audits each under its prison as its own does', async () => {
    const { codes, director, anotherDirector } = estate
    const together = await services.carePlans.carePlanDashboards(director, codes)
    const oneByOne = new Map<string, unknown>()
    for (const code of codes)
      oneByOne.set(code, await services.carePlans.carePlanDashboard({ ...anotherDirector, establishmentCode: code }))
    assert.deepEqual([...together.keys()], codes)
    for (const code of codes) assert.deepEqual(together.get(code), oneByOne.get(code), code)
    const [deadlines, second, empty] = codes.map((code) => countsOf(together.get(code)))
    // The answers differ from prison to prison, so a mix-up between them would show.
    assert.equal(deadlines['carePlans.dashboard.open.raised'], 1)
    assert.equal(deadlines['carePlans.dashboard.overdueReviews'], 2)
    assert.equal(deadlines['carePlans.dashboard.overdueActions'], 0)
    assert.equal(second['carePlans.dashboard.open.raised'], 0)
    assert.equal(second['carePlans.dashboard.open.high'], 1)
    assert.equal(second['carePlans.dashboard.overdueReviews'], 1)
    assert.equal(second['carePlans.dashboard.overdueActions'], 1)
    assert.equal(second['carePlans.dashboard.overdueObservations'], 2)
    assert.deepEqual(Object.keys(empty), Object.keys(second))
    assert.deepEqual(
      Object.values(empty).filter((count) => count !== 0),
      [],
    )
    const audited = await dashboardEntries(director)
    assert.deepEqual(audited, await dashboardEntries(anotherDirector))
    assert.deepEqual(
      audited.map((entry) => entry.establishmentCode),
      [...codes].sort(),
    )
  })

  it('asks the same number of queries for three prisons as for one', async () => {
    const { codes, director } = estate
    const { counted, plugin } = queryCounter()
    const carePlans = createServices({ db: database.db.withPlugin(plugin), clock }).carePlans
    await carePlans.carePlanDashboards(director, codes.slice(0, 1))
    const forOne = counted.queries
    counted.queries = 0
    await carePlans.carePlanDashboards(director, codes)
    assert.equal(counted.queries, forOne)
  })

  it('reads no prison the user does not work at', async () => {
    const { codes, second } = estate
    const elsewhere = await givenEstablishment(database.db)
    await assert.rejects(services.carePlans.carePlanDashboards(second.lead, [second.code, elsewhere.code]), NotFound)
    await assert.rejects(services.carePlans.carePlanDashboards(second.lead, codes), NotFound)
  })

  it('reads each prison’s settings in one query, the defaults where a prison set none', async () => {
    const { codes, second } = estate
    const settings = await store.findSettingsOfEach(database.db, codes)
    assert.deepEqual([...settings.keys()], codes)
    assert.equal(settings.get(second.code)?.dayStartsHour, 7)
    assert.equal(settings.get(second.code)?.nightStartsHour, 21)
    assert.deepEqual(settings.get(codes[0]), defaultSettings)
    assert.deepEqual(settings.get(codes[2]), defaultSettings)
    assert.deepEqual(await store.findSettingsOfEach(database.db, []), new Map())
  })
})

describeServicesOnEachEngine(
  'which plans have an observation overdue, asked of the database',
  '2026-07-15T09:00:00Z',
  (the) => {
    const { database, services, clock } = the
    const MINUTE = 60_000
    const opened = new Date('2026-07-12T09:00:00Z')
    /**
     * Two prisons (one with its own day and night), six plans at each watched at three levels, with observations
     * every half hour to four hours over the last three days: most written down at once, some written late
     * (a quarter of an hour and more after), some corrected to another time, two either side of midnight in
     * British Summer Time; one plan at each prison closed, and one under constant supervision.
     */
    const estate = arrangedBefore(async () => {
      const first = await givenCarePlanPrison(database.db)
      const second = await givenCarePlanPrison(database.db)
      assert.deepEqual(
        await services.carePlans.saveSettings(second.lead, {
          ...defaultSettings,
          dayStartsHour: 7,
          nightStartsHour: 21,
        }),
        [],
      )
      const { carePlans } = createServices({ db: database.db, clock: fixedClock(opened) })
      const levels = [supervision, highRiskSupervision, { ...supervision, observationsPerNight: 1 }]
      let state = 7
      const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648
      const ids: string[] = []
      for (const prison of [first, second])
        for (let i = 0; i < 6; i++) {
          const { id } = await givenAssessedPlan(database.db, carePlans, prison, opened, levels[i % 3])
          ids.push(id)
          const at = { carePlanId: id, establishmentCode: prison.code, seen: 'In cell', recordedBy: prison.officer.id }
          for (let observed = opened.getTime() + 30 * MINUTE; observed < clock.now().getTime();) {
            const lag = random() < 0.2 ? 16 + Math.floor(random() * 120) : Math.floor(random() * 10)
            const entry = await store.insertObservation(database.db, {
              ...at,
              observedAt: new Date(observed),
              wasConversation: random() < 0.3,
              correctsId: null,
              correctionReason: null,
              recordedAt: new Date(observed + lag * MINUTE),
            })
            if (random() < 0.05)
              await store.insertObservation(database.db, {
                ...at,
                observedAt: new Date(observed + (random() < 0.5 ? -1 : 1) * 50 * MINUTE),
                wasConversation: false,
                correctsId: entry,
                correctionReason: 'Wrong time',
                recordedAt: new Date(observed + (lag + 5) * MINUTE),
              })
            observed += (30 + Math.floor(random() * 210)) * MINUTE
          }
          // 23:55 and 00:05 London time on the night of 14 to 15 July, in summer time.
          for (const observedAt of ['2026-07-14T22:55:00Z', '2026-07-14T23:05:00Z'])
            await store.insertObservation(database.db, {
              ...at,
              observedAt: new Date(observedAt),
              wasConversation: false,
              correctsId: null,
              correctionReason: null,
              recordedAt: new Date(observedAt),
            })
        }
      const closed = [ids[1], ids[7]]
      await database.db
        .updateTable('care_plan')
        .set({
          closed_at: new Date('2026-07-14T12:00:00Z'),
          post_closure_review_due_at: new Date('2026-07-21T12:00:00Z'),
        })
        .where('id', 'in', closed)
        .execute()
      await database.db
        .updateTable('care_plan')
        .set({ constant_officer_id: second.officer.id })
        .where('id', '=', ids[8])
        .execute()
      return { codes: [first.code, second.code], ids }
    })

    /**
     * The old way: every observation of the last two days read back and each plan's schedule worked out here,
     * each plan's first slot overdue (or only written late) and its next due.
     */
    async function standingsReadInFull(now: Date) {
      const plans = await store.plansInProgressAt(database.db, estate.codes)
      const settingsAt = await store.findSettingsOfEach(database.db, estate.codes)
      const ids = plans.map((plan) => plan.id)
      const observations = await store.observationsOf(database.db, ids, new Date(now.getTime() - 48 * 3_600_000))
      return new Map(
        plans.map((plan) => {
          const schedule = scheduleOf(
            plan,
            settingsAt.get(plan.establishmentCode)!,
            observations.filter((entry) => entry.carePlanId === plan.id),
            now,
          )
          const overdue = schedule.find((entry) => entry.state === 'overdue' || entry.state === 'late')
          return [
            plan.id,
            { overdueSince: overdue?.slot.endsAt ?? null, nextDueAt: nextDue(schedule)?.slot.endsAt ?? null },
          ]
        }),
      )
    }

    /** The new way: each plan's schedule sent, where it stands read back. */
    async function standingsAsked(now: Date) {
      const plans = await store.plansInProgressAt(database.db, estate.codes)
      const settingsAt = await store.findSettingsOfEach(database.db, estate.codes)
      const slots = plans.flatMap((plan) =>
        scheduleOf(plan, settingsAt.get(plan.establishmentCode)!, [], now).map(({ slot }) => ({
          carePlanId: plan.id,
          startsAt: slot.startsAt,
          endsAt: slot.endsAt,
        })),
      )
      const ids = plans.map((plan) => plan.id)
      const since = new Date(now.getTime() - 48 * 3_600_000)
      const standings = await store.scheduleStandings(database.db, ids, slots, since, now, LATE_ENTRY_MINUTES)
      return new Map(ids.map((id) => [id, standings.get(id) ?? { overdueSince: null, nextDueAt: null }]))
    }

    it('finds each plan’s first slot overdue and next due as reading every observation does, over a night and a morning', async () => {
      const plans = await store.plansInProgressAt(database.db, estate.codes)
      const settingsAt = await store.findSettingsOfEach(database.db, estate.codes)
      const watched = plans.find((plan) => plan.id === estate.ids[0])!
      // A minute before and a minute after each slot of one plan ends, and every 17 minutes besides.
      const slotEnds = scheduleOf(watched, settingsAt.get(watched.establishmentCode)!, [], clock.now()).map(
        ({ slot }) => slot.endsAt.getTime(),
      )
      const nows = [
        ...slotEnds.flatMap((end) => [end - MINUTE, end + MINUTE, end + 4 * MINUTE]),
        ...Array.from({ length: 50 }, (_, i) => new Date('2026-07-14T19:00:00Z').getTime() + i * 17 * MINUTE),
      ]
        .filter((at) => at <= clock.now().getTime())
        .map((at) => new Date(at))
      const sizes = new Set<number>()
      for (const now of nows) {
        const inFull = await standingsReadInFull(now)
        assert.deepEqual(await standingsAsked(now), inFull, now.toISOString())
        const overdue = [...inFull].filter(([, standing]) => standing.overdueSince).map(([id]) => id)
        sizes.add(overdue.length)
        for (const notWatched of [estate.ids[1], estate.ids[7], estate.ids[8]])
          assert.deepEqual(inFull.get(notWatched), { overdueSince: null, nextDueAt: null })
      }
      // The comparison meant something: plans came and went from the list.
      assert.ok(sizes.size >= 3, [...sizes].join())
    })

    it('reads as many rows for the dashboards however many observations were recorded', async () => {
      const director = await givenStaffUser(database.db, { role: 'director', establishmentCodes: estate.codes })
      const { counted, plugin } = queryCounter()
      const carePlans = createServices({ db: database.db.withPlugin(plugin), clock }).carePlans
      const before = await carePlans.carePlanDashboards(director, estate.codes)
      const { queries, rows } = counted
      // A hundred more, on a plan closed but still in progress (awaiting its post-closure review).
      const [prison] = estate.codes
      const officer = await givenStaffUser(database.db, { role: 'officer', establishmentCodes: [prison] })
      for (let i = 0; i < 100; i++) {
        const observedAt = new Date(clock.now().getTime() - (i + 1) * 20 * MINUTE)
        await store.insertObservation(database.db, {
          carePlanId: estate.ids[1],
          establishmentCode: prison,
          observedAt,
          seen: 'In cell',
          wasConversation: false,
          correctsId: null,
          correctionReason: null,
          recordedBy: officer.id,
          recordedAt: observedAt,
        })
      }
      counted.queries = 0
      counted.rows = 0
      assert.deepEqual(await carePlans.carePlanDashboards(director, estate.codes), before)
      assert.deepEqual(counted, { queries, rows })
    })

    it('counts on the dashboard the plans the overdue observations list shows', async () => {
      const director = await givenStaffUser(database.db, { role: 'director', establishmentCodes: estate.codes })
      const dashboards = await services.carePlans.carePlanDashboards(director, estate.codes)
      for (const prison of estate.codes) {
        const listed = await services.carePlans.listPlans(
          { ...director, establishmentCode: prison },
          'overdue-observations',
          null,
        )
        assert.equal(countsOf(dashboards.get(prison))['carePlans.dashboard.overdueObservations'], listed.plans.length)
      }
    })
  },
)
