/** Issue 15: what the timetable for other systems reads besides a person's groups. */
import type { Db } from '../../../db/database.ts'
import type { SlotCode } from '../../../db/schema.ts'
import { onRollAt } from '../../../db/summaries.ts'

/** The person with this prison number on the prison's roll, or undefined: someone elsewhere is not confirmed. */
export async function personOnRollAt(db: Db, establishmentCode: string, prisonNumber: string) {
  return onRollAt(db, establishmentCode, prisonNumber)
    .select(['p.id', 'p.prison_number as prisonNumber'])
    .executeTakeFirst()
}

/** When each of the prison's slots starts and ends, 'HH:MM', for the slots it has timed. */
export async function slotTimesAt(db: Db, establishmentCode: string) {
  const rows = await db
    .selectFrom('regime_slot')
    .select(['slot', 'starts_at as startsAt', 'ends_at as endsAt'])
    .where('establishment_code', '=', establishmentCode)
    .execute()
  return new Map<SlotCode, { startsAt: string; endsAt: string }>(
    rows.map((row) => [row.slot, { startsAt: row.startsAt.slice(0, 5), endsAt: row.endsAt.slice(0, 5) }]),
  )
}
