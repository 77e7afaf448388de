/** M4: the prison's unit costs and assumptions, each with its source, set by a governor. */
import { NotFound } from '../../platform/errors.ts'
import type { FieldRefusal } from '../../platform/forms.ts'
import type { Actor } from '../../platform/permissions.ts'
import {
  assumptionNames,
  assumptionsOf,
  isUnitCostItem,
  penceOf,
  readAssumptions,
  unitCostRefusals,
  unitCostsOf,
} from './rules.ts'
import * as store from './store.ts'
import type { CostingDeps } from './deps.ts'

/** M4: one unit cost as it stands, for its form. */
export async function unitCostForm(deps: CostingDeps, actor: Actor, item: string) {
  const { db, carePlans } = deps
  if (!isUnitCostItem(item)) throw new NotFound()
  const costs = unitCostsOf(await store.unitCostsAt(db, actor.establishmentCode))
  const settings = await carePlans.settingsFor(actor.establishmentCode)
  return { unitCost: costs[item], levelNames: { en: settings.riskNames, cy: settings.riskNamesCy } }
}

/** M4: a governor sets a unit cost and its source. Audited with the old and new amount and source. */
export async function setUnitCost(
  deps: CostingDeps,
  actor: Actor,
  item: string,
  amount: string,
  source: string,
): Promise<FieldRefusal[]> {
  const { db, clock, audit } = deps
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
}

/**
 * M4: a governor changes the page's assumptions, all in one form: refused as a whole if any is wrong,
 * so nothing typed is half saved. Audited with each changed assumption's old and new value.
 */
export async function setAssumptions(
  deps: CostingDeps,
  actor: Actor,
  form: Record<string, unknown>,
): Promise<{ refusals: FieldRefusal[]; changed: number }> {
  const { db, clock, audit } = deps
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
}
