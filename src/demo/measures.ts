import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import type { IsoDate } from '../db/schema.ts'
import { createServices } from '../app.ts'
import { fixedClock } from '../platform/clock.ts'
import type { RegimeService } from '../areas/regime/service.ts'
import { createMeasuresService, incidentInjuries, incidentMethods } from '../areas/measures/service.ts'
import { demoSampleWeeks } from './keywork.ts'
import { daysBetween, londonTime } from '../platform/dates.ts'
import { seedTransferHistory } from './journey.ts'
import { demoEstablishments } from './estate.ts'
import { seededRandom } from './random.ts'
import { inBatches } from './batches.ts'

/** Incidents a year per person on the roll, roughly as the published figures run for each kind of prison. */
const yearlyIncidentsPerPerson: Record<string, number> = { NHI: 0.2, EWI: 0.7, BGI: 0.15 }

/**
 * M1, M2: a year of self-harm incidents, a death in custody, Northgate's targets, transfers refused and
 * delayed, and then the 11 earlier months' figures worked out from the demo's records as the dashboard would
 * have kept them at each month's end. This month's figures are worked out when the dashboard first opens.
 */
export async function seedMeasuresDemo(db: Db, options: { seed: number; today: IsoDate }) {
  const random = seededRandom(options.seed + 8008)
  const today = new Date(`${options.today}T12:00:00Z`)
  const people = await db
    .selectFrom('person')
    .select(['id', 'establishment_code', 'reception_on'])
    .orderBy('prison_number')
    .execute()
  const incidents = []
  for (const establishment of demoEstablishments) {
    const here = people.filter((person) => person.establishment_code === establishment.code)
    const count = Math.round(here.length * (yearlyIncidentsPerPerson[establishment.code] ?? 0.2))
    // A few people account for many incidents: draw most from a small group.
    const frequent = here.slice(0, Math.max(1, Math.round(here.length * 0.03)))
    for (let index = 0; index < count; index++) {
      // A day in the year, then someone who was here by then: drawing the person first crowded the incidents
      // of recent arrivals into the last months, and the trend rose for no reason.
      const occurredAt = new Date(
        today.getTime() - random.integer(1, 364) * 86_400_000 - random.integer(0, 43_199) * 1000,
      )
      const day = occurredAt.toISOString().slice(0, 10)
      const presentOf = (group: typeof here) => group.filter((person) => person.reception_on <= day)
      const regulars = presentOf(frequent)
      const pool = regulars.length > 0 && random.chance(0.5) ? regulars : presentOf(here)
      if (pool.length === 0) continue
      const person = random.pick(pool)
      incidents.push({
        establishment_code: establishment.code,
        person_id: person.id,
        occurred_at: occurredAt,
        method: random.weighted(incidentMethods.map((method) => [method, method === 'cutting' ? 6 : 1] as const)),
        injury: random.weighted(incidentInjuries.map((injury) => [injury, injury === 'hospital' ? 0.3 : 1] as const)),
        on_open_care_plan: random.chance(0.35),
        recorded_at: occurredAt,
        recorded_by: null,
      })
    }
  }
  await inBatches(incidents, 500, (batch) => db.insertInto('self_harm_incident').values(batch).execute())

  // Someone who was here on the day they died: received before it.
  const diedOn = new Date(today.getTime() - 150 * 86_400_000).toISOString().slice(0, 10)
  const died = people.findLast((person) => person.establishment_code === 'NHI' && person.reception_on < diedOn)
  if (died)
    await db
      .insertInto('death_in_custody')
      .values({
        establishment_code: 'NHI',
        person_id: died.id,
        died_on: diedOn,
        investigation_reference: 'PPO-F-2026-0417',
        recorded_at: new Date(today.getTime() - 150 * 86_400_000),
        recorded_by: null,
      })
      .execute()

  await db
    .insertInto('measure_target')
    .values(
      (
        [
          ['training-mental-health-first-aid', 80],
          ['supervision', 90],
          ['key-work', 75],
          ['first-contact', 5],
        ] as const
      ).map(([measure, target]) => ({
        establishment_code: 'NHI',
        measure,
        target,
        set_at: new Date(today.getTime() - 60 * 86_400_000),
        set_by: null,
      })),
    )
    .execute()

  // Transfers over the year, refused or delayed more often for people with a self-harm history (M2's watch).
  await seedTransferHistory(db, { seed: options.seed, today: options.today })
  await workOutEarlierMonths(db, options.today)
}

const noNeedsAnalysis = { gaps: [] } as unknown as Awaited<ReturnType<RegimeService['needsAnalysis']>>

/**
 * The 11 months before this one, each worked out as the figures sweep would have worked it out at the month's
 * end: every area's services are built with a clock standing at that moment, and the measures service reads
 * them as it does today. Nothing is made up here: a month's figure is whatever the records dated up to then
 * give.
 *
 * Two readings differ, said plainly. The demo keeps registers and weekly key work sessions for one week of
 * each earlier month (its last seven days; a full year of both at Northgate would be hundreds of thousands of
 * rows and a slow first start). So a past month's time out of cell is read over that week's registers, and
 * its key work held against due over that week's sessions, rather than over four weeks of which three hold
 * none. Days to first contact still reads the usual four weeks: every first session is kept.
 *
 * And what the records cannot say of a past day: the demo holds only the people here today (nobody has left),
 * so a past month's roll is today's people received by then; peer supporters per 100 divide by today's roll;
 * and the needs analysis, whose offer keeps no history, is kept for no earlier month.
 */
export async function workOutEarlierMonths(db: Db, today: IsoDate) {
  // The tables were filled moments ago: without statistics the planner expects a handful of rows and joins
  // thousands by nested loops (Northgate's allocations against its roll took most of a second a read).
  await sql`analyze`.execute(db)
  for (const week of demoSampleWeeks(today)) {
    // The last minute of the week's last day on the prison's clock (in summer 23:59 UTC is already tomorrow).
    const clock = fixedClock(londonTime(week.to, 23, 59))
    const services = createServices({ db, clock })
    const measures = createMeasuresService({
      ...services,
      db,
      clock,
      // The offer keeps no history (an activity's places are as they are now), so the needs analysis cannot be
      // asked as of a past month: no needs met figure is kept for one, and the trend starts this month.
      regime: { needsAnalysis: () => Promise.resolve(noNeedsAnalysis) },
      attendance: { viewReports: (actor) => services.attendance.viewReports(actor, week) },
      keywork: {
        ...services.keywork,
        statistics: async (actor, days) => {
          const usual = await services.keywork.statistics(actor, days)
          const sampled = await services.keywork.statistics(actor, daysBetween(week.from, week.to) + 1)
          // Held, due and held when due all from the same week: a share of four weeks' sessions held over one
          // week's due read 350% for October, when the last weeks hold sessions too.
          const { held, due, heldWhenDue, complianceRate } = sampled.prison
          return { ...usual, prison: { ...usual.prison, held, due, heldWhenDue, complianceRate } }
        },
      },
    })
    await measures.figuresSweep.run(clock.now())
  }
}
