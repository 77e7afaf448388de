import type { Problem } from '../../allocator/index.ts'
import type { Db } from '../../db/database.ts'
import type { Audit } from '../../platform/audit.ts'
import type { Clock } from '../../platform/clock.ts'
import { NotFound } from '../../platform/errors.ts'
import type { Actor } from '../../platform/permissions.ts'
import {
  applyGroupChanges,
  categories,
  changesProblems,
  currentTimetableOf,
  newGroupProblems,
  readChanges,
  scenarioFigures,
  weekSlots,
  type NewGroup,
  type Refusal,
  type ScenarioChanges,
  type ScenarioFigures,
} from './rules.ts'
import { solveInWorker } from '../../allocator/solve-in-worker.ts'
import * as store from './store.ts'

/** What scenarios need from the allocation area: the allocator's problem as the prison's records stand. */
export type AllocationForScenarios = {
  allocationProblemFor: (
    establishmentCode: string,
    overrides?: { extraSlots?: readonly string[]; extraGroups?: readonly NewGroup[] },
  ) => Promise<Problem>
}

/** What scenarios need from attendance: how long each slot lasts, for hours out of cell. */
export type AttendanceForScenarios = {
  slotHoursFor: (establishmentCode: string) => Promise<(slot: string) => number>
}

export type ScenariosService = ReturnType<typeof createScenariosService>

/** The solver's time for a scenario: long enough to come close to its best, short enough to wait for. */
export const SCENARIO_TIME_MS = 1500

export function createScenariosService({
  db,
  clock,
  audit,
  allocation,
  attendance,
  timeMs = SCENARIO_TIME_MS,
}: {
  db: Db
  clock: Clock
  audit: Audit
  allocation: AllocationForScenarios
  attendance: AttendanceForScenarios
  timeMs?: number
}) {
  async function scenarioOrThrow(actor: Actor, id: string) {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new NotFound()
    const row = await store.findScenario(db, actor.establishmentCode, id)
    if (!row) throw new NotFound()
    return { ...row, changes: readChanges(row.changes), figures: row.figures as ScenarioFigures | null }
  }

  /** The prison's set-up as a scenario starts from it: the offer's groups, the usable day, the activities. */
  async function setUp(establishmentCode: string) {
    const [problem, activities] = await Promise.all([
      allocation.allocationProblemFor(establishmentCode),
      store.activitiesAt(db, establishmentCode),
    ])
    const names = new Map(activities.map((activity) => [activity.code, activity.name]))
    return {
      usableSlots: problem.slots,
      activities: activities.map((activity) => ({
        code: activity.code,
        name: activity.name,
        category: activity.category,
      })),
      byCategory: categories.map((category) => {
        const inCategory = problem.activities.filter((activity) => activity.category === category)
        return {
          category,
          groups: inCategory.flatMap((activity) =>
            activity.groups.map((group) => ({
              id: group.id,
              activityName: names.get(activity.id) ?? activity.id,
              slots: group.slots,
              capacity: group.capacity,
              minSize: group.minSize,
            })),
          ),
        }
      }),
    }
  }

  /** Today, measured the same way as a scenario: the current timetable against the set-up as it stands. */
  async function todayFigures(establishmentCode: string) {
    const [problem, hoursOf] = await Promise.all([
      allocation.allocationProblemFor(establishmentCode),
      attendance.slotHoursFor(establishmentCode),
    ])
    return scenarioFigures(problem, currentTimetableOf(problem), hoursOf)
  }

  return {
    async listScenarios(actor: Actor) {
      const rows = await store.listScenarios(db, actor.establishmentCode)
      return rows.map((row) => ({ ...row, figures: row.figures as ScenarioFigures | null }))
    },

    /** R6: copies the current set-up into a new scenario (no changes yet). Audited. */
    async createScenario(actor: Actor, name: string): Promise<{ id: string } | Refusal> {
      if (name.length < 1 || name.length > 80) return { field: 'name', messageKey: 'scenarios.error.name', values: {} }
      return db.transaction().execute(async (trx) => {
        const id = await store.insertScenario(trx, {
          establishmentCode: actor.establishmentCode,
          name,
          changes: { capacityPercent: {}, minSize: {}, closedGroups: [], extraSlots: [], extraGroups: [] },
          at: clock.now(),
          by: actor.id,
        })
        await audit.record(trx, actor, { action: 'scenario.created', details: { scenarioId: id } })
        return { id }
      })
    },

    /** A scenario with the prison's set-up beside its changes, for the page that edits it. */
    async viewScenario(actor: Actor, id: string) {
      const scenario = await scenarioOrThrow(actor, id)
      return { scenario, setUp: await setUp(actor.establishmentCode), weekSlots }
    },

    /** R6: saves the group sizes, the groups that cannot run and the added slots; the last run's figures go. */
    async saveChanges(actor: Actor, id: string, changes: Omit<ScenarioChanges, 'extraGroups'>): Promise<Refusal[]> {
      const scenario = await scenarioOrThrow(actor, id)
      const next: ScenarioChanges = { ...changes, extraGroups: scenario.changes.extraGroups }
      const problems = changesProblems(next)
      if (problems.length > 0) return problems
      await db.transaction().execute(async (trx) => {
        await store.saveChanges(trx, id, next, clock.now())
        await audit.record(trx, actor, { action: 'scenario.changed', details: { scenarioId: id } })
      })
      return []
    },

    /** R6: adds a group to an activity, in the usable day or the scenario's new slots. */
    async addGroup(actor: Actor, id: string, group: NewGroup): Promise<Refusal[]> {
      const scenario = await scenarioOrThrow(actor, id)
      const problem = await allocation.allocationProblemFor(actor.establishmentCode)
      const problems = newGroupProblems(group, {
        activityCodes: new Set(problem.activities.map((activity) => activity.id)),
        groupIds: new Set([
          ...problem.activities.flatMap((activity) => activity.groups.map((existing) => existing.id)),
          ...scenario.changes.extraGroups.map((existing) => `${existing.activityCode}/${existing.code}`),
        ]),
        usableSlots: new Set([...problem.slots, ...scenario.changes.extraSlots]),
      })
      if (problems.length > 0) return problems
      const next = { ...scenario.changes, extraGroups: [...scenario.changes.extraGroups, group] }
      await db.transaction().execute(async (trx) => {
        await store.saveChanges(trx, id, next, clock.now())
        await audit.record(trx, actor, { action: 'scenario.changed', details: { scenarioId: id } })
      })
      return []
    },

    async removeGroup(actor: Actor, id: string, index: number) {
      const scenario = await scenarioOrThrow(actor, id)
      if (!scenario.changes.extraGroups[index]) throw new NotFound()
      const next = { ...scenario.changes, extraGroups: scenario.changes.extraGroups.filter((_, at) => at !== index) }
      await db.transaction().execute(async (trx) => {
        await store.saveChanges(trx, id, next, clock.now())
        await audit.record(trx, actor, { action: 'scenario.changed', details: { scenarioId: id } })
      })
    },

    /**
     * R6: builds the prison's problem with the scenario's changes, runs the allocator on it in a worker
     * thread, and keeps the figures of its timetable. With `typed`, the changes as the page's form holds them
     * are saved first (the run button is that form's), so what the manager typed is what runs. Refused, and
     * nothing saved, when the typed changes are out of range or a run of it is already under way.
     */
    async runScenario(actor: Actor, id: string, typed?: Omit<ScenarioChanges, 'extraGroups'>): Promise<Refusal[]> {
      const scenario = await scenarioOrThrow(actor, id)
      const changes: ScenarioChanges = typed
        ? { ...typed, extraGroups: scenario.changes.extraGroups }
        : scenario.changes
      const problems = changesProblems(changes)
      if (problems.length > 0) return problems
      if (!(await store.startRun(db, id, clock.now())))
        return [{ field: 'run', messageKey: 'scenarios.error.running', values: {} }]
      try {
        if (JSON.stringify(changes) !== JSON.stringify(scenario.changes))
          await db.transaction().execute(async (trx) => {
            await store.saveChangesOfRun(trx, id, changes, clock.now())
            await audit.record(trx, actor, { action: 'scenario.changed', details: { scenarioId: id } })
          })
        const base = await allocation.allocationProblemFor(actor.establishmentCode, {
          extraSlots: changes.extraSlots,
          extraGroups: changes.extraGroups,
        })
        const problem = applyGroupChanges(base, changes)
        const [timetable, hoursOf] = await Promise.all([
          solveInWorker(problem, { timeMs }).then((result) => result.timetable),
          attendance.slotHoursFor(actor.establishmentCode),
        ])
        const figures = scenarioFigures(problem, timetable, hoursOf)
        await db.transaction().execute(async (trx) => {
          await store.finishRun(trx, id, figures, clock.now())
          await audit.record(trx, actor, { action: 'scenario.run', details: { scenarioId: id } })
        })
        return []
      } catch (error) {
        // The reason stays with the scenario for the page; it names no person.
        await store.failRun(db, id, error instanceof Error ? error.message.slice(0, 500) : 'unknown error')
        throw error
      }
    },

    /** R6: today beside the chosen scenarios that have run, measured the same way. Audited. */
    async compare(actor: Actor, ids: readonly string[]) {
      const chosen = []
      for (const id of ids) chosen.push(await scenarioOrThrow(actor, id))
      const today = await todayFigures(actor.establishmentCode)
      await audit.record(db, actor, {
        action: 'scenarios.compared',
        details: { scenarios: chosen.map((scenario) => scenario.id).join(',') },
      })
      return {
        today,
        scenarios: chosen.filter(
          (scenario): scenario is typeof scenario & { figures: ScenarioFigures } =>
            scenario.runState === 'done' && scenario.figures !== null,
        ),
        notRun: chosen.filter((scenario) => scenario.runState !== 'done' || scenario.figures === null),
      }
    },
  }
}
