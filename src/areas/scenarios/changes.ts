/** R6: a scenario and its changes to the prison's set-up: made, listed, and edited group by group. */
import { Conflict, NotFound } from '../../platform/errors.ts'
import type { Actor } from '../../platform/permissions.ts'
import {
  categories,
  changesProblems,
  newGroupProblems,
  weekSlots,
  type NewGroup,
  type Refusal,
  type ScenarioChanges,
  type ScenarioFigures,
} from './rules.ts'
import * as store from './store.ts'
import { scenarioOrThrow, type ScenariosDeps } from './deps.ts'

/** The prison's set-up as a scenario starts from it: the offer's groups, the usable day, the activities. */
async function setUp(deps: ScenariosDeps, establishmentCode: string) {
  const { db, allocation } = deps
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

export async function listScenarios({ db }: ScenariosDeps, actor: Actor) {
  const rows = await store.listScenarios(db, actor.establishmentCode)
  return rows.map((row) => ({ ...row, figures: row.figures as ScenarioFigures | null }))
}

/** R6: copies the current set-up into a new scenario (no changes yet). Audited. */
export async function createScenario(
  deps: ScenariosDeps,
  actor: Actor,
  name: string,
): Promise<{ id: string } | Refusal> {
  const { db, clock, audit } = deps
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
}

/** A scenario with the prison's set-up beside its changes, for the page that edits it. */
export async function viewScenario(deps: ScenariosDeps, actor: Actor, id: string) {
  const scenario = await scenarioOrThrow(deps, actor, id)
  return { scenario, setUp: await setUp(deps, actor.establishmentCode), weekSlots }
}

/** R6: saves the group sizes, the groups that cannot run and the added slots; the last run's figures go. */
export async function saveChanges(
  deps: ScenariosDeps,
  actor: Actor,
  id: string,
  changes: Omit<ScenarioChanges, 'extraGroups'>,
): Promise<Refusal[]> {
  const { db, clock, audit } = deps
  const scenario = await scenarioOrThrow(deps, actor, id)
  const next: ScenarioChanges = { ...changes, extraGroups: scenario.changes.extraGroups }
  const problems = changesProblems(next)
  if (problems.length > 0) return problems
  await db.transaction().execute(async (trx) => {
    if (!(await store.saveChanges(trx, id, scenario.changesAsStored, next, clock.now()))) throw new Conflict()
    await audit.record(trx, actor, { action: 'scenario.changed', details: { scenarioId: id } })
  })
  return []
}

/** R6: adds a group to an activity, in the usable day or the scenario's new slots. */
export async function addGroup(deps: ScenariosDeps, actor: Actor, id: string, group: NewGroup): Promise<Refusal[]> {
  const { db, clock, audit, allocation } = deps
  const scenario = await scenarioOrThrow(deps, actor, id)
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
    if (!(await store.saveChanges(trx, id, scenario.changesAsStored, next, clock.now()))) throw new Conflict()
    await audit.record(trx, actor, { action: 'scenario.changed', details: { scenarioId: id } })
  })
  return []
}

export async function removeGroup(deps: ScenariosDeps, actor: Actor, id: string, index: number) {
  const { db, clock, audit } = deps
  const scenario = await scenarioOrThrow(deps, actor, id)
  if (!scenario.changes.extraGroups[index]) throw new NotFound()
  const next = { ...scenario.changes, extraGroups: scenario.changes.extraGroups.filter((_, at) => at !== index) }
  await db.transaction().execute(async (trx) => {
    if (!(await store.saveChanges(trx, id, scenario.changesAsStored, next, clock.now()))) throw new Conflict()
    await audit.record(trx, actor, { action: 'scenario.changed', details: { scenarioId: id } })
  })
}
