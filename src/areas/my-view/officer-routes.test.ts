import { before, it } from 'node:test'
import assert from 'node:assert/strict'
import { fixedClock } from '../../platform/clock.ts'
import { givenPerson } from '../../../test/support/builders.ts'
import { describePagesOnEachEngine } from '../../../test/support/app.ts'
import { givenDedicatedOfficer } from '../../../test/support/journey-builders.ts'
import { givenPersonAccount, signedInAsPerson } from '../../../test/support/my-view-builders.ts'
import { readPage } from '../../../test/support/page.ts'
import { sentBack } from '../../../test/support/page-steps.ts'

/** C1, K2: a person's dedicated officer on their own view, and their private request to change them. */
describePagesOnEachEngine(
  "the person's own view of their officer",
  {
    clock: fixedClock('2026-11-25T09:00:00Z'),
    config: { signInAttemptsPerMinute: 1000 },
    home: { name: 'HMP Northgate' },
    staff: ['keyworker', 'safercustody'],
  },
  (site) => {
    let dean: { id: string; prisonNumber: string }
    let deanBrowser: Awaited<ReturnType<typeof signedInAsPerson>>

    before(async () => {
      dean = await givenPerson(site.db, site.home.code, { firstName: 'Dean', lastName: 'Morgan' })
      await givenDedicatedOfficer(site.db, dean.id, site.staff.keyworker.id, '2026-11-01T09:00:00Z')
      await givenPersonAccount(site.db, dean, { username: 'dean.morgan' })
      deanBrowser = await signedInAsPerson(site.app, 'dean.morgan')
    })

    it('names their dedicated officer and when they should next meet', async () => {
      const response = await deanBrowser.get('/my/officer')
      assert.equal(response.statusCode, 200)
      const page = readPage(response.body)
      assert.ok(page.text.includes(`Your key worker is ${site.staff.keyworker.displayName}`))
      assert.match(page.text, /You should meet them by/)
    })

    it('sends a private request to change officer to safer custody, recorded as the person’s own, and refuses a second while it waits', async () => {
      const response = await deanBrowser.post('/my/officer/change', { reason: 'We do not get on' })
      assert.equal(response.statusCode, 303)
      assert.equal(response.headers.location, '/my/officer')
      const waiting = readPage((await deanBrowser.get('/my/officer')).body)
      assert.match(waiting.text, /This page will show what they decide\./)
      assert.match(
        waiting.text,
        /You asked for a different key worker on .+\. The safer custody team have not decided yet\./,
      )
      assert.equal(
        waiting.mentions('Ask for a different key worker'),
        false,
        'no second request offered while one waits',
      )
      const request = await site.db
        .selectFrom('officer_change_request')
        .select(['id', 'raised_by', 'raised_by_person_account_id', 'reason', 'status'])
        .where('person_id', '=', dean.id)
        .executeTakeFirstOrThrow()
      assert.equal(request.raised_by, null)
      assert.ok(request.raised_by_person_account_id)
      assert.equal(request.reason, 'We do not get on')
      assert.equal(request.status, 'pending')
      const leadBrowser = await site.as('safercustody')
      const list = await leadBrowser.get('/officer-change-requests')
      assert.match(readPage(list.body).text, /Reason given We do not get on/)

      const second = await deanBrowser.post('/my/officer/change', { reason: 'Still do not get on' })
      const refused = sentBack(second)
      assert.equal(refused.errors()[0]?.href, '#reason')
      assert.match(refused.errors()[0]?.text ?? '', /^A request to change your key worker is already with the safer/)
      assert.equal(refused.valueOfField('reason'), 'Still do not get on')
      const requests = await site.db
        .selectFrom('officer_change_request')
        .select('reason')
        .where('person_id', '=', dean.id)
        .execute()
      assert.deepEqual(requests, [{ reason: 'We do not get on' }])
      await deanBrowser.get('/language/cy?returnTo=/my')
      const welsh = await deanBrowser.post('/my/officer/change', { reason: 'Eto' })
      assert.match(readPage(welsh.body).errors()[0]?.text ?? '', /^Mae cais i newid eich /)
      await deanBrowser.get('/language/en?returnTo=/my')

      const from = '/officer-change-requests'
      const decided = await leadBrowser.post(
        `${from}/${request.id}`,
        { outcome: 'declined', outcomeReason: 'Talked it through with both' },
        { from },
      )
      assert.equal(decided.statusCode, 303)
      const told = readPage((await deanBrowser.get('/my/officer')).body)
      assert.match(
        told.text,
        /On .+ the safer custody team decided to keep your key worker\. An officer can tell you why\./,
      )
      assert.equal(told.mentions('Talked it through'), false, 'their reason is for the record, not this page')
    })

    it('shows a person only the requests they made themselves, not one staff raised about them', async () => {
      const ffion = await givenPerson(site.db, site.home.code, { firstName: 'Ffion', lastName: 'Hughes' })
      await givenDedicatedOfficer(site.db, ffion.id, site.staff.keyworker.id, '2026-11-01T09:00:00Z')
      await givenPersonAccount(site.db, ffion, { username: 'ffion.hughes' })
      const lead = await site.as('safercustody')
      const from = `/people/${ffion.prisonNumber}/dedicated-officer`
      const raised = await lead.post(
        `/people/${ffion.prisonNumber}/change-officer`,
        { changeReason: 'Staff view' },
        { from },
      )
      assert.equal(raised.statusCode, 303)
      const waiting = await site.db
        .selectFrom('officer_change_request')
        .select('raised_by')
        .where('person_id', '=', ffion.id)
        .executeTakeFirstOrThrow()
      assert.equal(waiting.raised_by, site.staff.safercustody.id)
      const own = readPage((await (await signedInAsPerson(site.app, 'ffion.hughes')).get('/my/officer')).body)
      assert.equal(own.mentions('Your request'), false)
      assert.equal(own.mentions('You asked for a different key worker'), false)
    })
  },
)
