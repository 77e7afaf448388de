import type { Db } from '../../db/database.ts'
import type { Audit } from '../../platform/audit.ts'
import type { Clock } from '../../platform/clock.ts'
import { NotFound } from '../../platform/errors.ts'
import type { FieldRefusal } from '../../platform/forms.ts'
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import type { CarePlanService } from '../care-plans/service.ts'
import type { KeyworkService } from '../keywork/service.ts'
import type { MeasuresService } from '../measures/service.ts'
import type { PeopleService } from '../people/service.ts'
import type { StaffService } from '../staff/service.ts'
import { rollingYearFrom } from '../measures/rules.ts'
import {
  assumptionNames,
  assumptionsOf,
  isUnitCostItem,
  packageLines,
  penceOf,
  readAssumptions,
  statedSavings,
  todayLines,
  totalPence,
  unitCostItems,
  unitCostRefusals,
  unitCostsOf,
} from './rules.ts'
import * as store from './store.ts'

export type CostingService = ReturnType<typeof createCostingService>

/** Key work statistics are over four weeks; a year holds 365/28 of them. */
const KEY_WORK_PERIOD_DAYS = 28

/**
 * M4: the cost of what works against the cost of the situation today, at the user's prison. Every count and
 * figure is asked of the area that keeps its records; this area keeps only the prison's unit costs and
 * assumptions, and the arithmetic is in the rules.
 */
export function createCostingService({
  db,
  clock,
  audit,
  people,
  staff,
  keywork,
  measures,
  carePlans,
}: {
  db: Db
  clock: Clock
  audit: Audit
  people: Pick<PeopleService, 'countOnRolls'>
  staff: Pick<StaffService, 'viewStaffList'>
  keywork: Pick<KeyworkService, 'statistics'>
  measures: Pick<MeasuresService, 'dashboard' | 'safetyCountsAt'>
  carePlans: Pick<CarePlanService, 'daysAtEachLevel' | 'settingsFor'>
}) {
  return {
    /**
     * M4: the whole costing page: today's situation over the rolling year, the package of what works to the
     * prison's targets, the savings the governor stated (none unless entered with a source), every
     * assumption and unit cost with its source. Audited as one view.
     */
    async costing(actor: Actor) {
      const here: Actor = { ...actor, establishmentCodes: [actor.establishmentCode] }
      const code = actor.establishmentCode
      // The same rolling year as the safety figures count incidents over, so the care plan days match it.
      const yearFrom = new Date(`${rollingYearFrom(clock.today())}T00:00:00Z`)
      const [savedCosts, savedAssumptions, safety, levels, dashboard, onRolls, staffList, statistics] =
        await Promise.all([
          store.unitCostsAt(db, code),
          store.assumptionsAt(db, code),
          measures.safetyCountsAt(code),
          carePlans.daysAtEachLevel(code, yearFrom, new Date(clock.now().getTime() + 1)),
          measures.dashboard(here),
          people.countOnRolls([code]),
          staff.viewStaffList(here, {}),
          keywork.statistics(here, KEY_WORK_PERIOD_DAYS),
        ])
      const period = { from: safety.from, to: safety.to }
      const costs = unitCostsOf(savedCosts)
      const assumptions = assumptionsOf(savedAssumptions)
      const today = todayLines(
        {
          period,
          incidents: safety.incidents,
          hospitalEscorts: safety.hospital,
          deaths: safety.deaths,
          carePlanDays: levels.days,
        },
        costs,
      )
      const records = {
        population: onRolls.get(code) ?? 0,
        staff: staffList.total,
        keyWorkSessionsDue: Math.round((statistics.prison.due * 365) / KEY_WORK_PERIOD_DAYS),
      }
      const basis = {
        population: records.population,
        staff: assumptions['staff-counted'].value ?? records.staff,
        keyWorkSessionsDue: assumptions['key-work-sessions-due'].value ?? records.keyWorkSessionsDue,
      }
      const figures = dashboard.measures.map((measure) => ({
        code: measure.code,
        value: measure.value,
        target: measure.target,
        unit: measure.unit,
      }))
      const lines = packageLines(figures, costs, assumptions, basis)
      const savings = statedSavings(today, assumptions)
      await audit.record(db, actor, { action: 'costing.viewed' })
      return {
        today: clock.today(),
        period,
        todayLines: today,
        todayTotalPence: totalPence(today),
        packageLines: lines.map((line) => ({
          ...line,
          unit: figures.find((figure) => figure.code === line.code)?.unit ?? null,
        })),
        packageTotalPence: totalPence(lines),
        savings,
        savingsTotalPence: savings.reduce((sum, saving) => sum + saving.savingPence, 0),
        records,
        basis,
        levelNames: levels.levelNames,
        assumptions: assumptionNames.map((name) => assumptions[name]),
        unitCosts: unitCostItems.map((item) => costs[item]),
        canEdit: hasPermission(actor.role, 'costing.edit'),
      }
    },

    /** M4: one unit cost as it stands, for its form. */
    async unitCostForm(actor: Actor, item: string) {
      if (!isUnitCostItem(item)) throw new NotFound()
      const costs = unitCostsOf(await store.unitCostsAt(db, actor.establishmentCode))
      const settings = await carePlans.settingsFor(actor.establishmentCode)
      return { unitCost: costs[item], levelNames: { en: settings.riskNames, cy: settings.riskNamesCy } }
    },

    /** M4: a governor sets a unit cost and its source. Audited with the old and new amount and source. */
    async setUnitCost(actor: Actor, item: string, amount: string, source: string): Promise<FieldRefusal[]> {
      if (!isUnitCostItem(item)) throw new NotFound()
      const refusals = unitCostRefusals(item, amount, source)
      if (refusals.length > 0) return refusals
      const pence = penceOf(amount)!
      return db.transaction().execute(async (trx) => {
        const before = unitCostsOf(await store.unitCostsAt(trx, actor.establishmentCode))[item]
        await store.saveUnitCost(trx, {
          establishmentCode: actor.establishmentCode,
          item,
          pence,
          source: source.trim(),
          setAt: clock.now(),
          setBy: actor.id,
        })
        await audit.record(trx, actor, {
          action: 'costing.unit-cost-set',
          details: {
            item,
            fromPence: before.pence,
            toPence: pence,
            fromSource: before.source,
            toSource: source.trim(),
          },
        })
        return []
      })
    },

    /**
     * M4: a governor changes the page's assumptions, all in one form: refused as a whole if any is wrong,
     * so nothing typed is half saved. Audited with each changed assumption's old and new value.
     */
    async setAssumptions(
      actor: Actor,
      form: Record<string, unknown>,
    ): Promise<{ refusals: FieldRefusal[]; changed: number }> {
      const { values, refusals } = readAssumptions(form)
      if (refusals.length > 0) return { refusals, changed: 0 }
      return db.transaction().execute(async (trx) => {
        const before = assumptionsOf(await store.assumptionsAt(trx, actor.establishmentCode))
        const changed = assumptionNames.filter(
          (name) => before[name].value !== values[name].value || before[name].source !== values[name].source,
        )
        await store.saveAssumptions(
          trx,
          actor.establishmentCode,
          changed.map((name) => ({ name, ...values[name] })),
          clock.now(),
          actor.id,
        )
        for (const name of changed)
          await audit.record(trx, actor, {
            action: 'costing.assumption-set',
            details: {
              name,
              from: before[name].value,
              to: values[name].value,
              fromSource: before[name].source,
              toSource: values[name].source,
            },
          })
        return { refusals: [], changed: changed.length }
      })
    },
  }
}

export type CostingView = Awaited<ReturnType<CostingService['costing']>>
