import type { Db } from '../../db/database.ts'
import type { IsoDate, TrainingCourse } from '../../db/schema.ts'
import type { Audit } from '../../platform/audit.ts'
import type { Events } from '../../platform/events.ts'
import type { Clock } from '../../platform/clock.ts'
import { NotFound } from '../../platform/errors.ts'
import type { Notifications } from '../../platform/notifications.ts'
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import type { AttendanceService } from '../attendance/service.ts'
import { TIME_OUT_OF_CELL_DAYS } from '../attendance/rules.ts'
import type { CarePlanService } from '../care-plans/service.ts'
import type { JourneyService } from '../journey/service.ts'
import type { KeyworkService } from '../keywork/service.ts'
import type { PeopleService, PersonAlert } from '../people/service.ts'
import type { RegimeService } from '../regime/service.ts'
import type { PeerSupporterService, StaffService } from '../staff/service.ts'
import { isTrainingCurrent, qualifications } from '../staff/rules.ts'
import {
  isMeasureKey,
  measureOf,
  measures,
  meetsTarget,
  monthOf,
  monthsEnding,
  oneDecimal,
  percent,
  perThousand,
  investigationReferenceRefusal,
  rollingYearFrom,
  transferWatch,
  trendChart,
  type MeasureKey,
} from './rules.ts'
import * as store from './store.ts'
import { addDays } from '../../platform/dates.ts'
import type { Refusal } from '../../platform/forms.ts'

export type MeasuresService = ReturnType<typeof createMeasuresService>

export type { Refusal }

export const incidentMethods = [
  'cutting',
  'ligature',
  'self-strangulation',
  'overdose',
  'swallowing',
  'head-banging',
  'burning',
  'other',
] as const
export const incidentInjuries = ['none', 'minor', 'treated-in-prison', 'hospital'] as const
export type IncidentInput = {
  occurredAt: Date
  method: (typeof incidentMethods)[number]
  injury: (typeof incidentInjuries)[number]
}

/**
 * M2: the person's header says they died in custody, on every page of their record. A read of measures' own
 * records and nothing else, so people, built before every area, is handed it at start-up. Not audited: a badge.
 */
export async function deathHeaderAlertsOf(db: Db, personId: string): Promise<PersonAlert[]> {
  return (await store.deathOf(db, personId))
    ? [{ messageKey: 'measures.death.headerAlert', tabPath: 'journey', colour: 'red' }]
    : []
}

/**
 * M1, M2: the measures for governors. Every figure comes from the area that keeps its records, through that
 * area's service; this area keeps only targets, the monthly figures for the trend, and the safety records.
 */
export function createMeasuresService({
  db,
  clock,
  audit,
  people,
  staff,
  peerSupporters,
  keywork,
  attendance,
  regime,
  carePlans,
  journey,
  notifications,
  events,
}: {
  db: Db
  clock: Clock
  audit: Audit
  people: Pick<PeopleService, 'findPersonOrThrow' | 'countOnRolls'>
  staff: Pick<StaffService, 'viewStaffList' | 'currentCoursesAt' | 'listDirectorsOnDuty'>
  peerSupporters: Pick<PeerSupporterService, 'viewPeerSupporters'>
  keywork: Pick<KeyworkService, 'statistics' | 'progressMeetings'>
  attendance: Pick<AttendanceService, 'viewReports'>
  regime: Pick<RegimeService, 'needsAnalysis'>
  carePlans: Pick<CarePlanService, 'deadlinesMet' | 'openCarePlansForHandover'>
  journey: Pick<JourneyService, 'handoverOutcomesSince'>
  /** M2: a flagged transfer watch is told to the group directors on duty at the prison. */
  notifications: Pick<Notifications, 'notify'>
  /** C1: a death is told to the areas that act on it: the person's own view closes. */
  events: Pick<Events, 'publish'>
}) {
  /** Each measure's figure at the user's prison today, from the areas' services (each audits its own read). */
  async function liveFigures(actor: Actor): Promise<Record<MeasureKey, number | null>> {
    const here: Actor = { ...actor, establishmentCodes: [actor.establishmentCode] }
    const today = clock.today()
    const monthStart = new Date(`${today.slice(0, 7)}-01T00:00:00Z`)
    const lastFourWeeks = { from: addDays(today, -(TIME_OUT_OF_CELL_DAYS - 1)), to: today }
    const [supporters, staffList, courses, statistics, meetings, reports, needs, deadlines] = await Promise.all([
      peerSupporters.viewPeerSupporters(here),
      staff.viewStaffList(here, {}),
      staff.currentCoursesAt(here),
      keywork.statistics(here, 28),
      keywork.progressMeetings(here),
      attendance.viewReports(here, lastFourWeeks),
      regime.needsAnalysis(here),
      // ACCT deadlines over the last 30 days (a month's plans are too few at a small prison to read alone).
      carePlans.deadlinesMet(here, new Date(monthStart.getTime() - 30 * 86_400_000), clock.now()),
    ])
    const currentIn = (course: string) =>
      staffList.staff.filter((member) =>
        member.training.some((entry) => entry.course === course && isTrainingCurrent(entry.state)),
      ).length
    // ACCT training: current as an assessor or a case manager, as the staff list's filter reads it.
    const holding = (any: readonly TrainingCourse[]) =>
      courses.filter((held) => held.some((course) => any.includes(course))).length
    const acct = deadlines[0]
    const acctShares = acct ? [acct.immediateAction, acct.assessment, acct.firstReview, acct.reviewsOnTime] : []
    const needPeople = needs.gaps.reduce((sum, gap) => sum + gap.people, 0)
    const needShortfall = needs.gaps.reduce((sum, gap) => sum + gap.shortfall, 0)
    return {
      'peer-supporters': oneDecimal(supporters.perHundred),
      'training-mental-health-first-aid': percent(currentIn('mental-health-first-aid'), staffList.total),
      'training-trauma-informed': percent(currentIn('trauma-informed'), staffList.total),
      'training-acct': percent(holding(qualifications.acct), courses.length),
      'health-and-social-care': percent(holding(qualifications['health-and-social-care']), courses.length),
      supervision: percent(staffList.total - staffList.supervisionOverdueTotal, staffList.total),
      'key-work': percent(statistics.prison.heldWhenDue, statistics.prison.due),
      'progress-meetings': percent(meetings.heldWhenDue, meetings.due),
      'first-contact': oneDecimal(statistics.prison.averageDaysToFirstSession),
      'time-out-of-cell': oneDecimal(reports.time.meanAttended),
      'needs-met': percent(needPeople - needShortfall, needPeople),
      'acct-deadlines': percent(
        acctShares.reduce((sum, share) => sum + share.met, 0),
        acctShares.reduce((sum, share) => sum + share.of, 0),
      ),
    }
  }

  /** The 12 months of each measure at some prisons: this month's figure as it stands, earlier months as kept. */
  async function trends(codes: readonly string[], months: readonly string[]) {
    const kept = await store.snapshotsSince(db, codes, months[0])
    const of = new Map(kept.map((row) => [`${row.establishmentCode}/${row.measure}/${row.month}`, row.value]))
    return (code: string, measure: MeasureKey) =>
      months.map((month) => ({ month, value: of.get(`${code}/${measure}/${month}`) ?? null }))
  }

  /**
   * M2, the perverse-incentive watch at each prison given, over the rolling 12 months: transfers out refused
   * or delayed by the receiving prison, for people with a self-harm history or an open care plan when the
   * handover was sent, against everyone else's.
   */
  async function transferWatches(codes: readonly string[], from: Date) {
    const handovers = await journey.handoverOutcomesSince(codes, from)
    const firstSelfHarm = await store.firstSelfHarmOf(db, [...new Set(handovers.map((row) => row.personId))])
    return new Map(
      codes.map((code) => [
        code,
        transferWatch(
          handovers.filter((row) => row.fromEstablishmentCode === code),
          firstSelfHarm,
          clock.now(),
        ),
      ]),
    )
  }

  /** Works out a prison's figures now and keeps them as this month's. */
  async function workOut(actor: Actor) {
    const figures = await liveFigures(actor)
    await store.saveSnapshots(
      db,
      actor.establishmentCode,
      monthOf(clock.today()),
      measures.map((measure) => ({ measure: measure.code, value: figures[measure.code] })),
      clock.now(),
    )
  }

  return {
    /**
     * M1: works out the figures of the user's prison now (a second or so at a large prison: each area reads
     * its records), kept as this month's. Audited.
     */
    async refreshFigures(actor: Actor) {
      await workOut(actor)
      await audit.record(db, actor, { action: 'measures.worked-out' })
    },

    /**
     * M1: each prison's figures worked out once in a while, so the dashboard reads a small table rather than
     * every area's records on each view. Running it twice in a period only works the figures out again.
     */
    figuresSweep: {
      name: 'measures.work-out-figures',
      everySeconds: 6 * 3600,
      run: async (now: Date): Promise<void> => {
        for (const prison of await store.allEstablishments(db)) {
          const at = await store.workedOutAt(db, prison.code, monthOf(clock.today()))
          if (at && now.getTime() - at.getTime() < 6 * 3600 * 1000) continue
          // The areas' reads audit who asked: here nobody did, so the trail shows the system, with no user.
          const system = {
            id: null,
            username: 'system',
            displayName: 'System',
            role: 'admin',
            establishmentCode: prison.code,
            establishmentCodes: [prison.code],
          } as unknown as Actor
          await workOut(system)
        }
      },
    },

    /**
     * M2: tells a prison's group directors on duty when its perverse-incentive watch is flagged, once a
     * month: the mark and the notifications are written together, so a second run that month (or a second
     * worker) finds the mark and sends nothing. Nobody is told where the prison has no director on duty, and
     * the prison is looked at again on the next run.
     */
    transferWatchSweep: {
      name: 'measures.transfer-watch',
      everySeconds: 6 * 3600,
      run: async (now: Date): Promise<void> => {
        const prisons = await store.allEstablishments(db)
        const from = new Date(`${rollingYearFrom(clock.today())}T00:00:00Z`)
        const watches = await transferWatches(
          prisons.map((prison) => prison.code),
          from,
        )
        for (const prison of prisons) {
          const watch = watches.get(prison.code)!
          if (!watch.flagged) continue
          await db.transaction().execute(async (trx) => {
            const directors = await staff.listDirectorsOnDuty(prison.code, trx)
            if (directors.length === 0) return
            const first = await store.markWatchFlagged(trx, {
              establishmentCode: prison.code,
              month: monthOf(clock.today()),
              ratio: watch.ratio!,
              lower: watch.lower!,
              upper: watch.upper!,
              at: now,
            })
            if (!first) return
            await notifications.notify(trx, {
              recipientIds: directors.map((member) => member.id),
              establishmentCode: prison.code,
              kind: 'transfer-watch-flagged',
              messageKey: 'measures.notification.watchFlagged',
              params: { prison: prison.name, ratio: watch.ratio!, lower: watch.lower!, upper: watch.upper! },
              href: '/safety-figures',
            })
          })
        }
      },
    },

    /**
     * M1: the prison's measures of what works: figure, target, whether it is met, the 12-month trend, and the
     * page of records behind it where the user may open it. Like for like: with `compare`, the latest figure
     * of each prison of the same function beside it, by name, never ranked. Audited.
     */
    async dashboard(actor: Actor, { compare = false }: { compare?: boolean } = {}) {
      const today = clock.today()
      const months = monthsEnding(today)
      // This month's figures as last worked out (by the sweep or on asking); worked out now if not yet.
      let workedOut = await store.workedOutAt(db, actor.establishmentCode, monthOf(today))
      if (!workedOut) {
        await workOut(actor)
        workedOut = clock.now()
      }
      const [targets, peers] = await Promise.all([
        store.targetsAt(db, actor.establishmentCode),
        compare ? store.prisonsOfSameFunction(db, actor.establishmentCode) : Promise.resolve([]),
      ])
      const trendOf = await trends([actor.establishmentCode, ...peers.map((peer) => peer.code)], months)
      await audit.record(db, actor, { action: 'measures.viewed', details: { compare } })
      return {
        today,
        months,
        compare,
        workedOutAt: workedOut,
        canSetTargets: hasPermission(actor.role, 'measures.set-targets'),
        measures: measures.map((measure) => {
          const target = targets.get(measure.code) ?? null
          const trend = trendOf(actor.establishmentCode, measure.code)
          const value = trend.at(-1)?.value ?? null
          return {
            ...measure,
            value,
            target,
            met: meetsTarget(value, target, measure.better),
            trend,
            chart: trendChart(trend, target),
            recordsHref: hasPermission(actor.role, measure.records.permission) ? measure.records.href : null,
            likeForLike: peers
              .filter((peer) => peer.code !== actor.establishmentCode)
              .map((peer) => ({
                code: peer.code,
                name: peer.name,
                value: [...trendOf(peer.code, measure.code)].reverse().find((point) => point.value !== null) ?? null,
              })),
          }
        }),
      }
    },

    /** M1: the form for one measure's target: the measure and the target set now. */
    async targetForm(actor: Actor, key: string) {
      if (!isMeasureKey(key)) throw new NotFound()
      const targets = await store.targetsAt(db, actor.establishmentCode)
      return { measure: measureOf(key), target: targets.get(key) ?? null }
    },

    /** M1: a governor sets the prison's target for a measure. Audited with the old and new target. */
    async setTarget(actor: Actor, key: string, target: number): Promise<Refusal | null> {
      if (!isMeasureKey(key)) throw new NotFound()
      const measure = measureOf(key)
      if (!Number.isFinite(target) || target < 0 || target > measure.maximum)
        return { field: 'target', messageKey: 'measures.target.error.range', values: { maximum: measure.maximum } }
      return db.transaction().execute(async (trx) => {
        const before = (await store.targetsAt(trx, actor.establishmentCode)).get(key) ?? null
        await store.saveTarget(trx, {
          establishmentCode: actor.establishmentCode,
          measure: key,
          target,
          setAt: clock.now(),
          setBy: actor.id,
        })
        await audit.record(trx, actor, {
          action: 'measures.target-set',
          details: { measure: key, from: before, to: target },
        })
        return null
      })
    },

    /**
     * M2: self-harm incidents and deaths in custody over the rolling 12 months, per 1,000 people on the roll,
     * for each prison the user works in (a group director has several; the figures sit side by side by name,
     * never in order of a figure), with this prison's incidents a month. Counts only: no one is named here.
     */
    async safetyFigures(actor: Actor) {
      const today = clock.today()
      const from = new Date(`${rollingYearFrom(today)}T00:00:00Z`)
      const to = new Date(clock.now().getTime() + 1)
      const prisons = await store.establishmentsNamed(db, actor.establishmentCodes)
      const counts = await store.safetyCounts(
        db,
        prisons.map((prison) => prison.code),
        from,
        to,
      )
      const watches = await transferWatches(
        prisons.map((prison) => prison.code),
        from,
      )
      const populations = await people.countOnRolls(prisons.map((prison) => prison.code))
      const rows = []
      for (const prison of prisons) {
        const population = populations.get(prison.code) ?? 0
        const count = counts.find((row) => row.establishmentCode === prison.code)!
        rows.push({
          ...prison,
          population,
          ...count,
          incidentsPerThousand: perThousand(count.incidents, population),
          peoplePerThousand: perThousand(count.people, population),
          deathsPerThousand: perThousand(count.deaths, population),
          watch: watches.get(prison.code)!,
        })
      }
      const months = monthsEnding(today)
      const byMonth = await store.incidentsByMonth(db, actor.establishmentCode, new Date(`${months[0]}-01T00:00:00Z`))
      const trend = months.map((month) => ({ month, value: byMonth.get(month) ?? 0 }))
      await audit.record(db, actor, { action: 'safety-figures.viewed', details: { prisons: rows.length } })
      return {
        from: rollingYearFrom(today),
        to: today,
        prisons: rows,
        trend,
        chart: trendChart(trend, null),
        canSeeIncidents: hasPermission(actor.role, 'safety-figures.record'),
        canSeeDeaths: hasPermission(actor.role, 'deaths-in-custody.record'),
      }
    },

    /**
     * M4: a prison's self-harm incidents, those that took the person to hospital, and deaths in custody over
     * the rolling 12 months, for the costing page. Counts only: no one is named, so nothing to audit here.
     */
    async safetyCountsAt(establishmentCode: string) {
      const from = rollingYearFrom(clock.today())
      const [count] = await store.safetyCounts(
        db,
        [establishmentCode],
        new Date(`${from}T00:00:00Z`),
        new Date(clock.now().getTime() + 1),
      )
      return { from, to: clock.today(), incidents: count.incidents, hospital: count.hospital, deaths: count.deaths }
    },

    /** M2: the prison's incidents in the rolling 12 months, naming the people: staff who record them only. Audited. */
    async listIncidents(actor: Actor) {
      const from = new Date(`${rollingYearFrom(clock.today())}T00:00:00Z`)
      const incidents = await store.incidentsAt(db, actor.establishmentCode, from)
      await audit.record(db, actor, { action: 'self-harm-incidents.listed', details: { count: incidents.length } })
      return { incidents }
    },

    /** M2: the person, for the incident form (404 for someone at another prison). */
    async incidentForm(actor: Actor, prisonNumber: string) {
      const person = await people.findPersonOrThrow(actor, prisonNumber)
      return { person }
    },

    /**
     * M2: records a self-harm incident. Whether the person was on an open care plan is asked of the care
     * plans area now and kept with the incident. Audited on the person's record.
     */
    async recordIncident(actor: Actor, prisonNumber: string, input: IncidentInput): Promise<Refusal | null> {
      const person = await people.findPersonOrThrow(actor, prisonNumber)
      if (input.occurredAt.getTime() > clock.now().getTime())
        return { field: 'occurredOn', messageKey: 'measures.incident.error.future', values: {} }
      return db.transaction().execute(async (trx) => {
        const openPlans = await carePlans.openCarePlansForHandover(trx, person.id)
        const id = await store.insertIncident(trx, {
          establishmentCode: person.establishmentCode,
          personId: person.id,
          occurredAt: input.occurredAt,
          method: input.method,
          injury: input.injury,
          onOpenCarePlan: openPlans.length > 0,
          recordedAt: clock.now(),
          recordedBy: actor.id,
        })
        await audit.record(trx, actor, {
          action: 'self-harm-incident.recorded',
          personId: person.id,
          details: { incidentId: id },
        })
        return null
      })
    },

    /** M2: the prison's deaths in custody in the rolling 12 months, naming the people: staff who record them. Audited. */
    async listDeaths(actor: Actor) {
      const deaths = await store.deathsAt(db, actor.establishmentCode, rollingYearFrom(clock.today()))
      await audit.record(db, actor, { action: 'deaths-in-custody.listed', details: { count: deaths.length } })
      return { deaths }
    },

    /** M2: the person, for the death in custody form (404 for someone at another prison), and any death recorded. */
    /** M2: the person's header says they died in custody (deathHeaderAlertsOf). */
    headerAlertsOf: (personId: string) => deathHeaderAlertsOf(db, personId),

    async deathForm(actor: Actor, prisonNumber: string) {
      const person = await people.findPersonOrThrow(actor, prisonNumber)
      const recorded = (await store.deathOf(db, person.id)) ?? null
      // The form shows a death already recorded: reading it is a read of the person's record.
      await audit.record(db, actor, { action: 'death-in-custody.form-viewed', personId: person.id })
      return { person, recorded }
    },

    /**
     * M2: records a death in custody with the reference of the Prisons and Probation Ombudsman's investigation.
     * Once per person. Audited on the person's record.
     */
    async recordDeath(
      actor: Actor,
      prisonNumber: string,
      input: { diedOn: IsoDate; investigationReference: string },
    ): Promise<Refusal | null> {
      const person = await people.findPersonOrThrow(actor, prisonNumber)
      if (input.diedOn > clock.today())
        return { field: 'diedOn', messageKey: 'measures.death.error.future', values: {} }
      if (input.diedOn < person.receptionOn)
        return {
          field: 'diedOn',
          messageKey: 'measures.death.error.beforeReception',
          values: { date: person.receptionOn.split('-').reverse().join('/') },
        }
      const referenceRefused = investigationReferenceRefusal(input.investigationReference)
      if (referenceRefused) return referenceRefused
      const reference = input.investigationReference.trim()
      return db.transaction().execute(async (trx) => {
        if (await store.deathOf(trx, person.id))
          return { field: 'diedOn', messageKey: 'measures.death.error.recorded', values: {} }
        const id = await store.insertDeath(trx, {
          establishmentCode: person.establishmentCode,
          personId: person.id,
          diedOn: input.diedOn,
          investigationReference: reference,
          recordedAt: clock.now(),
          recordedBy: actor.id,
        })
        await audit.record(trx, actor, { action: 'death-in-custody.recorded', personId: person.id, details: { id } })
        // Their own view closes with their death, as with a release: no one signs in as them again.
        await events.publish(trx, actor, 'person.left-custody', { personId: person.id, reason: 'death' })
        return null
      })
    },
  }
}
