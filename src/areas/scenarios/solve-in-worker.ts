import { Worker } from 'node:worker_threads'
import type { Problem, Timetable } from '../../allocator/index.ts'

/** Solves a scenario's problem in a worker thread; rejects if the thread fails or stops without an answer. */
export function solveScenario(problem: Problem, options: { timeMs: number; seed?: number }): Promise<Timetable> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./solve-worker.ts', import.meta.url), {
      workerData: { problem, timeMs: options.timeMs, seed: options.seed ?? 1 },
    })
    let answered = false
    worker.once('message', (timetable: Timetable) => {
      answered = true
      resolve(timetable)
      void worker.terminate()
    })
    worker.once('error', (error: Error) => {
      answered = true
      reject(error)
    })
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`The scenario's solver thread stopped (exit code ${code}) without a timetable`))
    })
  })
}
