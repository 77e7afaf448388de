/** Issue 15: a day's registers for other systems, read for every session at once rather than one by one. */
import type { Db } from '../../../db/database.ts'
import type { IsoDate, SlotCode } from '../../../db/schema.ts'

/** Who was in each of these groups on a date, by prison number: the registers' members, as `membersOn` reads them. */
export async function membersOfGroupsOn(db: Db, groupIds: readonly string[], on: IsoDate, prisonNumber?: string) {
  if (groupIds.length === 0) return []
  let query = db
    .selectFrom('activity_allocation as aa')
    .innerJoin('person_summary as p', 'p.id', 'aa.person_id')
    .select(['aa.group_id as groupId', 'p.id as personId', 'p.prison_number as prisonNumber'])
    .where('aa.group_id', 'in', groupIds)
    .where('aa.starts_on', '<=', on)
    .where((eb) => eb.or([eb('aa.ends_on', 'is', null), eb('aa.ends_on', '>=', on)]))
    .distinct()
  if (prisonNumber) query = query.where('p.prison_number', '=', prisonNumber)
  return query.execute()
}

/** What was recorded at these groups' sessions on a date, by prison number. */
export async function recordsOfGroupsOn(
  db: Db,
  groupIds: readonly string[],
  on: IsoDate,
  only?: { slot: SlotCode; prisonNumber: string },
) {
  if (groupIds.length === 0) return []
  let query = db
    .selectFrom('attendance as at')
    .innerJoin('person_summary as p', 'p.id', 'at.person_id')
    .select([
      'at.group_id as groupId',
      'at.slot',
      'p.id as personId',
      'p.prison_number as prisonNumber',
      'at.outcome',
      'at.reason',
      'at.recorded_at as recordedAt',
    ])
    .where('at.group_id', 'in', groupIds)
    .where('at.session_on', '=', on)
  if (only) query = query.where('at.slot', '=', only.slot).where('p.prison_number', '=', only.prisonNumber)
  return query.execute()
}
