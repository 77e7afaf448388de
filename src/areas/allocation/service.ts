import { DEFAULT_SLOTS, parseProblem, parseTimetable, type Problem, type Timetable } from '../../allocator/index.ts'
import type { Db } from '../../db/database.ts'
import type { AllocationRunState } from '../../db/schema.ts'
import type { Audit } from '../../platform/audit.ts'
import type { Clock } from '../../platform/clock.ts'
import { NotFound } from '../../platform/errors.ts'
import type { JobHandlers, Jobs } from '../../platform/jobs.ts'
import type { Notifications } from '../../platform/notifications.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { PeopleService } from '../people/service.ts'
import {
  buildProblem,
  currentTimetable,
  groupChanges,
  groupIdOf,
  manualChangeRefusals,
  peopleWithNoSession,
  verdictOf,
  type ChangeRefusal,
  type ProblemOverrides,
  type RunResult,
  type Verdict,
} from './rules.ts'
import { solveInWorker } from '../../allocator/solve-in-worker.ts'
import * as store from './store.ts'

export type AllocationService = ReturnType<typeof createAllocationService>

export const RUN_QUEUE = 'allocation:run'
export const DEFAULT_TIME_BUDGET_MS = 3000

/** A problem a manager can put right, as a message key with its values (a field to point at, if any). */
export type Refusal = { messageKey: string; values: Record<string, string | number> }

const underWay: readonly AllocationRunState[] = ['waiting', 'building', 'solving']

/** The error kept on a run whose worker's process ended while it built or solved the run. */
export const RUN_STOPPED_ERROR = 'Stopped: the process working on the run ended before it finished'

export function createAllocationService({
  db,
  clock,
  audit,
  people,
  jobs,
  notifications,
}: {
  db: Db
  clock: Clock
  audit: Audit
  people: PeopleService
  jobs: Jobs
  notifications: Notifications
}) {
  async function problemFor(establishmentCode: string, overrides: ProblemOverrides = {}, trx: Db = db) {
    return buildProblem(await store.regimeFacts(trx, establishmentCode), clock.today(), overrides)
  }

  /** A run at the user's prison, or NotFound: a run elsewhere is not confirmed to exist. */
  async function runAt(actor: Actor, runId: string) {
    const run = await store.findRun(db, runId)
    if (!run || run.establishmentCode !== actor.establishmentCode) throw new NotFound()
    return run
  }

  /** Names for the review and the refusals: prison number to name, group id to activity name and group. */
  async function labels(establishmentCode: string) {
    const [everyone, names] = await Promise.all([
      people.listPeopleAt(establishmentCode),
      store.activityNames(db, establishmentCode),
    ])
    const byNumber = new Map(everyone.map((person) => [person.prisonNumber, person]))
    return {
      person: (prisonNumber: string) => {
        const person = byNumber.get(prisonNumber)
        return person ? `${person.lastName}, ${person.firstName} (${prisonNumber})` : prisonNumber
      },
      personRecord: (prisonNumber: string) => byNumber.get(prisonNumber),
      group: (groupId: string) => {
        const [activityCode, groupCode] = groupId.split('/') as [string, string]
        return `${names.get(activityCode) ?? activityCode}/${groupCode}`
      },
      activity: (activityCode: string) => names.get(activityCode) ?? activityCode,
    }
  }

  /** Replaces the ids in a refusal's values with the names a manager knows them by. */
  function named(refusal: ChangeRefusal, label: Awaited<ReturnType<typeof labels>>): Refusal {
    const values = { ...refusal.values }
    for (const key of ['group', 'other'] as const)
      if (typeof values[key] === 'string' && values[key].includes('/')) values[key] = label.group(values[key])
    if (typeof values.activity === 'string') values.activity = label.activity(values.activity)
    return { messageKey: refusal.messageKey, values }
  }

  /** Writes a timetable into `activity_allocation`: closes what it drops, opens what it adds. */
  async function saveTimetable(
    trx: Db,
    actor: Actor | null,
    establishmentCode: string,
    timetable: Timetable,
    runId: string | null,
  ) {
    const [current, everyone, groups] = await Promise.all([
      store.currentAllocationsAt(trx, establishmentCode),
      store.prisonNumbersAt(trx, establishmentCode),
      store.groupsAt(trx, establishmentCode),
    ])
    const numberOf = new Map(everyone.map((person) => [person.id, person.prisonNumber]))
    const groupIdOfUuid = new Map(groups.map((group) => [group.id, groupIdOf(group.activityCode, group.code)]))
    // Every current place in the prison's groups that the timetable does not hold ends, a person moved away included.
    const wanted = new Set(timetable.assignments.map(({ person, group }) => `${person}\n${group}`))
    const held = new Set<string>()
    const ending: string[] = []
    for (const row of current) {
      const key = `${numberOf.get(row.personId) ?? ''}\n${groupIdOfUuid.get(row.groupUuid) ?? ''}`
      if (wanted.has(key) && !held.has(key)) held.add(key)
      else ending.push(row.id)
    }
    const personIdOf = new Map(everyone.map((person) => [person.prisonNumber, person.id]))
    const groupUuidOf = new Map(groups.map((group) => [groupIdOf(group.activityCode, group.code), group.id]))
    const opening = timetable.assignments
      .filter(({ person, group }) => !held.has(`${person}\n${group}`))
      .map(({ person, group }) => ({ personId: personIdOf.get(person)!, groupUuid: groupUuidOf.get(group)! }))
    const today = clock.today()
    await store.endAllocations(trx, ending, today, runId ? 'allocation-run' : 'manual')
    await store.insertAllocations(trx, opening, {
      startsOn: today,
      createdAt: clock.now(),
      createdBy: actor?.id ?? null,
      runId,
    })
    return { joined: opening.length, left: ending.length }
  }

  /** R5: builds the problem, solves it in a worker thread within the run's budget and keeps the proposal. */
  async function runAllocation(runId: string): Promise<void> {
    const run = await store.findRun(db, runId)
    if (!run || !underWay.includes(run.state)) return
    if (run.state !== 'waiting') {
      // Its job came back to the queue: the worker that took it up stopped renewing it (its process was
      // killed or crashed) while building or solving. Failing the run lets the manager start another at once;
      // solving it again could end this process the same way.
      await store.moveRun(db, runId, ['building', 'solving'], 'failed', {
        finishedAt: clock.now(),
        error: RUN_STOPPED_ERROR,
      })
      return
    }
    try {
      await store.moveRun(db, runId, underWay, 'building')
      const problem = await problemFor(run.establishmentCode)
      await store.moveRun(db, runId, ['building'], 'solving', {
        problem: JSON.stringify(problem),
        solvingStartedAt: clock.now(),
      })
      const { timetable, stats } = await solveInWorker(problem, { timeMs: run.timeBudgetMs, seed: 1 })
      const result: RunResult = {
        proposal: verdictOf(problem, timetable),
        today: verdictOf(problem, currentTimetable(problem)),
        solver: { elapsedMs: stats.elapsedMs, rounds: stats.rounds, stoppedBy: stats.stoppedBy },
      }
      await db.transaction().execute(async (trx) => {
        const moved = await store.moveRun(trx, runId, ['solving'], 'proposed', {
          timetable: JSON.stringify(timetable),
          result: JSON.stringify(result),
          finishedAt: clock.now(),
        })
        if (moved && run.requestedBy)
          await notifications.notify(trx, {
            recipientIds: [run.requestedBy],
            establishmentCode: run.establishmentCode,
            kind: 'allocation.run-finished',
            messageKey: 'allocation.notification.finished',
            href: `/allocation/runs/${runId}`,
          })
      })
    } catch (error) {
      await store.moveRun(db, runId, underWay, 'failed', {
        finishedAt: clock.now(),
        error: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : 'failed',
      })
    }
  }

  async function reviewOf(actor: Actor, runId: string) {
    const run = await runAt(actor, runId)
    const data = await store.findRunData(db, runId)
    if (!data?.problem || !data.timetable || !data.result) return { run, review: null }
    const problem = data.problem as Problem
    const timetable = data.timetable as Timetable
    const result = data.result as RunResult
    const label = await labels(run.establishmentCode)
    const changes = groupChanges(problem, timetable)
      .filter((change) => change.joins.length + change.leaves.length > 0)
      .map((change) => ({
        groupId: change.groupId,
        groupName: label.group(change.groupId),
        joins: change.joins.map(label.person),
        leaves: change.leaves.map(label.person),
        stays: change.stays,
      }))
      .sort((a, b) => a.groupName.localeCompare(b.groupName))
    const noSession = peopleWithNoSession(problem, timetable).map((prisonNumber) => {
      const person = problem.people.find((p) => p.id === prisonNumber)!
      return { prisonNumber, name: label.person(prisonNumber), wants: Object.keys(person.wants).length }
    })
    return {
      run,
      review: {
        proposal: result.proposal,
        today: result.today,
        solver: result.solver,
        people: problem.people.length,
        groups: problem.activities.reduce((sum, activity) => sum + activity.groups.length, 0),
        changes,
        joined: changes.reduce((sum, change) => sum + change.joins.length, 0),
        left: changes.reduce((sum, change) => sum + change.leaves.length, 0),
        noSession,
      },
    }
  }

  return {
    /**
     * R5, R6: the allocator's problem (format 1) for a prison as its records stand, with a scenario's
     * changes applied. Passes the allocator's `parseProblem`. Not audited: it holds prison numbers and
     * protected characteristics, so the callers that show or export it audit that.
     */
    async allocationProblemFor(establishmentCode: string, overrides: ProblemOverrides = {}, trx: Db = db) {
      return problemFor(establishmentCode, overrides, trx)
    },

    /** The job handlers the server's worker runs: one allocation run per job. */
    jobHandlers(): JobHandlers {
      return {
        [RUN_QUEUE]: async (payload) => {
          const { runId } = payload as { runId: string }
          await runAllocation(runId)
        },
      }
    },

    /** For the demo and the benchmark: the same work as a job, without waiting for a worker. */
    runAllocation,

    /** R5: starts a run for the user's prison, unless one is under way there. Audited. */
    async startRun(actor: Actor, options: { timeBudgetMs?: number } = {}): Promise<{ runId: string } | Refusal> {
      return db.transaction().execute(async (trx) => {
        const running = await store.runUnderWay(trx, actor.establishmentCode)
        if (running) return { messageKey: 'allocation.start.error.underWay', values: {} }
        const runId = await store.insertRun(trx, {
          establishmentCode: actor.establishmentCode,
          source: 'solver',
          state: 'waiting',
          timeBudgetMs: options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS,
          requestedAt: clock.now(),
          requestedBy: actor.id,
        })
        await jobs.enqueue(trx, RUN_QUEUE, { runId }, { maxAttempts: 2 })
        await audit.record(trx, actor, { action: 'allocation-run.started', details: { runId } })
        return { runId }
      })
    },

    /** The runs page: recent runs at the user's prison, and whether one is under way. */
    async listRuns(actor: Actor) {
      const runs = await store.listRuns(db, actor.establishmentCode)
      return { runs, underWay: runs.find((run) => underWay.includes(run.state)) ?? null }
    },

    /** R5: a run's progress while it runs, and the review of its proposal when it has one. */
    async viewRun(actor: Actor, runId: string) {
      const { run, review } = await reviewOf(actor, runId)
      const now = clock.now().getTime()
      const progress =
        run.state === 'solving' && run.solvingStartedAt
          ? Math.min(99, Math.floor((100 * (now - run.solvingStartedAt.getTime())) / run.timeBudgetMs))
          : run.state === 'waiting' || run.state === 'building'
            ? 0
            : 100
      return {
        run,
        progress,
        isUnderWay: underWay.includes(run.state),
        stoppedBeforeFinishing: run.state === 'failed' && run.error === RUN_STOPPED_ERROR,
        review,
      }
    },

    /**
     * R5: accepting a proposal replaces the prison's timetable in one transaction. The proposal is checked
     * again against the prison as it is now (people move, groups close): if it no longer keeps the rules it is
     * refused with the reasons, and nothing changes. Audited.
     */
    async acceptRun(actor: Actor, runId: string): Promise<Refusal[]> {
      await runAt(actor, runId)
      return db.transaction().execute(async (trx) => {
        const run = await store.lockRun(trx, runId)
        if (!run || run.establishmentCode !== actor.establishmentCode) throw new NotFound()
        if (run.state !== 'proposed')
          return [{ messageKey: 'allocation.accept.error.state', values: { state: run.state } }]
        const problem = await problemFor(run.establishmentCode, {}, trx)
        const parsed = parseTimetable(run.timetable, problem)
        if (!parsed.ok)
          return parsed.errors
            .slice(0, 10)
            .map((error) => ({ messageKey: 'allocation.accept.error.changed', values: { reason: error } }))
        const verdict = verdictOf(problem, parsed.value)
        if (!verdict.valid)
          return verdict.violations.slice(0, 10).map((violation) => ({
            messageKey: 'allocation.accept.error.changed',
            values: { reason: violation.message },
          }))
        const counts = await saveTimetable(trx, actor, run.establishmentCode, parsed.value, runId)
        await store.moveRun(trx, runId, ['proposed'], 'accepted', { acceptedAt: clock.now(), acceptedBy: actor.id })
        await store.supersedeProposals(trx, run.establishmentCode, runId)
        await audit.record(trx, actor, { action: 'allocation-run.accepted', details: { runId, ...counts } })
        return []
      })
    },

    /**
     * R5: the checker's verdict today on a run kept with its inputs: against its own problem (the rules do
     * not change, so a valid run stays valid), and against the prison as it is now.
     */
    async recheckRun(actor: Actor, runId: string) {
      const run = await runAt(actor, runId)
      const data = await store.findRunData(db, runId)
      if (!data?.problem || !data.timetable) throw new NotFound()
      const ownProblem = parseProblem(data.problem)
      if (!ownProblem.ok) return { run, own: null, ownErrors: ownProblem.errors, now: null, nowErrors: [] }
      const ownTimetable = parseTimetable(data.timetable, ownProblem.value)
      const own = ownTimetable.ok ? verdictOf(ownProblem.value, ownTimetable.value) : null
      const problemNow = await problemFor(run.establishmentCode)
      const timetableNow = parseTimetable(data.timetable, problemNow)
      await audit.record(db, actor, { action: 'allocation-run.rechecked', details: { runId } })
      return {
        run,
        own,
        ownErrors: ownTimetable.ok ? [] : ownTimetable.errors,
        now: timetableNow.ok ? verdictOf(problemNow, timetableNow.value) : null,
        nowErrors: timetableNow.ok ? [] : timetableNow.errors.slice(0, 20),
      }
    },

    /** R5: a run's problem or the prison's problem now, as the JSON `waymark allocate` reads. Audited. */
    async exportProblem(actor: Actor): Promise<string> {
      const problem = await problemFor(actor.establishmentCode)
      await audit.record(db, actor, {
        action: 'allocation.problem-exported',
        details: { people: problem.people.length },
      })
      return `${JSON.stringify(problem, null, 2)}\n`
    },

    /**
     * R5: a timetable solved outside the app, checked against the prison's problem now. A valid one becomes a
     * proposal to review and accept like any run; an invalid one is refused with every reason. Audited.
     */
    async importTimetable(actor: Actor, text: string): Promise<{ runId: string } | { errors: string[] }> {
      let json: unknown
      try {
        json = JSON.parse(text) as unknown
      } catch (error) {
        return { errors: [`The timetable is not valid JSON: ${(error as Error).message}`] }
      }
      const problem = await problemFor(actor.establishmentCode)
      const parsed = parseTimetable(json, problem)
      if (!parsed.ok) return { errors: parsed.errors.slice(0, 50) }
      const proposal = verdictOf(problem, parsed.value)
      if (!proposal.valid)
        return {
          errors: proposal.violations.map((violation) => `Rule ${violation.rule}: ${violation.message}`),
        }
      const result: RunResult = { proposal, today: verdictOf(problem, currentTimetable(problem)), solver: null }
      return db.transaction().execute(async (trx) => {
        const now = clock.now()
        const runId = await store.insertRun(trx, {
          establishmentCode: actor.establishmentCode,
          source: 'import',
          state: 'proposed',
          timeBudgetMs: 100,
          requestedAt: now,
          requestedBy: actor.id,
          finishedAt: now,
          problem: JSON.stringify(problem),
          timetable: JSON.stringify(parsed.value),
          result: JSON.stringify(result),
        })
        await audit.record(trx, actor, { action: 'allocation.timetable-imported', details: { runId } })
        return { runId }
      })
    },

    /** For attendance and the timetable tab: a person's current groups, with where and when they meet. */
    /**
     * M3: everyone at a prison waiting for an activity they were assessed as wanting (no place in any group of
     * it now), with their reception and the date of their latest needs assessment. Not audited: no one is named
     * beyond the equality area, which audits its page.
     */
    async waitingForActivitiesAt(establishmentCode: string) {
      return store.waitingForActivitiesAt(db, establishmentCode)
    },

    /** M3: sessions a week in each person's current timetable at a prison (people with none are absent). */
    async sessionsPerWeekAt(establishmentCode: string): Promise<Map<string, number>> {
      const rows = await store.sessionsPerWeekAt(db, establishmentCode)
      return new Map(rows.map((row) => [row.personId, Number(row.sessions)]))
    },

    async timetableFor(personId: string) {
      return store.personGroups(db, personId)
    },

    /** For attendance and the register: the people in a group now. */
    async currentGroupMembers(groupId: string) {
      return store.groupMembers(db, groupId)
    },

    /** R5: a person's weekly timetable, for their record and their printed copy. */
    async viewPersonTimetable(actor: Actor, prisonNumber: string) {
      const person = await people.personHeader(actor, prisonNumber)
      const groups = await store.personGroups(db, person.id)
      return { person, groups, sessions: groups.reduce((sum, group) => sum + group.slots.length, 0) }
    },

    /** Every group at the user's prison with its size now, for the registers and for changes by hand. */
    async listGroups(actor: Actor) {
      const [groups, sizes] = await Promise.all([
        store.groupsAt(db, actor.establishmentCode),
        store.groupSizes(db, actor.establishmentCode),
      ])
      return groups.map((group) => ({ ...group, size: sizes.get(group.id) ?? 0 }))
    },

    /** R5: a group's register: who is in it now, where they live. */
    async viewGroupRegister(actor: Actor, groupId: string) {
      const group = await store.findGroup(db, groupId)
      if (!group || group.establishmentCode !== actor.establishmentCode) throw new NotFound()
      return { group, members: await store.groupMembers(db, groupId) }
    },

    /**
     * R5: adds a person to a group, or takes them out, by hand: refused, with the rule and the people or group
     * named, if it breaks any of the allocator's six rules. Audited.
     */
    async changeGroupMembership(
      actor: Actor,
      groupId: string,
      prisonNumber: string,
      kind: 'add' | 'remove',
    ): Promise<Refusal[]> {
      const group = await store.findGroup(db, groupId)
      if (!group || group.establishmentCode !== actor.establishmentCode) throw new NotFound()
      const label = await labels(actor.establishmentCode)
      const person = label.personRecord(prisonNumber.trim().toUpperCase())
      if (!person) return [{ messageKey: 'allocation.change.error.notFound', values: { prisonNumber } }]
      return db.transaction().execute(async (trx) => {
        const problem = await problemFor(actor.establishmentCode, {}, trx)
        const current = currentTimetable(problem)
        const allocatorGroupId = groupIdOf(group.activityCode, group.code)
        const refusals = manualChangeRefusals(problem, current, {
          kind,
          person: person.prisonNumber,
          group: allocatorGroupId,
        })
        if (refusals.length > 0) return refusals.map((refusal) => named(refusal, label))
        const assignments =
          kind === 'add'
            ? [...current.assignments, { person: person.prisonNumber, group: allocatorGroupId }]
            : current.assignments.filter((a) => !(a.person === person.prisonNumber && a.group === allocatorGroupId))
        await saveTimetable(trx, actor, actor.establishmentCode, { version: 1, assignments }, null)
        await audit.record(trx, actor, {
          action: kind === 'add' ? 'activity-allocation.added' : 'activity-allocation.removed',
          personId: person.id,
          details: { groupId },
        })
        return []
      })
    },

    /** R5: for officers, who goes where from a wing in one session, by destination. */
    async movementList(actor: Actor, wingCode: string | undefined, slot: string | undefined) {
      const [wings, usable] = await Promise.all([
        store.wingsAt(db, actor.establishmentCode),
        store.usableSlots(db, actor.establishmentCode),
      ])
      const wing = wings.find((candidate) => candidate.code === wingCode) ?? null
      const slots = DEFAULT_SLOTS.filter((candidate) => usable.includes(candidate))
      const chosenSlot = slot && slots.includes(slot) ? slot : null
      const movements =
        wing && chosenSlot ? await store.movementsFrom(db, actor.establishmentCode, wing.code, chosenSlot) : []
      const destinations = new Map<
        string,
        { groupId: string; activityName: string; groupCode: string; location: string; people: typeof movements }
      >()
      for (const movement of movements) {
        const destination = destinations.get(movement.groupId) ?? {
          groupId: movement.groupId,
          activityName: movement.activityName,
          groupCode: movement.groupCode,
          location: movement.location,
          people: [],
        }
        destination.people.push(movement)
        destinations.set(movement.groupId, destination)
      }
      return { wings, slots, wing, slot: chosenSlot, destinations: [...destinations.values()], count: movements.length }
    },
  }
}

export type { Verdict }
