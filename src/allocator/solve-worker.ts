import { parentPort, workerData } from 'node:worker_threads'
import { solve, type Problem } from './index.ts'

/**
 * Runs in a worker thread: the solver is synchronous and takes its whole time budget, which on the main
 * thread would stop every page of the service from answering for that long.
 */
const { problem, timeMs, seed } = workerData as { problem: Problem; timeMs: number; seed: number }
parentPort!.postMessage(solve(problem, { timeMs, seed }))
