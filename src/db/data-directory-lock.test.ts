import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { givenEstablishment } from '../../test/support/builders.ts'
import { givenDataDirectory } from '../../test/support/database.ts'
import { openDatabase } from './database.ts'
import { DataDirectoryInUse, lockFileName } from './data-directory-lock.ts'

const root = path.resolve(import.meta.dirname, '../..')

/** A real `waymark` process on the folder, as a wing's server or an administrator's shell would run it. */
function environmentFor(dataDirectory: string): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDirectory,
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
  }
  delete environment.DATABASE_URL
  return environment
}

function runWaymark(dataDirectory: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(root, 'bin/waymark.js'), ...args], {
    env: environmentFor(dataDirectory),
    encoding: 'utf8',
    timeout: 120_000,
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

function startServer(dataDirectory: string): Promise<ChildProcess> {
  const server = spawn(process.execPath, [path.join(root, 'src/main.ts')], {
    env: { ...environmentFor(dataDirectory), LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    let output = ''
    server.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Started in')) resolve(server)
    })
    server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    server.on('exit', (code) => reject(new Error(`The server stopped (${code}) before it started:\n${output}`)))
  })
}

function stopped(server: ChildProcess): Promise<void> {
  return new Promise((resolve) =>
    server.exitCode !== null || server.signalCode ? resolve() : server.once('exit', () => resolve()),
  )
}

describe('the embedded database belongs to one process at a time', () => {
  let folder: string
  let dataDirectory: string
  let establishmentCode: string
  let server: ChildProcess | undefined

  before(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'waymark-lock-'))
    dataDirectory = path.join(folder, 'data')
    await givenDataDirectory(dataDirectory)
    // With an establishment in it, the server starts without building the demo estate.
    const handle = await openDatabase({ dataDirectory })
    establishmentCode = (await givenEstablishment(handle.db)).code
    await handle.close()
  })
  after(async () => {
    server?.kill('SIGKILL')
    if (server) await stopped(server)
    await rm(folder, { recursive: true, force: true })
  })

  it('refuses a second server, an import and an export while a server runs, naming the server', async () => {
    server = await startServer(dataDirectory)
    const roll = path.join(folder, 'roll.csv')
    await writeFile(roll, 'prison_number\n')

    for (const args of [
      ['serve'],
      ['import', roll, '--establishment', establishmentCode],
      ['export', '--establishment', establishmentCode],
    ]) {
      const second = runWaymark(dataDirectory, args)
      assert.equal(second.status, 2, `waymark ${args[0]}: ${second.stderr}`)
      assert.match(
        second.stderr,
        new RegExp(`in use by process ${server.pid} \\(waymark serve, since \\d{4}-\\d\\d-\\d\\dT`),
      )
      assert.match(second.stderr, /stop that process first/)
      assert.doesNotMatch(second.stdout, /Imported|prison_number/)
    }
  })

  it('lets the next process in after a server killed with kill -9, whose lock the kill left behind', async () => {
    server!.kill('SIGKILL')
    await stopped(server!)
    assert.ok(existsSync(path.join(dataDirectory, lockFileName)), 'the killed server left its lock file')

    const exported = runWaymark(dataDirectory, ['export', '--establishment', establishmentCode])
    assert.equal(exported.status, 0, exported.stderr)
    assert.match(exported.stdout, /^prison_number,/)
    assert.ok(!existsSync(path.join(dataDirectory, lockFileName)), 'the export released the folder when it ended')
  })

  it('takes over a lock whose process no longer exists', async () => {
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
    await writeFile(
      path.join(dataDirectory, lockFileName),
      JSON.stringify({ pid: Number(ended.stdout), command: 'waymark serve', since: '2026-12-01T08:00:00.000Z' }),
    )
    const handle = await openDatabase({ dataDirectory })
    await handle.close()
  })

  it(
    'takes over a lock whose pid a later process has been given',
    { skip: !existsSync('/proc/self/stat') && 'no /proc here' },
    async () => {
      const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
      await writeFile(
        path.join(dataDirectory, lockFileName),
        JSON.stringify({
          pid: process.pid,
          command: 'waymark serve',
          since: '2026-12-01T08:00:00.000Z',
          bootId,
          startTicks: '1',
        }),
      )
      const handle = await openDatabase({ dataDirectory })
      await handle.close()
    },
  )

  it('refuses a second opening in the same process until the first is closed', async () => {
    const first = await openDatabase({ dataDirectory })
    try {
      await assert.rejects(openDatabase({ dataDirectory }), DataDirectoryInUse)
    } finally {
      await first.close()
    }
    const again = await openDatabase({ dataDirectory })
    await again.close()
  })
})
