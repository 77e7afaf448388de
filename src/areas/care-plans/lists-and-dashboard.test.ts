import { it } from 'node:test'
import assert from 'node:assert/strict'
import { createServices } from '../../app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { NotFound } from '../../platform/errors.ts'
import type { Actor } from '../../platform/permissions.ts'
import { defaultSettings } from './rules.ts'
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
