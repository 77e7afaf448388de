import { Worker } from 'node:worker_threads'
import type { Problem, SolveResult } from './index.ts'

/** Solves a problem in a worker thread, off the event loop; rejects if the thread fails or exits silently. */
export function solveInWorker(problem: Problem, options: { timeMs: number; seed?: number }): Promise<SolveResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./solve-worker.ts', import.meta.url), {
      workerData: { problem, timeMs: options.timeMs, seed: options.seed ?? 1 },
    })
    let answered = false
    worker.once('message', (result: SolveResult) => {
      answered = true
      resolve(result)
      void worker.terminate()
    })
    worker.once('error', (error: unknown) => {
      answered = true
      reject(error instanceof Error ? error : new Error(String(error)))
    })
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`The allocator's thread stopped (exit code ${code}) without a timetable`))
    })
  })
}
