/**
 * A node --test reporter for `npm run test:times`: writes the seconds each test file's tests took in its lane
 * (each top-level test or block with its hooks; not the file's import), as the JSON that scripts/test-lanes.ts
 * deals the files into lanes by. A lane runs its files in one process, where node reports tests but not files:
 * each top-level test counts for the file that declared it or, for a block a helper declared
 * (describeOnEachEngine), for the test file that declared the tests inside it.
 */
import path from 'node:path'
import type { TestEvent } from 'node:test/reporters'

const root = path.resolve(import.meta.dirname, '..')
const isHelper = (file: string) => !file.endsWith('.test.ts')

export default async function* testTimes(events: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const seconds: Record<string, number> = {}
  let inside = new Map<string, number>()
  for await (const event of events) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue
    const { file, nesting } = event.data
    if (!file) continue
    if (nesting > 0) {
      if (!isHelper(file)) inside.set(file, (inside.get(file) ?? 0) + 1)
      continue
    }
    const declaredBy = isHelper(file) ? ([...inside].sort((a, b) => b[1] - a[1])[0]?.[0] ?? file) : file
    const name = path.relative(root, declaredBy)
    seconds[name] = (seconds[name] ?? 0) + event.data.details.duration_ms / 1000
    inside = new Map()
  }
  const rounded = Object.entries(seconds)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, time]) => [name, Math.round(time * 10) / 10])
  yield `${JSON.stringify(Object.fromEntries(rounded), null, 2)}\n`
}
