import { solve } from '../allocator/index.ts'
import type { Db } from '../db/database.ts'
import type { IsoDate } from '../db/schema.ts'
import {
  buildProblem,
  currentTimetable,
  groupIdOf,
  solverFigures,
  verdictOf,
  type RunResult,
} from '../areas/allocation/rules.ts'
import * as store from '../areas/allocation/store.ts'
import { listPeopleAt } from '../areas/people/store.ts'
import { demoStaffWithRole } from './staff.ts'

/** The accepted timetable started four weeks ago, so the attendance demo has weeks of sessions to record. */
export const DEMO_TIMETABLE_WEEKS = 4

function daysBefore(today: IsoDate, days: number): IsoDate {
  const instant = new Date(`${today}T00:00:00Z`)
  instant.setUTCDate(instant.getUTCDate() - days)
  return instant.toISOString().slice(0, 10)
}

/**
 * R5 demo: every demo prison's offer and wants (the regime demo) solved by the allocator and accepted by the
 * prison's activities manager, as a run kept with its problem and verdict. A short time budget keeps the
 * first start quick; a run started from the pages afterwards finds a little more.
 */
export async function seedAllocationDemo(
  trx: Db,
  options: { today: IsoDate; timeMs?: number },
): Promise<{ establishmentCode: string; people: number; allocations: number }[]> {
  const startsOn = daysBefore(options.today, 7 * DEMO_TIMETABLE_WEEKS)
  const acceptedAt = new Date(`${startsOn}T10:00:00Z`)
  const establishments = await trx.selectFrom('establishment').select('code').orderBy('code').execute()
  const managers = await demoStaffWithRole(trx, 'activities', 'demo.')
  const summary = []
  for (const { code } of establishments) {
    const problem = buildProblem(await store.regimeFacts(trx, code), startsOn)
    if (problem.people.length === 0 || problem.activities.length === 0) continue
    const budget = options.timeMs ?? Math.min(800, 200 + Math.floor(problem.people.length / 2))
    const { timetable, stats } = solve(problem, { timeMs: budget, seed: 1 })
    const result: RunResult = {
      proposal: verdictOf(problem, timetable),
      today: verdictOf(problem, currentTimetable(problem)),
      solver: solverFigures(stats),
    }
    const managerId = managers.find((manager) => manager.establishmentCode === code)?.id ?? null
    const runId = await store.insertRun(trx, {
      establishmentCode: code,
      source: 'solver',
      state: 'proposed',
      timeBudgetMs: budget,
      requestedAt: new Date(acceptedAt.getTime() - 600_000),
      requestedBy: managerId,
      finishedAt: new Date(acceptedAt.getTime() - 540_000),
      problem: JSON.stringify(problem),
      timetable: JSON.stringify(timetable),
      result: JSON.stringify(result),
    })
    await store.moveRun(trx, runId, ['proposed'], 'accepted', {
      acceptedAt,
      ...(managerId ? { acceptedBy: managerId } : {}),
    })
    const [everyone, groups] = await Promise.all([listPeopleAt(trx, code), store.groupsAt(trx, code)])
    const personOf = new Map(everyone.map((person) => [person.prisonNumber, person]))
    const groupUuidOf = new Map(groups.map((group) => [groupIdOf(group.activityCode, group.code), group.id]))
    await store.insertAllocations(
      trx,
      timetable.assignments.map(({ person, group }) => {
        const { id, receptionOn } = personOf.get(person)!
        // Nobody joins a group before they arrived.
        return {
          personId: id,
          groupUuid: groupUuidOf.get(group)!,
          startsOn: receptionOn > startsOn ? receptionOn : startsOn,
        }
      }),
      { startsOn, createdAt: acceptedAt, createdBy: managerId, runId },
    )
    summary.push({ establishmentCode: code, people: problem.people.length, allocations: timetable.assignments.length })
  }
  return summary
}
