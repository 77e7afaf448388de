import type { Db } from '../db/database.ts'
import type { IsoDate } from '../db/schema.ts'

/**
 * M4: enough for the costing page to show a package at HMP Northgate: targets for the measures the
 * measures demo leaves without one (its own targets win where both set one), and one unit cost the prison
 * set for itself, so the page shows a prison's own figure beside the defaults. Every other prison costs at
 * the defaults, which say they are demo figures.
 */
export async function seedCostingDemo(db: Db, options: { today: IsoDate }) {
  const setAt = new Date(`${options.today}T12:00:00Z`)
  setAt.setUTCDate(setAt.getUTCDate() - 30)
  await db
    .insertInto('measure_target')
    .values(
      (
        [
          ['peer-supporters', 3],
          ['training-trauma-informed', 95],
          ['training-acct', 60],
          ['time-out-of-cell', 12],
        ] as const
      ).map(([measure, target]) => ({ establishment_code: 'NHI', measure, target, set_at: setAt, set_by: null })),
    )
    .onConflict((conflict) => conflict.columns(['establishment_code', 'measure']).doNothing())
    .execute()
  await db
    .insertInto('costing_unit_cost')
    .values({
      establishment_code: 'NHI',
      item: 'staff-hour',
      amount_pence: 31_50,
      source: 'Demo: HMP Northgate business hub, 2026 (not a real figure)',
      set_at: setAt,
      set_by: null,
    })
    .onConflict((conflict) => conflict.columns(['establishment_code', 'item']).doNothing())
    .execute()
}
