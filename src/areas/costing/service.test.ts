import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { NotFound } from '../../platform/errors.ts'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenAnotherPerson, givenCarePlanPrison } from '../../../test/support/care-plan-builders.ts'
import { auditOfUser, givenIncident, givenSnapshot } from '../../../test/support/measures-builders.ts'
import {
  assumptionsFormAtDefaults,
  givenCarePlanWithReviews,
  givenDeath,
} from '../../../test/support/costing-builders.ts'
import { defaultUnitCosts } from './rules.ts'

describeServicesOnEachEngine('the costing service', '2026-11-25T09:00:00Z', ({ database, services }) => {
  const prison = arrangedBefore(() => givenCarePlanPrison(database.db, { function: 'training' }))
  let staffTotal: number
  const unit = (item: keyof typeof defaultUnitCosts) => defaultUnitCosts[item].pence

  before(async () => {
    const db = database.db
    // Ten people on the roll.
    const others = []
    for (let index = 0; index < 9; index++) others.push(await givenAnotherPerson(db, prison))
    // Three incidents in the rolling year, one of them to hospital; one from before it.
    await givenIncident(db, prison.code, prison.person.id, '2026-02-03T21:00:00Z')
    await givenIncident(db, prison.code, prison.person.id, '2026-06-03T21:00:00Z', { injury: 'hospital' })
    await givenIncident(db, prison.code, others[0].id, '2026-11-20T10:00:00Z')
    await givenIncident(db, prison.code, others[0].id, '2025-11-20T10:00:00Z')
    await givenDeath(db, prison.code, others[1].id, '2026-08-14')
    // A plan: half a day before its first review, 2 days high, then 3 days low until it closed.
    await givenCarePlanWithReviews(db, {
      establishmentCode: prison.code,
      personId: others[2].id,
      staffId: prison.lead.id,
      openedAt: '2026-09-01T00:00:00Z',
      closedAt: '2026-09-06T12:00:00Z',
      reviews: [
        { heldAt: '2026-09-01T12:00:00Z', riskLevel: 'high' },
        { heldAt: '2026-09-03T12:00:00Z', riskLevel: 'low' },
        { heldAt: '2026-09-06T12:00:00Z', riskLevel: null },
      ],
    })
    // This month's figures as the measures dashboard keeps them, and the governor's targets.
    await givenSnapshot(db, prison.code, 'peer-supporters', '2026-11', 10)
    await givenSnapshot(db, prison.code, 'training-mental-health-first-aid', '2026-11', 40)
    await services.measures.setTarget(prison.governor, 'peer-supporters', 30)
    await services.measures.setTarget(prison.governor, 'training-mental-health-first-aid', 60)
    staffTotal = (await services.staff.viewStaffList(prison.governor, {})).total
  })

  describe('today’s situation (M4)', () => {
    it('costs the rolling year’s incidents, hospital escorts, deaths with inquests and care plan days', async () => {
      const view = await services.costing.costing(prison.governor)
      assert.deepEqual(view.period, { from: '2025-11-26', to: '2026-11-25' })
      const line = (code: string) => view.todayLines.find((entry) => entry.code === code)!
      assert.equal(line('self-harm-incident').count, 3, 'the incident of November 2025 is outside the year')
      assert.equal(line('self-harm-incident').yearlyPence, 3 * unit('self-harm-incident'))
      assert.equal(line('hospital-escort').count, 1)
      assert.equal(line('death-in-custody').count, 1)
      assert.equal(line('inquest').yearlyPence, unit('inquest'))
      assert.deepEqual(
        ['unset', 'low', 'raised', 'high'].map((level) => line(`care-plan-day-${level}`).count),
        [0.5, 3, 0, 2],
      )
      assert.equal(
        view.todayTotalPence,
        3 * unit('self-harm-incident') +
          unit('hospital-escort') +
          unit('death-in-custody') +
          unit('inquest') +
          0.5 * unit('care-plan-day-unset') +
          3 * unit('care-plan-day-low') +
          2 * unit('care-plan-day-high'),
      )
      assert.deepEqual(view.levelNames, {
        en: { low: 'low', raised: 'raised', high: 'high' },
        cy: { low: 'isel', raised: 'uwch', high: 'uchel' },
      })
    })
  })

  describe('the package of what works (M4)', () => {
    it('raises each measure with a target from its latest figure, and costs nothing where none is set', async () => {
      const view = await services.costing.costing(prison.governor)
      const line = (code: string) => view.packageLines.find((entry) => entry.code === code)!
      // 10 to 30 per 100 people, of 10 people: 2 more supporters.
      assert.deepEqual(
        [line('peer-supporters').gap, line('peer-supporters').yearlyPence],
        [2, 2 * unit('peer-supporter')],
      )
      const trained = Math.ceil((20 * staffTotal) / 100)
      assert.equal(line('training-mental-health-first-aid').gap, trained)
      assert.equal(
        line('training-mental-health-first-aid').yearlyPence,
        trained * (unit('course-mental-health-first-aid') + 14 * unit('staff-hour')),
      )
      assert.deepEqual([line('key-work').state, line('key-work').yearlyPence], ['no-target', 0])
      assert.equal(
        view.packageTotalPence,
        line('peer-supporters').yearlyPence + line('training-mental-health-first-aid').yearlyPence,
      )
    })

    it('counts the staff the governor says to count instead of the staff list', async () => {
      await services.costing.setAssumptions(prison.governor, { ...assumptionsFormAtDefaults, 'staff-counted': '100' })
      const view = await services.costing.costing(prison.governor)
      assert.equal(view.basis.staff, 100)
      assert.equal(view.records.staff, staffTotal, 'the records’ figure is still shown beside it')
      assert.equal(view.packageLines.find((entry) => entry.code === 'training-mental-health-first-aid')!.gap, 20)
      await services.costing.setAssumptions(prison.governor, assumptionsFormAtDefaults)
    })

    it('saves nothing and says so when the form comes back as it was, and refuses a figure that is no number', async () => {
      const before = await auditOfUser(database.db, prison.governor.id, 'costing.assumption-set')
      assert.deepEqual(await services.costing.setAssumptions(prison.governor, assumptionsFormAtDefaults), {
        refusals: [],
        changed: 0,
      })
      const { refusals } = await services.costing.setAssumptions(prison.governor, {
        ...assumptionsFormAtDefaults,
        'staff-counted': { count: 100 },
      })
      assert.deepEqual(
        refusals.map((refusal) => refusal.field),
        ['staff-counted'],
      )
      assert.equal((await auditOfUser(database.db, prison.governor.id, 'costing.assumption-set')).length, before.length)
    })
  })

  describe('effects (M4: it claims no effect the numbers entered do not state)', () => {
    it('shows no saving by default', async () => {
      const view = await services.costing.costing(prison.governor)
      assert.deepEqual(view.savings, [])
      assert.equal(view.savingsTotalPence, 0)
    })

    it('refuses an expected change without its source, and saves none of the form', async () => {
      const { refusals } = await services.costing.setAssumptions(prison.governor, {
        ...assumptionsFormAtDefaults,
        'hours-trauma-informed': '9',
        'incidents-fall-percent': '20',
      })
      assert.deepEqual(
        refusals.map((refusal) => refusal.field),
        ['incidents-fall-percent-source'],
      )
      const view = await services.costing.costing(prison.governor)
      assert.equal(view.assumptions.find((entry) => entry.name === 'hours-trauma-informed')!.value, 7)
      assert.deepEqual(view.savings, [])
    })

    it('shows the saving stated, with its source, on incidents only', async () => {
      await services.costing.setAssumptions(prison.governor, {
        ...assumptionsFormAtDefaults,
        'incidents-fall-percent': '20',
        'incidents-fall-percent-source': 'Our 2025 pilot on B wing',
      })
      const view = await services.costing.costing(prison.governor)
      assert.deepEqual(view.savings, [
        {
          name: 'incidents-fall-percent',
          percent: 20,
          source: 'Our 2025 pilot on B wing',
          ofPence: 3 * unit('self-harm-incident'),
          savingPence: Math.round(0.6 * unit('self-harm-incident')),
        },
      ])
      const audit = await auditOfUser(database.db, prison.governor.id, 'costing.assumption-set')
      assert.deepEqual(audit.at(-1)?.details, {
        name: 'incidents-fall-percent',
        from: null,
        to: 20,
        fromSource: '',
        toSource: 'Our 2025 pilot on B wing',
      })
      await services.costing.setAssumptions(prison.governor, assumptionsFormAtDefaults)
    })
  })

  describe('unit costs (M4)', () => {
    it('sets a cost and its source, audited with the old and new, and the yearly cost follows', async () => {
      const refusals = await services.costing.setUnitCost(
        prison.governor,
        'self-harm-incident',
        '1,000.50',
        'Prison finance team, 2026',
      )
      assert.deepEqual(refusals, [])
      const view = await services.costing.costing(prison.governor)
      const cost = view.unitCosts.find((entry) => entry.item === 'self-harm-incident')!
      assert.deepEqual(cost, {
        item: 'self-harm-incident',
        pence: 100_050,
        source: 'Prison finance team, 2026',
        isDefault: false,
      })
      assert.equal(view.todayLines.find((line) => line.code === 'self-harm-incident')!.yearlyPence, 3 * 100_050)
      const audit = await auditOfUser(database.db, prison.governor.id, 'costing.unit-cost-set')
      assert.deepEqual(audit.at(-1)?.details, {
        item: 'self-harm-incident',
        fromPence: unit('self-harm-incident'),
        toPence: 100_050,
        fromSource: defaultUnitCosts['self-harm-incident'].source,
        toSource: 'Prison finance team, 2026',
      })
    })

    it('refuses a negative cost and keeps the one saved', async () => {
      const refusals = await services.costing.setUnitCost(prison.governor, 'self-harm-incident', '-5', 'Finance')
      assert.deepEqual(
        refusals.map((refusal) => refusal.field),
        ['amount'],
      )
      const form = await services.costing.unitCostForm(prison.governor, 'self-harm-incident')
      assert.equal(form.unitCost.pence, 100_050)
    })

    it('keeps one prison’s costs from another', async () => {
      const other = await givenCarePlanPrison(database.db)
      const form = await services.costing.unitCostForm(other.governor, 'self-harm-incident')
      assert.equal(form.unitCost.isDefault, true)
    })

    it('knows no item it does not cost', async () => {
      await assert.rejects(services.costing.unitCostForm(prison.governor, 'biscuits'), NotFound)
    })
  })
})
