/**
 * `npm run bench:measures`: the measures dashboards on a national synthetic estate (120 prisons, 88,000
 * people, 12 months of kept figures and self-harm incidents, activities, wants and places) on PostgreSQL. Needs DATABASE_URL; builds its
 * own database beside the one named there, with bulk SQL (generate_series), and reports p50 and p95 of each
 * dashboard's service call, then of each page as a signed-in user gets it through the app (session, route,
 * service, Nunjucks), beside the goal: p95 under 300 ms per page.
 */
import { performance } from 'node:perf_hooks'
import { sql } from 'kysely'
import pg from 'pg'
import { buildApp, createServices } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { hashPassword } from '../../src/platform/passwords.ts'
import { measures } from '../../src/areas/measures/rules.ts'
import { CookieJar, csrfTokenFrom } from '../../test/support/app.ts'
import { openDatabase } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import type { Actor } from '../../src/platform/permissions.ts'

const url = process.env.DATABASE_URL
if (!url) {
  console.error('Set DATABASE_URL to a PostgreSQL server, for example postgres://postgres@127.0.0.1:5432/postgres')
  process.exit(1)
}
const PRISONS = 120
const PEOPLE = 88_000
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 100)
const GOAL_MS = 300
// Its own database, dropped and built afresh each run; BENCH_DATABASE names another, so two runs can share a server.
const name = process.env.BENCH_DATABASE ?? 'waymark_bench_measures'
if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error('BENCH_DATABASE: lower-case letters, digits and _ only')

const admin = new pg.Client({ connectionString: url })
await admin.connect()
await admin.query(`drop database if exists ${name}`)
await admin.query(`create database ${name}`)
await admin.end()
const target = new URL(url)
target.pathname = `/${name}`
const handle = await openDatabase({ databaseUrl: target.toString() })
const db = handle.db
await migrateToLatest(db)

const started = performance.now()
const functions = ['reception', 'training', 'resettlement', 'womens', 'young-offender', 'open']
await sql`
  insert into establishment (code, name, function)
  select 'Z' || chr(65 + n / 26) || chr(65 + n % 26), 'HMP Synthetic ' || n, (${sql.val(functions)}::text[])[1 + n % 6]
  from generate_series(1, ${PRISONS}) n
`.execute(db)
await sql`
  insert into person (prison_number, first_name, last_name, date_of_birth, establishment_code, reception_on,
    sex, ethnicity, religion, disability)
  select 'A' || lpad((n % 10000)::text, 4, '0') || chr(65 + n / 10000) || 'B', 'Person', 'Synthetic ' || n,
    date '1970-01-01' + (n % 15000), 'Z' || chr(65 + (1 + n % ${PRISONS}) / 26) || chr(65 + (1 + n % ${PRISONS}) % 26), current_date - (n % 700),
    (array['M', 'F'])[1 + n % 2], (array['W1', 'W2', 'B1', 'A1', 'M1', 'O1', 'NS'])[1 + n % 7],
    (array['none', 'christian', 'muslim', 'other'])[1 + n % 4], (array['no', 'yes'])[1 + (n / 7) % 2]
  from generate_series(0, ${PEOPLE - 1}) n
`.execute(db)
await sql`
  insert into measure_snapshot (establishment_code, measure, month, value, recorded_at)
  select e.code, m.measure, to_char(current_date - make_interval(months => back), 'YYYY-MM'), random() * 100, now()
  from establishment e
  cross join unnest(${sql.val(measures.map((entry) => entry.code))}::text[]) m(measure)
  cross join generate_series(0, 11) back
`.execute(db)
await sql`
  insert into self_harm_incident (establishment_code, person_id, occurred_at, method, injury, on_open_care_plan, recorded_at)
  select p.establishment_code, p.id, now() - random() * interval '365 days', 'cutting', 'minor', random() < 0.3, now()
  from person p cross join generate_series(1, 2) k
  where random() < 0.15
`.execute(db)
// The regime behind equality's figures: ten activities a prison with a group each, three wants a person from
// a needs assessment, and a place in one of them for two people in three (the rest waiting).
await sql`
  insert into activity (establishment_code, code, name, category, created_at)
  select e.code, 'ACT-' || k, 'Activity ' || k, (array['education', 'work', 'gym', 'intervention'])[1 + k % 4], now()
  from establishment e cross join generate_series(1, 10) k
`.execute(db)
await sql`
  insert into activity_group (activity_id, code, slots, capacity)
  select a.id, 'a', array['MON_AM', 'WED_AM', 'FRI_PM'], 100 from activity a
`.execute(db)
await sql`
  insert into needs_assessment (person_id, establishment_code, version, kind, answers, needs, assessed_on, assessed_at)
  select p.id, p.establishment_code, 1, 'reception', '{}', '[]', p.reception_on + 3, now() from person p
`.execute(db)
await sql`
  insert into person_activity_want (person_id, activity_id, weight)
  select p.id, a.id, 5
  from person p join activity a on a.establishment_code = p.establishment_code
  where (a.code = 'ACT-' || (1 + abs(hashtext(p.prison_number)) % 10)
    or a.code = 'ACT-' || (1 + abs(hashtext(p.last_name)) % 10)
    or a.code = 'ACT-' || (1 + abs(hashtext(p.prison_number || 'x')) % 10))
`.execute(db)
await sql`
  insert into activity_allocation (person_id, group_id, starts_on, created_at)
  select distinct on (w.person_id) w.person_id, g.id, current_date - 10, now()
  from person_activity_want w join activity_group g on g.activity_id = w.activity_id
  where abs(hashtext(w.person_id::text)) % 3 > 0
  order by w.person_id, g.id
`.execute(db)
await sql`analyze`.execute(db)
console.log(`Estate built in ${((performance.now() - started) / 1000).toFixed(1)} s`)

const services = createServices({ db })
const codes = (await db.selectFrom('establishment').select('code').orderBy('code').execute()).map((row) => row.code)
const actorAt = (code: string, role: Actor['role'], codes: string[] = [code]): Actor => ({
  id: '00000000-0000-4000-8000-000000000001',
  username: 'bench',
  displayName: 'Bench',
  role,
  establishmentCode: code,
  establishmentCodes: codes,
})

async function measure(label: string, call: (round: number) => Promise<unknown>, goal = false) {
  await call(0)
  const times: number[] = []
  for (let round = 1; round <= ROUNDS; round++) {
    const start = performance.now()
    await call(round)
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  const at = (share: number) => times[Math.min(times.length - 1, Math.floor(share * times.length))].toFixed(1)
  const ratio = goal ? `   p95 / ${GOAL_MS} ms goal ${(Number(at(0.95)) / GOAL_MS).toFixed(2)}` : ''
  console.log(`${label.padEnd(48)} p50 ${at(0.5).padStart(7)} ms   p95 ${at(0.95).padStart(7)} ms${ratio}`)
}

const codeOf = (round: number) => codes[round % codes.length]
await measure('measures dashboard (governor)', (round) =>
  services.measures.dashboard(actorAt(codeOf(round), 'governor')),
)
await measure('measures dashboard, like for like', (round) =>
  services.measures.dashboard(actorAt(codeOf(round), 'governor'), { compare: true }),
)
await measure('safety figures (monitor, one prison)', (round) =>
  services.measures.safetyFigures(actorAt(codeOf(round), 'monitor')),
)
const group = codes.slice(0, 12)
await measure('safety figures (group director, 12 prisons)', (round) =>
  services.measures.safetyFigures(actorAt(group[round % 12], 'governor', group)),
)

// The pages, as a signed-in user gets them through the app: a governor at each prison (one sign-in each, so
// every round is a different prison's page), and a group director over twelve.
const app = await buildApp({
  db,
  config: { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), signInAttemptsPerMinute: 100_000 },
  services,
})
await app.ready()
const password = 'bench measures'
const passwordHash = await hashPassword(password)
async function staffUser(username: string, role: Actor['role'], at: string[]) {
  const user = await db
    .insertInto('staff_user')
    .values({ username, display_name: username, password_hash: passwordHash, role })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('staff_user_establishment')
    .values(at.map((code, index) => ({ staff_user_id: user.id, establishment_code: code, is_home: index === 0 })))
    .execute()
  const jar = new CookieJar()
  const form = jar.take(await app.inject({ method: 'GET', url: '/sign-in' }))
  const signedIn = jar.take(
    await app.inject({
      method: 'POST',
      url: '/sign-in',
      cookies: jar.header,
      payload: { username, password, _csrf: csrfTokenFrom(form.body) },
    }),
  )
  if (signedIn.statusCode !== 303) throw new Error(`Sign-in as ${username} refused (${signedIn.statusCode})`)
  return jar
}
const governors: CookieJar[] = []
for (const code of codes) governors.push(await staffUser(`bench.governor.${code.toLowerCase()}`, 'governor', [code]))
const director = await staffUser('bench.director', 'director', group)
const get = async (jar: CookieJar, url: string) => {
  const response = await app.inject({ method: 'GET', url, cookies: jar.header })
  if (response.statusCode !== 200) throw new Error(`${url} gave ${response.statusCode}`)
}
console.log(`\nPages through the app (goal: p95 under ${GOAL_MS} ms)`)
const page = (label: string, url: string) =>
  measure(label, (round) => get(governors[round % governors.length], url), true)
await page('GET /measures (governor)', '/measures')
await page('GET /measures?compare=yes (like for like)', '/measures?compare=yes')
await page('GET /safety-figures (governor)', '/safety-figures')
await page('GET /equality (governor)', '/equality')
await measure('GET /safety-figures (group director, 12 prisons)', () => get(director, '/safety-figures'), true)
await measure('GET /measures?compare=yes (group director)', () => get(director, '/measures?compare=yes'), true)
await app.close()
await handle.close()
