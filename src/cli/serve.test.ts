import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { openPostgresForTest, type TestDatabase } from '../../test/support/database.ts'
import { givenEstablishment, givenPerson, givenStaffUser, TEST_PASSWORD } from '../../test/support/builders.ts'

const databaseUrl = process.env.DATABASE_URL

/** A browser of the spawned server over real HTTP: it keeps cookies and does not follow redirects. */
function browserOf(baseUrl: string) {
  const cookies = new Map<string, string>()
  const send = async (method: 'GET' | 'POST', path: string, form?: Record<string, string>) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    })
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';')
      const at = pair.indexOf('=')
      cookies.set(pair.slice(0, at), pair.slice(at + 1))
    }
    return { status: response.status, location: response.headers.get('location'), body: await response.text() }
  }
  return {
    get: (path: string) => send('GET', path),
    post: (path: string, form: Record<string, string>) => send('POST', path, form),
  }
}

function csrfTokenOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
  if (!token) throw new Error('No CSRF token on the page')
  return token
}

/** Starts `src/main.ts` as production would run it, and resolves with its address once it listens. */
async function startServer(url: string): Promise<{ server: ChildProcess; baseUrl: string; output: string[] }> {
  const output: string[] = []
  const server = spawn(process.execPath, ['src/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      COOKIE_SECRET: 'a-cookie-secret-for-this-test-only-0123456789',
      SECURE_COOKIES: 'false',
      DATABASE_URL: url,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  server.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()))
  const baseUrl = await new Promise<string>((resolve, reject) => {
    server.stdout.on('data', (chunk: Buffer) => {
      output.push(chunk.toString())
      const address = /Waymark is running at (\S+)/.exec(output.join(''))?.[1]
      if (address) resolve(address)
    })
    server.once('exit', (code) =>
      reject(new Error(`The server ended with ${code} before it listened:\n${output.join('')}`)),
    )
  })
  return { server, baseUrl, output }
}

/** What a database restart or a failover does to every connection a server holds. */
async function endEveryConnectionOf(url: string): Promise<number[]> {
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  try {
    const result = await admin.query<{ pid: number }>(
      'select pid, pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    )
    return result.rows.map((row) => row.pid)
  } finally {
    await admin.end()
  }
}

/**
 * Waits until the ended connections' server processes have exited, then a moment for the server under test to
 * read their goodbyes: pg_terminate_backend only signals, and on a busy machine a process it ended can still be
 * lent out by the pool when the next request comes.
 */
async function endingsHaveLanded(url: string, pids: number[]): Promise<void> {
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  try {
    for (let tries = 0; tries < 200; tries++) {
      const result = await admin.query('select 1 from pg_stat_activity where pid = any($1::int[])', [pids])
      if (result.rowCount === 0) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  } finally {
    await admin.end()
  }
  await new Promise((resolve) => setTimeout(resolve, 500))
}

describe('waymark serve on PostgreSQL', { skip: databaseUrl ? false : 'no DATABASE_URL' }, () => {
  let database: TestDatabase & { url: string }
  let running: Awaited<ReturnType<typeof startServer>>
  let prisonNumber = ''
  let officerUsername = ''

  before(async () => {
    database = await openPostgresForTest(databaseUrl!)
    const prison = await givenEstablishment(database.db)
    prisonNumber = (await givenPerson(database.db, prison.code, { cellId: prison.cellId })).prisonNumber
    officerUsername = (await givenStaffUser(database.db, { role: 'officer', establishmentCodes: [prison.code] }))
      .username
    running = await startServer(database.url)
  })
  after(async () => {
    running?.server.kill('SIGTERM')
    await database?.close()
  })

  it('rides through the server ending its connections: a request caught in it gets a 503, later ones succeed, no acknowledged concern is lost', async (t) => {
    const browser = browserOf(running.baseUrl)
    const signIn = await browser.get('/sign-in')
    const signedIn = await browser.post('/sign-in', {
      username: officerUsername,
      password: TEST_PASSWORD,
      _csrf: csrfTokenOf(signIn.body),
    })
    assert.equal(signedIn.status, 303)
    const form = `/people/${prisonNumber}/concerns/new`
    const token = csrfTokenOf((await browser.get(form)).body)
    let written = 0
    const raise = async () => {
      written += 1
      const whatHappened = `Restart test concern ${written}`
      try {
        const response = await browser.post(form, {
          whatHappened,
          urgency: 'today',
          safeNow: 'yes',
          selfHarmRisk: 'no',
          _csrf: token,
        })
        return { whatHappened, ...response }
      } catch (error) {
        // No answer at all: the server has gone, which the first assertion below reports with its output.
        return { whatHappened, status: 0, location: null, body: String(error) }
      }
    }

    const outcomes: Awaited<ReturnType<typeof raise>>[] = []
    let restarting = true
    const writers = Array.from({ length: 6 }, async () => {
      while (restarting && running.server.exitCode === null) outcomes.push(await raise())
    })
    const ended: number[] = []
    for (let restart = 0; restart < 12; restart++) {
      await new Promise((resolve) => setTimeout(resolve, 250))
      ended.push(...(await endEveryConnectionOf(database.url)))
    }
    restarting = false
    await Promise.all(writers)
    await endingsHaveLanded(database.url, ended)

    assert.equal(running.server.exitCode, null, `the server ended:\n${running.output.join('')}`)
    assert.ok(ended.length > 0, 'connections were ended')
    const refused = outcomes.filter((outcome) => outcome.status !== 303)
    assert.ok(refused.length > 0, 'some requests were caught by the ended connections')
    assert.deepEqual(
      [...new Set(refused.map((outcome) => outcome.status))],
      [503],
      'a request caught by a lost connection gets a 503, never a 500',
    )
    for (const outcome of refused)
      assert.match(outcome.body, /Waymark lost its connection to the database/, 'and says so')

    const afterwards: Awaited<ReturnType<typeof raise>>[] = []
    for (let again = 0; again < 5; again++) afterwards.push(await raise())
    assert.deepEqual(
      afterwards.map((outcome) => outcome.status),
      [303, 303, 303, 303, 303],
    )

    const acknowledged = [...outcomes, ...afterwards]
      .filter((outcome) => outcome.status === 303)
      .map((outcome) => outcome.whatHappened)
    const stored = await database.db.selectFrom('concern').select('what_happened').execute()
    const storedTexts = new Set(stored.map((row) => row.what_happened))
    assert.deepEqual(
      acknowledged.filter((text) => !storedTexts.has(text)),
      [],
      'every acknowledged concern is stored',
    )
    assert.ok(
      outcomes.some((outcome) => outcome.status === 303),
      'some concerns were acknowledged while the connections were being ended',
    )
    t.diagnostic(
      `${ended.length} connections ended in 12 rounds; ${refused.length} requests answered 503; ` +
        `${acknowledged.length} of ${acknowledged.length} acknowledged concerns stored`,
    )
  })
})
