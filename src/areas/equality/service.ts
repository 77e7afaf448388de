import type { Actor } from '../../platform/permissions.ts'
import { addDays } from '../../platform/dates.ts'
import type { PlatformDeps } from '../../platform/use-cases.ts'
import type { AllocationService } from '../allocation/service.ts'
import type { AttendanceService } from '../attendance/service.ts'
import { TIME_OUT_OF_CELL_DAYS } from '../attendance/rules.ts'
import type { CarePlanService } from '../care-plans/service.ts'
import type { ConcernsService } from '../concerns/service.ts'
import type { KeyworkService } from '../keywork/service.ts'
import type { PeopleService } from '../people/service.ts'
import { ageBands } from '../people/rules.ts'
import {
  compareGroups,
  countingWindow,
  daysWaiting,
  ethnicGroupOf,
  ethnicGroups,
  recordedValue,
  type EqualityRow,
  type MeasureKind,
} from './rules.ts'

type PersonCharacteristics = Awaited<ReturnType<PeopleService['characteristicsAt']>>[number]

/** The protected characteristics recorded on a person, each giving the group a person is in (null: not recorded). */
export const characteristics = [
  { code: 'ageBand', groupOf: (person: PersonCharacteristics) => person.ageBand, order: ageBands as readonly string[] },
  {
    code: 'ethnicGroup',
    groupOf: (person: PersonCharacteristics) => ethnicGroupOf(person.ethnicity),
    order: ethnicGroups,
  },
  {
    code: 'ethnicity',
    groupOf: (person: PersonCharacteristics) => recordedValue(person.ethnicity),
    order: [],
    // Each category's ethnic group is shown on the tab before: its figures less the categories shown must not
    // give away a small category's.
    partOf: ethnicGroupOf,
  },
  { code: 'religion', groupOf: (person: PersonCharacteristics) => recordedValue(person.religion), order: [] },
  { code: 'disability', groupOf: (person: PersonCharacteristics) => recordedValue(person.disability), order: [] },
  { code: 'sex', groupOf: (person: PersonCharacteristics) => recordedValue(person.sex), order: [] },
  {
    code: 'sexualOrientation',
    groupOf: (person: PersonCharacteristics) => recordedValue(person.sexualOrientation),
    order: [],
  },
] as const
export type CharacteristicKey = (typeof characteristics)[number]['code']
export const characteristicKeys = characteristics.map((characteristic) => characteristic.code)

export const measureKeys = [
  'sessionsPerWeek',
  'withoutActivity',
  'daysWaiting',
  'hoursOutOfCell',
  'carePlansOpened',
  'concernsRaised',
  'changeRequests',
  'feedbackScore',
] as const
export type MeasureKey = (typeof measureKeys)[number]

export type EqualityService = ReturnType<typeof createEqualityService>

/**
 * M3: equality of access and outcomes at the user's prison. Every figure comes from the area that owns it
 * (timetables from allocation, time out of cell and feedback from attendance, concerns, change requests from
 * key work), per person, and only groups leave this service: no person is named, and small numbers are
 * protected by the rules.
 */
export function createEqualityService({
  db,
  clock,
  audit,
  people,
  allocation,
  keywork,
  concerns,
  attendance,
  carePlans,
}: PlatformDeps & {
  people: Pick<PeopleService, 'characteristicsAt'>
  allocation: Pick<AllocationService, 'sessionsPerWeekAt' | 'waitingForActivitiesAt'>
  keywork: Pick<KeyworkService, 'changeRequestCountsSince'>
  concerns: Pick<ConcernsService, 'concernCountsSince'>
  attendance: Pick<AttendanceService, 'outcomesByPerson'>
  carePlans: Pick<CarePlanService, 'openedCountsSince'>
}) {
  return {
    /** Every characteristic's groups against their comparators, for each measure. Audited as one view. */
    async figures(actor: Actor) {
      const today = clock.today()
      const counting = countingWindow(today)
      const attendancePeriod = { from: addDays(today, -(TIME_OUT_OF_CELL_DAYS - 1)), to: today }
      const code = actor.establishmentCode
      const [everyone, sessions, waitingRows, changeRequests, raised, outcomes, plans] = await Promise.all([
        people.characteristicsAt(code),
        allocation.sessionsPerWeekAt(code),
        allocation.waitingForActivitiesAt(code),
        keywork.changeRequestCountsSince(code, counting.startsAt),
        concerns.concernCountsSince(code, counting.startsAt),
        attendance.outcomesByPerson(code, attendancePeriod),
        carePlans.openedCountsSince(code, counting.startsAt),
      ])
      // Only people waiting are measured: the mean is of how long those waiting have waited.
      const waiting = new Map(
        waitingRows.map((row) => [row.personId, daysWaiting(row.assessedOn, row.receptionOn, today)]),
      )
      const measures: { code: MeasureKey; kind: MeasureKind; valueOf: (personId: string) => number | null }[] = [
        { code: 'sessionsPerWeek', kind: 'mean', valueOf: (id) => sessions.get(id) ?? 0 },
        { code: 'withoutActivity', kind: 'proportion', valueOf: (id) => ((sessions.get(id) ?? 0) === 0 ? 1 : 0) },
        { code: 'daysWaiting', kind: 'mean', valueOf: (id) => waiting.get(id) ?? null },
        { code: 'hoursOutOfCell', kind: 'mean', valueOf: (id) => outcomes.hoursOutOfCell.get(id) ?? 0 },
        { code: 'carePlansOpened', kind: 'proportion', valueOf: (id) => (plans.has(id) ? 1 : 0) },
        { code: 'concernsRaised', kind: 'proportion', valueOf: (id) => (raised.has(id) ? 1 : 0) },
        { code: 'changeRequests', kind: 'proportion', valueOf: (id) => (changeRequests.has(id) ? 1 : 0) },
        { code: 'feedbackScore', kind: 'mean', valueOf: (id) => outcomes.feedbackScore.get(id) ?? null },
      ]
      // Each person's value of each measure, and below each person's group, worked out once: not again for
      // every pairing of a characteristic and a measure.
      const valuesOf = measures.map((measure) => everyone.map((person) => measure.valueOf(person.personId)))
      await audit.record(db, actor, { action: 'equality.viewed', details: { people: everyone.length } })
      return {
        people: everyone.length,
        countsSince: counting.from,
        attendancePeriod,
        characteristics: characteristics.map((characteristic) => {
          const groups = everyone.map((person) => characteristic.groupOf(person))
          return {
            code: characteristic.code,
            measures: measures.map((measure, index) => ({
              code: measure.code,
              kind: measure.kind,
              rows: compareGroups(
                measure.kind,
                valuesOf[index].map((value, person) => ({ group: groups[person], value })),
                characteristic.order,
                'partOf' in characteristic ? characteristic.partOf : undefined,
              ),
            })),
          }
        }),
      }
    },
  }
}

export type EqualityFigures = Awaited<ReturnType<EqualityService['figures']>>
export type { EqualityRow }
