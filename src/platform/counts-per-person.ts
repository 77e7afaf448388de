import type { Db } from '../db/database.ts'

/** What an area's store answers for M3: how many of something each person at a prison had since a date. */
type CountsQuery = (
  db: Db,
  establishmentCode: string,
  since: Date,
) => Promise<{ personId: string; count: number | string | bigint }[]>

/**
 * M3: a use case answering how many of something (concerns raised, care plans opened, requests to change
 * officer) each person at a prison had since a date, for the equality figures: counts only, never what or
 * why. The database gives a count as text on some engines, so it is made a number here, once.
 */
export function countsPerPersonSince(query: CountsQuery) {
  return async ({ db }: { db: Db }, establishmentCode: string, since: Date): Promise<Map<string, number>> => {
    const rows = await query(db, establishmentCode, since)
    return new Map(rows.map((row) => [row.personId, Number(row.count)]))
  }
}
