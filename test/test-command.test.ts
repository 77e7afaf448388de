import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, it } from 'node:test'
import { dealIntoLanes } from '../scripts/test-lanes.ts'

const root = path.resolve(import.meta.dirname, '..')
const read = (file: string) => readFileSync(path.join(root, file), 'utf8')

/** The command in the README's "Test it" section, as a newcomer copies it. */
function readmeTestCommand(): string {
  const section = read('README.md').split('## Test it')[1] ?? ''
  const command = /```sh\n([^\n]+)\n```/.exec(section)?.[1]
  assert.ok(command, 'the README has a test command under "Test it"')
  return command
}

describe('the README test command on a fresh machine', () => {
  it('is exactly what CI runs', () => {
    const lastLine = read('.ci/run').trim().split('\n').at(-1)
    assert.equal(lastLine, readmeTestCommand())
  })

  it('does its own set-up: npm test installs Chromium when it is missing before any test runs', () => {
    const script = JSON.parse(read('package.json')) as { scripts: Record<string, string> }
    const match = /^bash (\S+)$/.exec(script.scripts.test ?? '')
    assert.ok(match, 'npm test runs the set-up script')
    const setUp = read(match[1])
    const install = setUp.indexOf('apt-get install')
    assert.ok(
      setUp.includes('[ ! -x /usr/bin/chromium-headless-shell ]') &&
        /apt-get install[^\n]*chromium-headless-shell/.test(setUp),
      'it installs Debian’s headless chromium when missing',
    )
    assert.ok(install < setUp.indexOf('npm run test:unit'), 'before the tests run')
  })
})

describe('dealing the test files into lanes', () => {
  it('deals the longest first, each to the lane with the least time so far', () => {
    const seconds = { 'journey.test.ts': 50, 'cli.test.ts': 30, 'service.test.ts': 25, 'rules.test.ts': 1 }
    assert.deepEqual(dealIntoLanes(Object.keys(seconds), seconds, 2), [
      ['journey.test.ts', 'rules.test.ts'],
      ['cli.test.ts', 'service.test.ts'],
    ])
  })

  it('runs every file in exactly one lane, counting a file not measured yet as the median file', () => {
    const seconds = { 'a.test.ts': 10, 'b.test.ts': 4, 'c.test.ts': 2 }
    const lanes = dealIntoLanes(['a.test.ts', 'b.test.ts', 'c.test.ts', 'new.test.ts'], seconds, 2)
    assert.deepEqual(lanes, [['a.test.ts'], ['b.test.ts', 'c.test.ts', 'new.test.ts']])
  })

  it('leaves a lane empty when there are fewer files than lanes', () => {
    assert.deepEqual(dealIntoLanes(['only.test.ts'], {}, 2), [['only.test.ts'], []])
  })

  it('keeps each lane in the order of the files’ names, as node --test runs them', () => {
    const seconds = { 'z.test.ts': 9, 'a.test.ts': 1, 'm.test.ts': 1 }
    assert.deepEqual(dealIntoLanes(Object.keys(seconds), seconds, 1), [['a.test.ts', 'm.test.ts', 'z.test.ts']])
  })
})
