import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, it } from 'node:test'

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
