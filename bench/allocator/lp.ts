import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import highsLoader from 'highs'
import type { Highs, ModelData } from 'highs'
import { buildModel } from '../../src/allocator/model.ts'
import type { Problem } from '../../src/allocator/problem.ts'

/**
 * The reference model for the benchmark: the allocation problem as a mixed-integer program in its
 * disaggregated form. x[p][g] for each candidate pair, s[p] <= target for the fairness term, y[g] for each
 * group with a minimum size above 1 (x <= y, min*y <= size <= cap*y), and z[g][c] for each cohort of a
 * group that could hold separated cohorts (x <= z, z[a] + z[b] <= 1). Its LP relaxation is the ceiling.
 */

type Row = { lower: number; upper: number; columns: number[]; values: number[] }

export type ReferenceModel = { data: ModelData; integerColumns: number; rows: number }

export function referenceModel(problem: Problem, highs: Highs, integer: boolean): ReferenceModel {
  const m = buildModel(problem)
  const cost: number[] = []
  const upper: number[] = []
  const isInteger: number[] = []
  const rows: Row[] = []
  const column = (objective: number, bound: number, integral: boolean) => {
    cost.push(objective)
    upper.push(bound)
    isInteger.push(integral && integer ? 1 : 0)
    return cost.length - 1
  }
  const xColumn = new Int32Array(m.candGroup.length)
  for (let k = 0; k < m.candGroup.length; k++) xColumn[k] = column(m.candValue[k], 1, true)

  for (let p = 0; p < m.personCount; p++) {
    const start = m.candStart[p]
    const end = m.candStart[p + 1]
    if (start === end) continue
    const byActivity = new Map<number, number[]>()
    const bySlot = new Map<number, number[]>()
    const session: Row = { lower: -Infinity, upper: m.personMaxSessions[p], columns: [], values: [] }
    const s = column(m.fairnessWeight, m.target, false)
    const fairness: Row = { lower: -Infinity, upper: 0, columns: [s], values: [1] }
    for (let k = start; k < end; k++) {
      const g = m.candGroup[k]
      const activity = m.groupActivity[g]
      byActivity.set(activity, [...(byActivity.get(activity) ?? []), xColumn[k]])
      for (const slot of m.groupSlots[g]) bySlot.set(slot, [...(bySlot.get(slot) ?? []), xColumn[k]])
      session.columns.push(xColumn[k])
      session.values.push(m.groupSessions[g])
      fairness.columns.push(xColumn[k])
      fairness.values.push(-m.groupSessions[g])
    }
    for (const columns of [...byActivity.values(), ...bySlot.values()])
      if (columns.length > 1) rows.push({ lower: -Infinity, upper: 1, columns, values: columns.map(() => 1) })
    rows.push(session, fairness)
  }

  for (let g = 0; g < m.groupCount; g++) {
    const candidates = m.groupCands[g]
    if (candidates.length === 0) continue
    const xs = Array.from(candidates, (k) => xColumn[k])
    const minSize = m.groupMinSize[g]
    if (minSize > 1) {
      const y = column(0, 1, true)
      rows.push({ lower: -Infinity, upper: 0, columns: [...xs, y], values: [...xs.map(() => 1), -m.groupCapacity[g]] })
      rows.push({ lower: 0, upper: Infinity, columns: [...xs, y], values: [...xs.map(() => 1), -minSize] })
      for (const x of xs) rows.push({ lower: -Infinity, upper: 0, columns: [x, y], values: [1, -1] })
    } else if (xs.length > m.groupCapacity[g])
      rows.push({ lower: -Infinity, upper: m.groupCapacity[g], columns: xs, values: xs.map(() => 1) })

    const cohorts = new Set(Array.from(candidates, (k) => m.personCohort[m.candPerson[k]]))
    const separatedHere = [...cohorts].some((a) => [...m.cohortSeparatedList[a]].some((b) => cohorts.has(b)))
    if (separatedHere) {
      const z = new Map([...cohorts].map((c) => [c, column(0, 1, true)]))
      for (const k of candidates)
        rows.push({
          lower: -Infinity,
          upper: 0,
          columns: [xColumn[k], z.get(m.personCohort[m.candPerson[k]])!],
          values: [1, -1],
        })
      for (const a of cohorts)
        for (const b of m.cohortSeparatedList[a])
          if (a < b && cohorts.has(b))
            rows.push({ lower: -Infinity, upper: 1, columns: [z.get(a)!, z.get(b)!], values: [1, 1] })
    }
    const inGroup = new Map(Array.from(candidates, (k) => [m.candPerson[k], xColumn[k]]))
    for (const [p, x] of inGroup)
      for (const q of m.personSeparated[p])
        if (p < q && inGroup.has(q))
          rows.push({ lower: -Infinity, upper: 1, columns: [x, inGroup.get(q)!], values: [1, 1] })
  }

  const starts = [0]
  const indices: number[] = []
  const values: number[] = []
  for (const row of rows) {
    indices.push(...row.columns)
    values.push(...row.values)
    starts.push(indices.length)
  }
  return {
    data: {
      numCols: cost.length,
      numRows: rows.length,
      sense: highs.constants.objectiveSense.maximize,
      colCost: cost,
      colLower: cost.map(() => 0),
      colUpper: upper,
      rowLower: rows.map((row) => row.lower),
      rowUpper: rows.map((row) => row.upper),
      matrix: { format: 'csr', numRows: rows.length, numCols: cost.length, starts, indices, values },
      ...(integer ? { integrality: isInteger as (0 | 1)[] } : {}),
    },
    integerColumns: isInteger.reduce((sum, flag) => sum + flag, 0),
    rows: rows.length,
  }
}

// The package's types describe its CommonJS build; under ESM its default export is the loader itself.
const loadHighs = highsLoader as unknown as () => Promise<Highs>
let highsPromise: Promise<Highs> | undefined

/** HiGHS is loaded fresh when a solve fails, because a WebAssembly abort leaves the instance unusable. */
export async function getHighs(fresh = false): Promise<Highs> {
  if (fresh || !highsPromise) highsPromise = loadHighs()
  return await highsPromise
}

export type BoundResult = { objective: number; seconds: number; status: string }

export async function lpBound(problem: Problem): Promise<BoundResult> {
  const highs = await getHighs()
  const started = Date.now()
  const { data } = referenceModel(problem, highs, false)
  const model = highs.createModel(data)
  try {
    model.options.set({ output_flag: false, solver: 'ipm', run_crossover: 'off' })
    model.run()
    // Interior point without crossover may stop a hair short of the optimum; the dual value is the safe bound.
    const objective = Number(model.info.get('objective_function_value') ?? model.getObjectiveValue())
    return { objective, seconds: (Date.now() - started) / 1000, status: String(model.getModelStatus()) }
  } finally {
    model.dispose()
  }
}

export type MipResult = { objective: number; bound: number; seconds: number; optimal: boolean }

export async function highsMip(problem: Problem, seconds: number): Promise<MipResult> {
  const highs = await getHighs()
  const started = Date.now()
  const { data } = referenceModel(problem, highs, true)
  const model = highs.createModel(data)
  try {
    model.options.set({ output_flag: false, time_limit: seconds, mip_rel_gap: 1e-6 })
    model.run()
    const status = model.getModelStatus()
    const objective = Number(model.info.get('objective_function_value') ?? NaN)
    const bound = Number(model.info.get('mip_dual_bound') ?? NaN)
    return {
      objective,
      bound,
      seconds: (Date.now() - started) / 1000,
      optimal: status === highs.constants.modelStatus.optimal,
    }
  } finally {
    model.dispose()
  }
}

export function cbcAvailable(): boolean {
  try {
    execFileSync('cbc', ['-quit'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** CBC, native branch and cut on 2 threads, on the same model written out as MPS. */
export async function cbcMip(problem: Problem, seconds: number): Promise<MipResult> {
  const highs = await getHighs()
  const started = Date.now()
  const { data } = referenceModel(problem, highs, true)
  const model = highs.createModel(data)
  const folder = mkdtempSync(join(tmpdir(), 'waymark-cbc-'))
  try {
    writeFileSync(join(folder, 'model.mps'), model.exportModel('mps'))
    const log = execFileSync(
      'cbc',
      [
        join(folder, 'model.mps'),
        '-max',
        '-sec',
        String(seconds),
        '-threads',
        '2',
        '-solve',
        '-solu',
        join(folder, 'solution.txt'),
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    )
    const solution = readFileSync(join(folder, 'solution.txt'), 'utf8')
    const objectiveMatch = /objective value\s+(-?[\d.e+]+)/i.exec(solution)
    const boundMatch = /best possible\s+(-?[\d.e+]+)/i.exec(log)
    // CBC minimises internally; with -max it reports the maximised objective, sometimes negated.
    // Without an integer solution CBC writes its LP solution; that is no timetable and must not count.
    const integral = !/no integer|continuous|infeasible/i.test(solution.split('\n')[0])
    const objective = objectiveMatch && integral ? Math.abs(Number(objectiveMatch[1])) : NaN
    const bound = boundMatch ? Math.abs(Number(boundMatch[1])) : NaN
    return { objective, bound, seconds: (Date.now() - started) / 1000, optimal: /^Optimal/.test(solution) }
  } finally {
    model.dispose()
    rmSync(folder, { recursive: true, force: true })
  }
}
