import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { givenDataDirectory } from '../../test/support/database.ts'

const strace = spawnSync('strace', ['-f', '-e', 'trace=fdatasync', 'true'], { encoding: 'utf8' })
const straceMissing =
  strace.error || strace.status !== 0
    ? `strace cannot run here (${strace.error?.message ?? strace.stderr.trim()}): install it (apt-get install -y strace) and allow ptrace to run this test`
    : false

const databaseModule = path.resolve(import.meta.dirname, 'database.ts')

/**
 * Officers' writes on the embedded database, one statement at a time and in transactions, each followed by a
 * `mkdir` that marks in the system call trace the moment its answer came back.
 */
const writer = `
import { mkdirSync } from 'node:fs'
import { openDatabase } from ${JSON.stringify(databaseModule)}
const [dataDirectory, marks] = process.argv.slice(2)
const handle = await openDatabase({ dataDirectory })
mkdirSync(marks + '/opened')
for (let write = 1; write <= 10; write++) {
  const establishment = { code: 'D' + String.fromCharCode(64 + write) + 'A', name: 'HMP Durable ' + write, function: 'reception' }
  if (write % 2) await handle.db.insertInto('establishment').values(establishment).execute()
  else await handle.db.transaction().execute((trx) => trx.insertInto('establishment').values(establishment).execute())
  await handle.db.selectFrom('establishment').select('code').execute()
  mkdirSync(marks + '/acknowledged-' + write)
}
await handle.close()
`

describe('a write acknowledged by the embedded database', { skip: straceMissing }, () => {
  let folder: string
  let trace: string

  before(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'waymark-durability-'))
    const dataDirectory = path.join(folder, 'data')
    await givenDataDirectory(dataDirectory)
    const script = path.join(folder, 'writer.ts')
    await writeFile(script, writer)
    const marks = path.join(folder, 'marks')
    await mkdir(marks)
    const traceFile = path.join(folder, 'trace')
    const run = spawnSync(
      'strace',
      [
        '-f',
        '-y',
        '-o',
        traceFile,
        '-e',
        'trace=fsync,fdatasync,mkdir',
        process.execPath,
        script,
        dataDirectory,
        marks,
      ],
      { encoding: 'utf8', timeout: 180_000 },
    )
    assert.equal(run.status, 0, run.stderr)
    trace = await readFile(traceFile, 'utf8')
  })
  after(() => rm(folder, { recursive: true, force: true }))

  it('has had its WAL synced to the disk before the answer came back', () => {
    const lines = trace.split('\n')
    const markAt = (name: string) => lines.findIndex((line) => line.includes(`/${name}"`))
    let previous = markAt('opened')
    assert.ok(previous >= 0, 'the writer opened the database')
    for (let write = 1; write <= 10; write++) {
      const acknowledged = markAt(`acknowledged-${write}`)
      assert.ok(acknowledged > previous, `write ${write} was acknowledged`)
      const walSyncs = lines
        .slice(previous + 1, acknowledged)
        .filter((line) => /\bf(data)?sync\(\d+<[^>]*\/pg_wal\/[0-9A-F]{24}>\) = 0/.test(line))
      assert.ok(walSyncs.length >= 1, `write ${write} was answered with no sync of the WAL before it`)
      previous = acknowledged
    }
  })

  it('leaves the data files synced when the database closes', () => {
    const lines = trace.split('\n')
    const afterLastWrite = lines.slice(lines.findIndex((line) => line.includes('/acknowledged-10"')))
    assert.ok(
      afterLastWrite.some((line) => /\bfsync\(\d+<[^>]*\/global\/pg_control>\) = 0/.test(line)),
      'pg_control, written by the shutdown checkpoint, was synced',
    )
  })
})
