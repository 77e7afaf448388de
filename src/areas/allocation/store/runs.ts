/** Allocation runs: requested, moved from state to state, and kept with their problem, timetable and verdict. */
import type { Db } from '../../../db/database.ts'
import { listTotal, type Page } from '../../../platform/pagination.ts'
import type { AllocationRunState } from '../../../db/schema.ts'
import { staffNameOf } from '../../../db/summaries.ts'

export type RunRow = {
  id: string
  establishmentCode: string
  source: 'solver' | 'import'
  state: AllocationRunState
  timeBudgetMs: number
  requestedAt: Date
  requestedBy: string | null
  requestedByName: string | null
  solvingStartedAt: Date | null
  finishedAt: Date | null
  error: string | null
  acceptedAt: Date | null
  acceptedByName: string | null
}

function runs(db: Db) {
  return db
    .selectFrom('allocation_run as r')
    .select([
      'r.id',
      'r.establishment_code as establishmentCode',
      'r.source',
      'r.state',
      'r.time_budget_ms as timeBudgetMs',
      'r.requested_at as requestedAt',
      'r.requested_by as requestedBy',
      (eb) => staffNameOf(eb, 'r.requested_by').as('requestedByName'),
      'r.solving_started_at as solvingStartedAt',
      'r.finished_at as finishedAt',
      'r.error',
      'r.accepted_at as acceptedAt',
      (eb) => staffNameOf(eb, 'r.accepted_by').as('acceptedByName'),
    ])
}

/** A page of a prison's runs, the latest first, each with how many runs the prison has had. */
export async function listRuns(db: Db, establishmentCode: string, page: Page) {
  return runs(db)
    .select(listTotal)
    .where('r.establishment_code', '=', establishmentCode)
    .orderBy('r.requested_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(page.size)
    .offset(page.offset)
    .execute()
}

export async function findRun(db: Db, id: string): Promise<RunRow | undefined> {
  return runs(db).where('r.id', '=', id).executeTakeFirst()
}

/** The run's stored JSON: problem, timetable and verdict. */
export async function findRunData(db: Db, id: string) {
  return db
    .selectFrom('allocation_run')
    .select(['problem', 'timetable', 'result'])
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function runUnderWay(db: Db, establishmentCode: string) {
  return db
    .selectFrom('allocation_run')
    .select('id')
    .where('establishment_code', '=', establishmentCode)
    .where('state', 'in', ['waiting', 'building', 'solving'])
    .executeTakeFirst()
}

export async function insertRun(
  db: Db,
  run: Pick<RunRow, 'establishmentCode' | 'source' | 'state' | 'timeBudgetMs' | 'requestedAt' | 'requestedBy'> & {
    problem?: string
    timetable?: string
    result?: string
    finishedAt?: Date
  },
): Promise<string> {
  const row = await db
    .insertInto('allocation_run')
    .values({
      establishment_code: run.establishmentCode,
      source: run.source,
      state: run.state,
      time_budget_ms: run.timeBudgetMs,
      requested_at: run.requestedAt,
      requested_by: run.requestedBy,
      problem: run.problem ?? null,
      timetable: run.timetable ?? null,
      result: run.result ?? null,
      finished_at: run.finishedAt ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Moves a run on from one of `from`; returns false when it was in none of them (another worker had it). */
export async function moveRun(
  db: Db,
  id: string,
  from: readonly AllocationRunState[],
  to: AllocationRunState,
  values: {
    solvingStartedAt?: Date
    finishedAt?: Date
    problem?: string
    timetable?: string
    result?: string
    error?: string
    acceptedAt?: Date
    acceptedBy?: string
  } = {},
): Promise<boolean> {
  const result = await db
    .updateTable('allocation_run')
    .set({
      state: to,
      ...(values.solvingStartedAt ? { solving_started_at: values.solvingStartedAt } : {}),
      ...(values.finishedAt ? { finished_at: values.finishedAt } : {}),
      ...(values.problem !== undefined ? { problem: values.problem } : {}),
      ...(values.timetable !== undefined ? { timetable: values.timetable } : {}),
      ...(values.result !== undefined ? { result: values.result } : {}),
      ...(values.error !== undefined ? { error: values.error } : {}),
      ...(values.acceptedAt ? { accepted_at: values.acceptedAt, accepted_by: values.acceptedBy ?? null } : {}),
    })
    .where('id', '=', id)
    .where('state', 'in', from)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Locks the run for the accepting transaction, so two managers accepting at once cannot both succeed. */
export async function lockRun(db: Db, id: string) {
  return db
    .selectFrom('allocation_run')
    .select(['id', 'establishment_code as establishmentCode', 'state', 'timetable'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export async function supersedeProposals(db: Db, establishmentCode: string, exceptId: string) {
  await db
    .updateTable('allocation_run')
    .set({ state: 'superseded' })
    .where('establishment_code', '=', establishmentCode)
    .where('state', '=', 'proposed')
    .where('id', '!=', exceptId)
    .execute()
}
