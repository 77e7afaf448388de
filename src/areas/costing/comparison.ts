/**
 * M4: the cost of what works against the cost of the situation today, at the user's prison. Every count and
 * figure is asked of the area that keeps its records; the arithmetic is in the rules.
 */
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import { rollingYearStart } from '../measures/rules.ts'
import {
  assumptionNames,
  assumptionsOf,
  packageLines,
  statedSavings,
  todayLines,
  totalPence,
  unitCostItems,
  unitCostsOf,
} from './rules.ts'
import * as store from './store.ts'
import type { CostingDeps } from './deps.ts'

/** Key work statistics are over four weeks; a year holds 365/28 of them. */
const KEY_WORK_PERIOD_DAYS = 28

/**
 * M4: the whole costing page: today's situation over the rolling year, the package of what works to the
 * prison's targets, the savings the governor stated (none unless entered with a source), every
 * assumption and unit cost with its source. Audited as one view.
 */
export async function costing(deps: CostingDeps, actor: Actor) {
  const { db, clock, audit, people, staff, keywork, measures, carePlans } = deps
  const here: Actor = { ...actor, establishmentCodes: [actor.establishmentCode] }
  const code = actor.establishmentCode
  // The same rolling year as the safety figures count incidents over, so the care plan days match it.
  const yearFrom = rollingYearStart(clock.today())
  const [savedCosts, savedAssumptions, safety, levels, dashboard, onRolls, staffList, sessionsDue] = await Promise.all([
    store.unitCostsAt(db, code),
    store.assumptionsAt(db, code),
    measures.safetyCountsAt(code),
    carePlans.daysAtEachLevel(code, yearFrom, new Date(clock.now().getTime() + 1)),
    measures.dashboard(here),
    people.countOnRolls([code]),
    staff.viewStaffList(here, {}),
    keywork.sessionsDue(here, KEY_WORK_PERIOD_DAYS),
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
    keyWorkSessionsDue: Math.round((sessionsDue.due * 365) / KEY_WORK_PERIOD_DAYS),
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
}
