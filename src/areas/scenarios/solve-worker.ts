import { parentPort, workerData } from 'node:worker_threads'
import { solve, type Problem } from '../../allocator/index.ts'

/** The thread a scenario is solved in, so the web process keeps answering while the allocator searches. */
const { problem, timeMs, seed } = workerData as { problem: Problem; timeMs: number; seed: number }
parentPort!.postMessage(solve(problem, { timeMs, seed }).timetable)
