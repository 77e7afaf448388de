import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { CookieJar, csrfTokenFrom, describePagesOnEachEngine } from '../../test/support/app.ts'
import { givenEstablishment, givenStaffUser, TEST_PASSWORD } from '../../test/support/builders.ts'
import { whileAuditRefuses } from '../../test/support/audit-trail.ts'
import { readPage } from '../../test/support/page.ts'
import { followed } from '../../test/support/page-steps.ts'
import { deviceOf } from './sessions.ts'

describe('deviceOf', () => {
  it('names the browser and the system, and nothing more of the header', () => {
    const edge =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0'
    assert.equal(deviceOf(edge), 'Edge on Windows')
    assert.equal(deviceOf('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1'), 'Safari on iOS')
    assert.equal(deviceOf('curl/8.0'), '')
    assert.equal(deviceOf(undefined), '')
  })
})

/** Issue 13: a member of staff sees where they are signed in, and ends a session left open elsewhere. */
describePagesOnEachEngine('your sessions', { staff: ['officer'] }, (site) => {
  let officer: { username: string }
  /** Another officer at the same prison. */
  let colleague: { username: string }

  before(async () => {
    officer = site.staff.officer
    colleague = await givenStaffUser(site.db, { role: 'officer', establishmentCodes: [site.home.code] })
  })

  /** A sign-in from a named browser, as the wing PC's would be. */
  async function signInFrom(username: string, userAgent: string) {
    const jar = new CookieJar()
    const page = jar.take(await site.app.inject({ method: 'GET', url: '/sign-in' }))
    jar.take(
      await site.app.inject({
        method: 'POST',
        url: '/sign-in',
        headers: { 'user-agent': userAgent },
        cookies: jar.header,
        payload: { username, password: TEST_PASSWORD, _csrf: csrfTokenFrom(page.body) },
      }),
    )
    return jar
  }

  it('lists where they are signed in, this device marked, and ends the one left on the wing', async () => {
    const wingPc = await signInFrom(officer.username, 'Mozilla/5.0 (Windows NT 10.0) Chrome/126.0 Safari/537.36')
    const here = await site.signedInAs(officer)
    const page = await here.get('/account/sessions')
    assert.equal(page.statusCode, 200)
    const read = readPage(page.body)
    assert.equal(read.heading(), 'Where you are signed in')
    assert.match(read.text, /Chrome on Windows/)
    assert.match(read.text, /This device/)
    const wingId = /action="\/account\/sessions\/([0-9a-f-]{36})\/end"/.exec(
      page.body.split('Chrome on Windows')[1] ?? '',
    )?.[1]
    assert.ok(wingId, 'the wing PC has an End session button')
    const ended = await here.post(`/account/sessions/${wingId}/end`, {}, { from: '/account/sessions' })
    assert.equal(ended.headers.location, '/account/sessions')
    assert.match((await followed(here, ended)).banner(), /The session has ended/)
    const afterwards = await site.app.inject({ method: 'GET', url: '/roll', cookies: wingPc.header })
    assert.equal(afterwards.statusCode, 303, 'the wing PC is signed out at its next request')
    assert.match(String(afterwards.headers.location), /^\/sign-in/)
    assert.equal((await here.get('/roll')).statusCode, 200, 'this device stays signed in')
  })

  it('will not end someone else’s session (404), nor show it', async () => {
    await signInFrom(colleague.username, 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Firefox/126.0')
    const theirs = await site.db
      .selectFrom('web_session as w')
      .innerJoin('staff_user as s', 's.id', 'w.staff_user_id')
      .select('w.id')
      .where('s.username', '=', colleague.username)
      .executeTakeFirstOrThrow()
    const me = await site.signedInAs(officer)
    assert.ok(!(await me.get('/account/sessions')).body.includes(theirs.id))
    const refused = await me.post(`/account/sessions/${theirs.id}/end`, {}, { from: '/account/sessions' })
    assert.equal(refused.statusCode, 404)
    const still = await site.db.selectFrom('web_session').select('id').where('id', '=', theirs.id).execute()
    assert.equal(still.length, 1)
  })

  it('changes their password as NCSC advises, and ends their other sessions', async () => {
    const elsewhere = await signInFrom(colleague.username, 'Mozilla/5.0 (Windows NT 10.0) Firefox/126.0')
    const me = await site.signedInAs(colleague)
    const change = (answers: Record<string, string>) =>
      me.post('/account/password', answers, { from: '/account/password' })
    /** Changes from the password they signed in with to a new one, typed twice (the same, unless told). */
    const changeTo = (newPassword: string, confirmPassword = newPassword) =>
      change({ currentPassword: TEST_PASSWORD, newPassword, confirmPassword })
    const wrong = await change({ currentPassword: 'not it', newPassword: 'x', confirmPassword: 'x' })
    assert.equal(wrong.statusCode, 400)
    assert.equal(readPage(wrong.body).fieldError('currentPassword'), 'Your current password is not right')
    const short = await changeTo('too short')
    assert.equal(readPage(short.body).fieldError('newPassword'), 'Use at least 12 characters')
    const common = await changeTo('passwordpassword')
    assert.match(readPage(common.body).fieldError('newPassword') ?? '', /too common/)
    const mismatch = await changeTo('kettle river autumn lamp', 'kettle river autumn')
    assert.equal(readPage(mismatch.body).fieldError('confirmPassword'), 'The two new passwords are not the same')
    const done = await changeTo('kettle river autumn lamp')
    assert.equal(done.headers.location, '/account/password')
    assert.match((await followed(me, done)).banner(), /Your password has changed/)
    assert.equal((await site.app.inject({ method: 'GET', url: '/roll', cookies: elsewhere.header })).statusCode, 303)
    assert.equal((await me.get('/roll')).statusCode, 200, 'this session carries on')
    await assert.rejects(site.signedInAs(colleague), /failed with 400/, 'the old password no longer signs in')
    await site.signedInAs(colleague, 'kettle river autumn lamp')
  })

  it('keeps a change to their sessions only with its audit entry', async () => {
    const second = await givenEstablishment(site.db, { name: 'HMP Second' })
    const both = await givenStaffUser(site.db, { role: 'officer', establishmentCodes: [site.home.code, second.code] })
    await signInFrom(both.username, 'Mozilla/5.0 (Windows NT 10.0) Firefox/126.0')
    const me = await site.signedInAs(both)
    const sessions = () =>
      site.db.selectFrom('web_session').select(['id', 'device']).where('staff_user_id', '=', both.id).execute()
    const atWork = async () => readPage((await me.get('/roll')).body).heading()
    const home = await atWork()

    const switched = await whileAuditRefuses(site.db, 'establishment.switched', () =>
      me.post('/establishment', { establishmentCode: second.code }),
    )
    assert.equal(switched.statusCode, 500)
    assert.equal(await atWork(), home, 'still at their home prison')

    const elsewhere = (await sessions()).find((session) => session.device === 'Firefox on Windows')!
    const ended = await whileAuditRefuses(site.db, 'session.ended-by-owner', () =>
      me.post(`/account/sessions/${elsewhere.id}/end`, {}, { from: '/account/sessions' }),
    )
    assert.equal(ended.statusCode, 500)
    assert.equal((await sessions()).length, 2, 'the session elsewhere goes on')

    await whileAuditRefuses(site.db, 'sign-in.succeeded', () =>
      signInFrom(both.username, 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Safari/605.1'),
    )
    assert.equal((await sessions()).length, 2, 'no session begun without its record')
  })

  it('speaks Welsh', async () => {
    const me = await site.signedInAs(officer)
    await me.get('/language/cy?returnTo=/account/sessions')
    assert.equal(readPage((await me.get('/account/sessions')).body).heading(), 'Lle rydych wedi mewngofnodi')
  })
})
