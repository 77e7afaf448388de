import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { testEngines, type TestDatabase } from '../../test/support/database.ts'

/**
 * Issue 12: each table has one owner, the area (or platform) whose store alone writes it. Another area asks
 * the owner's service. A new table with no owner here fails the test, as does a write from the wrong place.
 */
export const tableOwners: Record<string, string> = {
  // Platform: sign-in, the audit trail, the job queue, in-service notifications, events between areas.
  audit_event: 'platform',
  job: 'platform',
  notification: 'platform',
  web_session: 'platform',
  sign_in_failure: 'platform',
  event_outbox: 'platform',
  event_delivery: 'platform',
  mail_outbox: 'platform',
  // People: the estate and the roll.
  establishment: 'people',
  wing: 'people',
  cell: 'people',
  person: 'people',
  person_summary: 'people',
  staff_user: 'staff',
  staff_summary: 'staff',
  staff_user_establishment: 'staff',
  organisation: 'staff',
  peer_supporter: 'staff',
  staff_policy: 'staff',
  staff_supervision: 'staff',
  training_record: 'staff',
  journey_stage: 'journey',
  handover: 'journey',
  check_in: 'keywork',
  dedicated_officer_allocation: 'keywork',
  key_work_session: 'keywork',
  keywork_policy: 'keywork',
  officer_change_request: 'keywork',
  progress_meeting: 'keywork',
  specialist_need_decision: 'keywork',
  concern: 'concerns',
  concern_policy: 'concerns',
  care_plan: 'care-plans',
  care_plan_setting: 'care-plans',
  care_plan_review: 'care-plans',
  care_plan_constant_watch: 'care-plans',
  care_plan_observation: 'care-plans',
  care_plan_observation_alert: 'care-plans',
  care_plan_family_event: 'care-plans',
  care_plan_referral: 'care-plans',
  care_map_action: 'care-plans',
  activity: 'regime',
  activity_group: 'regime',
  regime_slot: 'regime',
  regime_policy: 'regime',
  regime_framework: 'regime',
  need_activity: 'regime',
  needs_assessment: 'regime',
  person_activity_want: 'regime',
  person_unavailable_slot: 'regime',
  non_association: 'regime',
  cohort_separation: 'regime',
  activity_allocation: 'allocation',
  allocation_run: 'allocation',
  attendance: 'attendance',
  activity_completion: 'attendance',
  activity_feedback: 'attendance',
  scenario: 'scenarios',
  death_in_custody: 'measures',
  measure_snapshot: 'measures',
  measure_target: 'measures',
  self_harm_incident: 'measures',
  transfer_watch_flag: 'measures',
  costing_assumption: 'costing',
  costing_unit_cost: 'costing',
  person_account: 'my-view',
  family_worry: 'families',
  family_worry_setting: 'families',
  api_client: 'api',
  api_signing_key: 'api',
  webhook_subscription: 'webhooks',
  webhook_delivery: 'webhooks',
  webhook_subscription_prison: 'webhooks',
}

/**
 * Reads of another owner's tables, each with its reason. Everyone reads the estate, and who a person or a
 * member of staff is through the owners' views (`person_summary`, `staff_summary`), never their tables;
 * anything else read across an area boundary is listed here, or the test fails.
 */
const everyoneReads = new Set(['establishment', 'wing', 'cell', 'person_summary', 'staff_summary'])
export const allowedReads: Record<string, Record<string, string>> = {
  platform: {
    staff_user: 'sign-in checks a member of staff’s password hash and whether they must choose a new password',
    person_account: 'a person in custody signs in to their own view through the same sessions as staff',
    staff_user_establishment: 'a member of staff signs in to the prisons they work in',
  },
  allocation: {
    person:
      'the allocator is fair across groups of people (ALLOCATION.md): it compares places by sex, ethnicity, religion ' +
      'and disability, which the person summary leaves out; the timetable shows none of them',
    activity: 'the allocator is the regime’s own: it builds its problem from the regime offer',
    activity_group: 'the regime offer’s groups, for the problem',
    regime_slot: 'the regime’s week, for the problem',
    regime_policy: 'the regime’s settings, for the problem',
    needs_assessment: 'who needs what, for the problem',
    person_activity_want: 'what each person wants, for the problem',
    person_unavailable_slot: 'when each person cannot attend, for the problem',
    non_association: 'who must be kept apart, for the problem',
    cohort_separation: 'which cohorts must not mix, for the problem',
  },
  attendance: {
    activity: 'a register is of a session of an activity',
    activity_group: 'a register is of a group',
    regime_slot: 'a session’s times come from the regime’s week',
    activity_allocation: 'a register lists the people allocated to the group',
    organisation: 'who delivers the activity',
  },
  scenarios: { activity: 'a scenario’s offer is named by its activities' },
  'care-plans': {
    organisation: 'a referral names the partner organisation',
    training_record: 'an assessor must hold current ACCT assessor training',
  },
  concerns: { person_account: 'a concern raised by a person in custody from their own view' },
  journey: { keywork_policy: 'a handover names the receiving prison’s label for a dedicated officer' },
  regime: {
    notification: 'the overdue assessments sweep tells managers once a day: it reads whether it already did',
    organisation: 'an activity’s provider',
  },
}

const sourceRoot = path.resolve(import.meta.dirname, '..')

/** Who a source file speaks for: an area, platform, or the rest (which may write nothing). */
function ownerOf(file: string): string {
  const [top, area] = path.relative(sourceRoot, file).split(path.sep)
  if (top === 'areas') return area
  if (top === 'platform') return 'platform'
  return 'elsewhere'
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name)
    if (entry.isDirectory()) return ['demo', 'migrations'].includes(entry.name) ? [] : sourceFiles(full)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : []
  })
}

/** The tables a piece of source writes and reads, through Kysely or in raw SQL (comments left out). */
export function tablesUsedBy(source: string, known: ReadonlySet<string>) {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
  const writes = new Set<string>()
  const reads = new Set<string>()
  for (const match of code.matchAll(/\b(?:insertInto|updateTable|deleteFrom|mergeInto)\(\s*'([a-z_]+)/g))
    writes.add(match[1])
  // A prison's settings row is written and read through db/prison-settings.ts, which names the table second.
  for (const match of code.matchAll(/\bwritePrisonSettings\([^,]+,\s*'([a-z_]+)/g)) writes.add(match[1])
  for (const match of code.matchAll(/\bprisonSettingsOf\([^,]+,\s*'([a-z_]+)/g)) reads.add(match[1])
  for (const match of code.matchAll(/\b(?:insert\s+into|delete\s+from|update)\s+([a-z_]+)/gi))
    if (known.has(match[1])) writes.add(match[1])
  for (const match of code.matchAll(/\b(?:selectFrom|innerJoin|leftJoin|rightJoin|fullJoin)\(\s*'([a-z_]+)/g))
    reads.add(match[1])
  for (const match of code.matchAll(/\b(?:from|join)\s+([a-z_]+)/gi)) if (known.has(match[1])) reads.add(match[1])
  return { writes, reads }
}

/** Every write or read of a table by a file that neither owns it nor is allowed to read it. */
export function boundaryBreaches(files: readonly { file: string; source: string }[], known: ReadonlySet<string>) {
  const breaches: string[] = []
  for (const { file, source } of files) {
    const owner = ownerOf(file)
    const { writes, reads } = tablesUsedBy(source, known)
    const where = path.relative(sourceRoot, file)
    for (const table of writes)
      if (tableOwners[table] !== owner) breaches.push(`${where} writes ${table}, owned by ${tableOwners[table]}`)
    for (const table of reads)
      if (tableOwners[table] !== owner && !everyoneReads.has(table) && !allowedReads[owner]?.[table])
        breaches.push(`${where} reads ${table}, owned by ${tableOwners[table]}`)
  }
  return breaches
}

for (const engine of testEngines().slice(0, 1))
  describe(`table ownership on ${engine.name}`, () => {
    let database: TestDatabase
    let tables: Set<string>
    before(async () => {
      database = await engine.open()
      const rows = await sql<{ name: string }>`
        select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type in ('BASE TABLE', 'VIEW') and table_name not like 'kysely_%'`.execute(
        database.db,
      )
      tables = new Set(rows.rows.map((row) => row.name))
    })
    after(async () => {
      await database.close()
    })

    it('names an owner for every table and view the migrations make', () => {
      assert.deepEqual(
        [...tables].filter((table) => !tableOwners[table]),
        [],
      )
    })

    it('finds no store, service or platform module writing a table it does not own, or reading one unlisted', () => {
      const files = sourceFiles(sourceRoot).map((file) => ({ file, source: readFileSync(file, 'utf8') }))
      assert.deepEqual(boundaryBreaches(files, tables), [])
    })

    it('catches a write to another area’s table and an unlisted read, in Kysely and in raw SQL', () => {
      const breaches = boundaryBreaches(
        [
          {
            file: path.join(sourceRoot, 'areas/concerns/store.ts'),
            source: `db.insertInto('care_plan').values(row); db.selectFrom('handover as h')`,
          },
          { file: path.join(sourceRoot, 'areas/keywork/store.ts'), source: 'sql`update concern set closed = true`' },
          { file: path.join(sourceRoot, 'cli/export.ts'), source: `db.deleteFrom('person')` },
          {
            file: path.join(sourceRoot, 'areas/families/store.ts'),
            source: `writePrisonSettings(db, 'keywork_policy', code, row)`,
          },
          {
            file: path.join(sourceRoot, 'areas/staff/store.ts'),
            source: `prisonSettingsOf(db, 'concern_policy', code)`,
          },
          // A comment naming a table is not a use of it.
          { file: path.join(sourceRoot, 'areas/measures/store.ts'), source: '// read from handover, then\nx' },
        ],
        tables,
      )
      assert.deepEqual(breaches, [
        'areas/concerns/store.ts writes care_plan, owned by care-plans',
        'areas/concerns/store.ts reads handover, owned by journey',
        'areas/keywork/store.ts writes concern, owned by concerns',
        'cli/export.ts writes person, owned by people',
        'areas/families/store.ts writes keywork_policy, owned by keywork',
        'areas/staff/store.ts reads concern_policy, owned by concerns',
      ])
    })
  })
