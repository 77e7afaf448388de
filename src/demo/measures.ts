import type { Db } from '../db/database.ts'
import type { Insertable } from 'kysely'
import type { IsoDate, MeasureSnapshotTable } from '../db/schema.ts'
import { incidentInjuries, incidentMethods } from '../areas/measures/service.ts'
import { measures, monthsEnding, type MeasureKey } from '../areas/measures/rules.ts'
import { demoEstablishments } from './estate.ts'
import { seededRandom } from './random.ts'

/** Incidents a year per person on the roll, roughly as the published figures run for each kind of prison. */
const yearlyIncidentsPerPerson: Record<string, number> = { NHI: 0.2, EWI: 0.7, BGI: 0.15 }

/**
 * Where each demo prison's figures stood a year ago and where they stand now, so the trend has a shape: a
 * prison that has been raising training and key work, with a dip in the summer when staff were short. The
 * months before this one are kept figures (as the dashboard keeps them each month); this month's is worked
 * out from the records when the dashboard opens.
 */
const history: Record<MeasureKey, { from: number; to: number }> = {
  'peer-supporters': { from: 1.5, to: 3.5 },
  'training-mental-health-first-aid': { from: 35, to: 70 },
  'training-trauma-informed': { from: 20, to: 55 },
  supervision: { from: 45, to: 75 },
  'key-work': { from: 40, to: 70 },
  'first-contact': { from: 9, to: 5 },
  'time-out-of-cell': { from: 3, to: 4.5 },
  'needs-met': { from: 50, to: 65 },
  'acct-deadlines': { from: 70, to: 88 },
}

/** M1, M2: 12 months of kept figures and of self-harm incidents, a death in custody, and Northgate's targets. */
export async function seedMeasuresDemo(db: Db, options: { seed: number; today: IsoDate }) {
  const random = seededRandom(options.seed + 8008)
  const months = monthsEnding(options.today)
  const today = new Date(`${options.today}T12:00:00Z`)
  const snapshots: Insertable<MeasureSnapshotTable>[] = []
  for (const establishment of demoEstablishments)
    for (const measure of measures)
      months.slice(0, -1).forEach((month, index) => {
        const { from, to } = history[measure.code]
        const summerDip = month.endsWith('-07') || month.endsWith('-08') ? 0.9 : 1
        const value = (from + ((to - from) * index) / (months.length - 1)) * summerDip * (0.95 + random.next() * 0.1)
        snapshots.push({
          establishment_code: establishment.code,
          measure: measure.code,
          month,
          value: Math.round(Math.min(value, measure.maximum) * 10) / 10,
          recorded_at: new Date(`${month}-28T18:00:00Z`),
        })
      })
  await db.insertInto('measure_snapshot').values(snapshots).execute()

  const people = await db.selectFrom('person').select(['id', 'establishment_code']).orderBy('prison_number').execute()
  const incidents = []
  for (const establishment of demoEstablishments) {
    const here = people.filter((person) => person.establishment_code === establishment.code)
    const count = Math.round(here.length * (yearlyIncidentsPerPerson[establishment.code] ?? 0.2))
    // A few people account for many incidents: draw most from a small group.
    const frequent = here.slice(0, Math.max(1, Math.round(here.length * 0.03)))
    for (let index = 0; index < count; index++) {
      const person = random.chance(0.5) ? random.pick(frequent) : random.pick(here)
      const occurredAt = new Date(
        today.getTime() - random.integer(1, 364) * 86_400_000 - random.integer(0, 86_399) * 1000,
      )
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
  for (let start = 0; start < incidents.length; start += 500)
    await db
      .insertInto('self_harm_incident')
      .values(incidents.slice(start, start + 500))
      .execute()

  const northgate = people.filter((person) => person.establishment_code === 'NHI')
  if (northgate.length > 0)
    await db
      .insertInto('death_in_custody')
      .values({
        establishment_code: 'NHI',
        person_id: northgate[northgate.length - 1].id,
        died_on: new Date(today.getTime() - 150 * 86_400_000).toISOString().slice(0, 10),
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
}
