import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../db/database.ts'
import type { IsoDate } from '../db/schema.ts'
import { demoSampleWeeks } from './keywork.ts'
import { seededRandom } from './random.ts'
import { addDays } from '../platform/dates.ts'
import { inBatches } from './batches.ts'
import { demoStaffWithRole } from './staff.ts'
import { placesHeldNowInGroups } from '../areas/allocation/store.ts'

/**
 * Weeks of registers the demo has taken, up to yesterday: the four weeks the measures read for this month's
 * time out of cell, so today's figure is not diluted by weeks with no registers.
 */
export const DEMO_ATTENDANCE_WEEKS = 4

/** The days the demo has registers for: the sample week of each earlier month, then the last four weeks. */
export function demoRegisterDays(today: IsoDate): IsoDate[] {
  // A year of registers at Northgate would be hundreds of thousands of rows and a slow first start: a week a
  // month is enough for a past month's time out of cell, which is read over that week alone (see measures.ts).
  const days: IsoDate[] = []
  for (const week of demoSampleWeeks(today))
    for (let day = week.from; day <= week.to; day = addDays(day, 1)) days.push(day)
  for (let offset = 7 * DEMO_ATTENDANCE_WEEKS; offset >= 1; offset--) days.push(addDays(today, -offset))
  return [...new Set(days)]
}

const cancellationReasons = [
  'Instructor off sick',
  'Staff redeployed to cover the wings',
  'Regime curtailed: alarm bell',
]
const refusalReasons = [
  'Did not want to come out of his cell',
  'Said the course is not for them',
  'Wanted to stay for a phone call',
  'Would not get up',
]
const clashReasons = ['Legal visit', 'Healthcare appointment', 'Social visit', 'Video link to court']
const suspensionReasons = ['Suspended after an incident in the workshop', 'Adjudication pending']
const notCompletedReasons = ['Transferred to another wing', 'Stopped attending', 'Moved to a work place']
const comments = [
  'Gets me out of my cell and I am learning something',
  'The tutor explains things well',
  'Too noisy to concentrate',
  'I want more sessions a week',
  'Helps me keep my head straight',
  'Good, but it clashes with visits',
  '',
  '',
]

/**
 * R7 demo: registers for the accepted timetable (the allocation demo) over the last four weeks and a sample
 * week of each earlier month, with outcomes in the proportions a prison sees (most attend; some refuse, are
 * sick, have a clash; now and then a session is cancelled for everyone, more often in the summer, when staff
 * were short), some courses ended and some of the people's own feedback. The groups ran all year: most
 * people were in theirs before the timetable was last accepted (their allocation kept, as an accepted run
 * keeps a place it does not change), two in three from the start of the year and the rest joining over it,
 * so time out of cell grows. The registers are one INSERT … SELECT; the rest goes in batches.
 */
export async function seedAttendanceDemo(trx: Db, options: { seed: number; today: IsoDate }) {
  const random = seededRandom(options.seed + 707)
  const allocations = await placesHeldNowInGroups(trx)
    .innerJoin('person as p', 'p.id', 'x.person_id')
    .select([
      'x.person_id as personId',
      'x.group_id as groupId',
      'x.starts_on as startsOn',
      'g.slots',
      'a.id as activityId',
      'a.category',
      'a.establishment_code as establishmentCode',
    ])
    .orderBy('a.establishment_code')
    .orderBy('a.code')
    .orderBy('g.code')
    .orderBy('p.prison_number')
    .execute()
  if (allocations.length === 0) return { attendance: 0, completions: 0, feedback: 0 }
  const officers = await demoStaffWithRole(trx, 'officer', 'demo.officer')
  const officerAt = new Map(officers.map((officer) => [officer.establishmentCode, officer.id]))

  const days = demoRegisterDays(options.today)
  // A share in [0, 1) drawn from a text by hashing: the same prison numbers, codes and dates give the same
  // registers on every machine, and the whole of it is one statement (tens of thousands of rows, quickly).
  const draw = (text: RawBuilder<string>) =>
    sql<number>`(('x' || substr(md5(${text}), 1, 8))::bit(32)::bigint / 4294967296.0)`
  const pick = (choices: readonly string[], text: RawBuilder<string>) =>
    sql<string>`(${sql.val(choices)}::text[])[1 + floor(${draw(text)} * ${choices.length})::int]`
  const session = sql<string>`a.code || '/' || g.code || '/' || d.day::text || '/' || s.slot`
  const line = sql<string>`p.prison_number || '/' || ${session}`
  const person = sql<number>`${draw(sql<string>`p.prison_number || '/refuses'`)}`
  // Some people refuse more than others: about one in twelve stays in their cell on a third of days.
  const refuses = sql<number>`(case when ${person} < 0.08 then 0.35 else 0.04 end)`
  const chance = draw(line)
  // When each person joined their group: a week after arriving, and no earlier than the year the demo covers.
  const yearStart = days[0]
  const joinedDraw = draw(sql<string>`p.prison_number || '/' || aa.group_id::text || '/joined'`)
  await sql`
    update activity_allocation aa
    set starts_on = greatest(
      p.reception_on + 7,
      ${yearStart}::date + (case when ${joinedDraw} < 0.65 then 0 else floor((${joinedDraw} - 0.65) / 0.35 * 330)::int end)
    )
    from person p
    where p.id = aa.person_id and aa.ends_on is null
      and greatest(
        p.reception_on + 7,
        ${yearStart}::date + (case when ${joinedDraw} < 0.65 then 0 else floor((${joinedDraw} - 0.65) / 0.35 * 330)::int end)
      ) < aa.starts_on
  `.execute(trx)
  // Every register names its group, person and officer by a join to those very rows, so its foreign keys cannot
  // fail; checked row by row, they took half the time of this statement on PGlite (some 90,000 rows). A session
  // allowed to (a superuser, as on PGlite) skips them for this statement alone, inside the demo's transaction.
  const uncheckedKeys = await mayWriteWithoutKeyChecks(trx)
  if (uncheckedKeys) await sql`set local session_replication_role = replica`.execute(trx)
  const inserted = await sql<{ n: number }>`
    with officers as (
      select distinct on (e.establishment_code) e.establishment_code, u.id
      from staff_user u
      join staff_user_establishment e on e.staff_user_id = u.id
      where u.role = 'officer' and u.username like 'demo.officer%'
      order by e.establishment_code, u.username
    ),
    -- Each day with its weekday, joined to the slots that meet on it (not every slot against every day).
    days as (
      select day::date as day, (array['MON','TUE','WED','THU','FRI','SAT','SUN'])[extract(isodow from day)::int] as weekday
      from unnest(${days}::date[]) as d(day)
    ),
    -- Materialized, so each row's draws are worked out once: inlined, every branch of the case below drew again.
    registers as materialized (
      select aa.group_id, d.day::date as session_on, s.slot, aa.person_id, a.establishment_code,
        ${draw(sql<string>`${session} || '/cancelled'`)} < (case when extract(month from d.day) in (7, 8) then 0.15 else 0.04 end)
          as is_cancelled,
        ${session} as session, ${line} as line, ${chance} as chance, ${refuses} as refuses
      from activity_allocation aa
      join activity_group g on g.id = aa.group_id
      join activity a on a.id = g.activity_id
      join person p on p.id = aa.person_id
      cross join lateral unnest(g.slots) as s(slot)
      join days d on d.weekday = left(s.slot, 3)
      where aa.starts_on <= d.day
        and (aa.ends_on is null or aa.ends_on >= d.day)
    ),
    outcomes as (
      select r.*,
        case
          when is_cancelled then 'cancelled'
          when chance < refuses then 'refused'
          when chance < refuses + 0.04 then 'sick'
          when chance < refuses + 0.08 then 'clash'
          when chance < refuses + 0.09 then 'rest-day'
          when chance < refuses + 0.095 then 'suspended'
          else 'attended'
        end as outcome
      from registers r
    ),
    saved as (
      insert into attendance (group_id, session_on, slot, person_id, outcome, reason, recorded_at, recorded_by)
      select o.group_id, o.session_on, o.slot, o.person_id, o.outcome,
        case o.outcome
          when 'cancelled' then ${pick(cancellationReasons, sql<string>`o.session`)}
          when 'refused' then ${pick(refusalReasons, sql<string>`o.line`)}
          when 'clash' then ${pick(clashReasons, sql<string>`o.line`)}
          when 'suspended' then ${pick(suspensionReasons, sql<string>`o.line`)}
          else ''
        end,
        o.session_on + (case right(o.slot, 2) when 'AM' then time '12:00' when 'PM' then time '17:00' else time '20:00' end),
        officers.id
      from outcomes o
      left join officers on officers.establishment_code = o.establishment_code
      returning 1
    )
    select count(*)::int as n from saved
  `.execute(trx)
  if (uncheckedKeys) await sql`set local session_replication_role = origin`.execute(trx)
  const attendance = Number(inserted.rows[0]?.n ?? 0)

  // Courses that ended in the weeks of the demo, and what people said of their activities.
  const completions = []
  const feedback = []
  const seen = new Set<string>()
  for (const allocation of allocations) {
    const key = `${allocation.personId}/${allocation.activityId}`
    if (seen.has(key)) continue
    seen.add(key)
    const recordedBy = officerAt.get(allocation.establishmentCode) ?? null
    if (['education', 'intervention'].includes(allocation.category) && random.chance(0.15)) {
      const completed = random.chance(0.7)
      const finishedOn = addDays(options.today, -random.integer(1, 7 * DEMO_ATTENDANCE_WEEKS))
      completions.push({
        person_id: allocation.personId,
        activity_id: allocation.activityId,
        outcome: completed ? ('completed' as const) : ('not-completed' as const),
        reason: completed ? '' : random.pick(notCompletedReasons),
        finished_on: finishedOn,
        recorded_at: new Date(`${finishedOn}T16:00:00Z`),
        recorded_by: recordedBy,
      })
    }
    if (random.chance(0.2)) {
      const givenOn = addDays(options.today, -random.integer(1, 7 * DEMO_ATTENDANCE_WEEKS))
      feedback.push({
        person_id: allocation.personId,
        activity_id: allocation.activityId,
        rating: random.weighted([
          [5, 3],
          [4, 4],
          [3, 2],
          [2, 1],
          [1, 0.5],
        ] as const),
        comment: random.pick(comments),
        given_on: givenOn,
        recorded_at: new Date(`${givenOn}T15:00:00Z`),
        recorded_by: recordedBy,
      })
    }
  }
  await inBatches(completions, 2000, (batch) => trx.insertInto('activity_completion').values(batch).execute())
  await inBatches(feedback, 2000, (batch) => trx.insertInto('activity_feedback').values(batch).execute())
  return { attendance, completions: completions.length, feedback: feedback.length }
}

/**
 * Whether this session may turn off the checks of foreign keys (`session_replication_role` is a superuser's
 * setting). `set local` lasts to the end of the transaction; outside one it does nothing, and the keys are checked.
 */
async function mayWriteWithoutKeyChecks(trx: Db): Promise<boolean> {
  const { rows } = await sql<{ allowed: boolean }>`select current_setting('is_superuser') = 'on' as allowed`.execute(
    trx,
  )
  return rows[0]?.allowed ?? false
}
