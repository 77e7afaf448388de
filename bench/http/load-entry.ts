import { parentPort, workerData } from 'node:worker_threads'
import { runLoad, type LoadSpec } from './load.ts'

/**
 * The load generator on its own event loop: started as a worker thread (spec in workerData) or as a child
 * process (spec in the first IPC message). It reports each phase, then the result, and ends.
 */
export type LoadMessage =
  | { type: 'phase'; phase: 'warmup' | 'measure' }
  | { type: 'result'; result: Awaited<ReturnType<typeof runLoad>> }
  | { type: 'error'; message: string }

if (parentPort) {
  const port = parentPort
  const send = (message: LoadMessage) => port.postMessage(message)
  await runLoad(workerData as LoadSpec, (phase) => send({ type: 'phase', phase }))
    .then((result) => send({ type: 'result', result }))
    .catch((error: unknown) => send({ type: 'error', message: String(error) }))
} else if (process.send) {
  const ipc = process.send.bind(process)
  const send = (message: LoadMessage) => new Promise<void>((resolve) => ipc(message, () => resolve()))
  process.once('message', (spec: LoadSpec) => {
    void runLoad(spec, (phase) => void send({ type: 'phase', phase }))
      .then((result) => send({ type: 'result', result }))
      .catch((error: unknown) => send({ type: 'error', message: String(error) }))
      .finally(() => process.disconnect?.())
  })
}
