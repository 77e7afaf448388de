import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { givenActivity, givenPerson, givenProblem } from '../allocator/test-problems.ts'

const run = promisify(execFile)

type Outcome = { code: number; stdout: string; stderr: string }

/** Runs the real `waymark` bin, so the exit codes are the ones a script would see. */
async function waymark(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/waymark.js', 'allocate', ...args])
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

const problem = givenProblem({
  people: [givenPerson('A1111AA', { wants: { ENG: 5 } }), givenPerson('B2222BB', { wants: { ENG: 3 } })],
  activities: [givenActivity('ENG', [{ capacity: 1 }])],
})

describe('waymark allocate', () => {
  let folder = ''
  const file = (name: string) => join(folder, name)
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'waymark-allocate-'))
    await writeFile(file('problem.json'), JSON.stringify(problem))
    await writeFile(file('broken.json'), '{ "version": 1, ')
    await writeFile(
      file('unknown-slot.json'),
      JSON.stringify({ ...problem, activities: [givenActivity('ENG', [{ slots: ['XYZ'] }])] }),
    )
    await writeFile(
      file('full.json'),
      JSON.stringify({
        version: 1,
        assignments: [
          { person: 'A1111AA', group: 'ENG/a' },
          { person: 'B2222BB', group: 'ENG/a' },
        ],
      }),
    )
    await writeFile(
      file('stranger.json'),
      JSON.stringify({ version: 1, assignments: [{ person: 'Z9999ZZ', group: 'ENG/a' }] }),
    )
  })
  after(() => rm(folder, { recursive: true, force: true }))

  it('writes a valid timetable, prints its score and exits 0', async () => {
    const outcome = await waymark(
      '--in',
      file('problem.json'),
      '--out',
      file('timetable.json'),
      '--time-ms',
      '200',
      '--seed',
      '3',
    )
    assert.equal(outcome.code, 0)
    assert.match(outcome.stdout, /Objective 6 \(wants 5, continuity 0, fairness 1\)/)
    assert.match(
      outcome.stderr,
      /^(Within \d+(\.\d)?% of the|The) best timetable possible: no timetable for this problem can score more than \d+(\.\d+)?$/m,
    )
    assert.doesNotMatch(outcome.stdout, /best timetable possible/)
    const timetable = JSON.parse(await readFile(file('timetable.json'), 'utf8')) as unknown
    assert.deepEqual(timetable, { version: 1, assignments: [{ person: 'A1111AA', group: 'ENG/a' }] })
  })

  it('checks a valid timetable and exits 0', async () => {
    await writeFile(
      file('mine.json'),
      JSON.stringify({ version: 1, assignments: [{ person: 'B2222BB', group: 'ENG/a' }] }),
    )
    const outcome = await waymark('--check', file('problem.json'), file('mine.json'))
    assert.equal(outcome.code, 0)
    assert.match(outcome.stdout, /keeps all six rules/)
    assert.match(outcome.stdout, /People with no session: 50.0%/)
  })

  it('exits 1 for a timetable that breaks a rule, naming the rule and the group', async () => {
    const outcome = await waymark('--check', file('problem.json'), file('full.json'))
    assert.equal(outcome.code, 1)
    assert.match(outcome.stderr, /Rule 4: ENG\/a has 2 people, above its capacity of 1/)
  })

  it('exits 2 for a file that is not JSON', async () => {
    const outcome = await waymark('--check', file('broken.json'), file('full.json'))
    assert.equal(outcome.code, 2)
    assert.match(outcome.stderr, /broken.json is not valid JSON/)
  })

  it('exits 2 for a problem with errors, naming the group at fault', async () => {
    const outcome = await waymark('--in', file('unknown-slot.json'), '--out', file('never.json'))
    assert.equal(outcome.code, 2)
    assert.match(outcome.stderr, /Group ENG\/a of activity ENG: unknown slot XYZ/)
  })

  it('exits 2 for a timetable naming an unknown person', async () => {
    const outcome = await waymark('--check', file('problem.json'), file('stranger.json'))
    assert.equal(outcome.code, 2)
    assert.match(outcome.stderr, /Assignment 1 names unknown person Z9999ZZ/)
  })

  it('reads a problem file saved with a byte-order mark', async () => {
    await writeFile(file('bom.json'), `\uFEFF${JSON.stringify(problem)}`)
    const outcome = await waymark('--in', file('bom.json'), '--out', file('bom-timetable.json'), '--time-ms', '100')
    assert.equal(outcome.code, 0, outcome.stderr)
  })

  it('exits 2 for a problem file in UTF-16, naming it as UTF-16', async () => {
    await writeFile(file('utf16.json'), Buffer.from(`\uFEFF${JSON.stringify(problem)}`, 'utf16le'))
    const outcome = await waymark('--in', file('utf16.json'), '--out', file('never.json'))
    assert.equal(outcome.code, 2)
    assert.match(outcome.stderr, /utf16\.json is UTF-16 text: save it as UTF-8 and try again/)
  })

  it('exits 2 for weights of 1e308, naming each field, its path and its limit', async () => {
    await writeFile(
      file('huge.json'),
      JSON.stringify({
        ...problem,
        continuityBonus: 1e308,
        people: [givenPerson('A1111AA', { wants: { ENG: 1e308 } })],
      }),
    )
    const outcome = await waymark('--in', file('huge.json'), '--out', file('never.json'))
    assert.equal(outcome.code, 2)
    assert.match(outcome.stderr, /continuityBonus must be a number from 0 to 1,000, not 1e\+308 \(continuityBonus\)/)
    assert.match(
      outcome.stderr,
      /Person A1111AA: the weight for ENG must be a number above 0 and at most 1,000, not 1e\+308 \(people\[0\]\.wants\.ENG\)/,
    )
  })

  it('exits 2 for a cohort separated from itself', async () => {
    await writeFile(
      file('self.json'),
      JSON.stringify({ ...problem, separations: { cohorts: [['mainstream', 'mainstream']], people: [] } }),
    )
    const outcome = await waymark('--in', file('self.json'), '--out', file('never.json'))
    assert.equal(outcome.code, 2)
    assert.match(outcome.stderr, /Separation mainstream\/mainstream names the same cohort twice/)
  })

  it('exits 2 for a missing file, bad options or missing arguments', async () => {
    assert.equal((await waymark('--check', file('nowhere.json'), file('full.json'))).code, 2)
    assert.equal((await waymark('--in', file('problem.json'), '--out', file('x.json'), '--time-ms', 'soon')).code, 2)
    assert.equal((await waymark('--in', file('problem.json'))).code, 2)
    assert.equal((await waymark('--frobnicate')).code, 2)
  })
})
