import type { Db } from '../../db/database.ts'

/** M4: the unit costs a prison set for itself, by item; items it never set are not here. */
export async function unitCostsAt(db: Db, establishmentCode: string) {
  const rows = await db
    .selectFrom('costing_unit_cost')
    .select(['item', 'amount_pence', 'source'])
    .where('establishment_code', '=', establishmentCode)
    .execute()
  return new Map(rows.map((row) => [row.item, { pence: Number(row.amount_pence), source: row.source }]))
}

export async function saveUnitCost(
  db: Db,
  values: { establishmentCode: string; item: string; pence: number; source: string; setAt: Date; setBy: string | null },
) {
  await db
    .insertInto('costing_unit_cost')
    .values({
      establishment_code: values.establishmentCode,
      item: values.item,
      amount_pence: values.pence,
      source: values.source,
      set_at: values.setAt,
      set_by: values.setBy,
    })
    .onConflict((conflict) =>
      conflict.columns(['establishment_code', 'item']).doUpdateSet({
        amount_pence: values.pence,
        source: values.source,
        set_at: values.setAt,
        set_by: values.setBy,
      }),
    )
    .execute()
}

/** M4: the assumptions a prison set for itself, by name. */
export async function assumptionsAt(db: Db, establishmentCode: string) {
  const rows = await db
    .selectFrom('costing_assumption')
    .select(['name', 'value', 'source'])
    .where('establishment_code', '=', establishmentCode)
    .execute()
  return new Map(
    rows.map((row) => [row.name, { value: row.value === null ? null : Number(row.value), source: row.source }]),
  )
}

export async function saveAssumptions(
  db: Db,
  establishmentCode: string,
  values: readonly { name: string; value: number | null; source: string }[],
  setAt: Date,
  setBy: string | null,
) {
  if (values.length === 0) return
  for (const value of values)
    await db
      .insertInto('costing_assumption')
      .values({
        establishment_code: establishmentCode,
        name: value.name,
        value: value.value,
        source: value.source,
        set_at: setAt,
        set_by: setBy,
      })
      .onConflict((conflict) =>
        conflict
          .columns(['establishment_code', 'name'])
          .doUpdateSet({ value: value.value, source: value.source, set_at: setAt, set_by: setBy }),
      )
      .execute()
}
