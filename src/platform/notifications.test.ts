import { before, it } from 'node:test'
import assert from 'node:assert/strict'
import { describePagesOnEachEngine } from '../../test/support/app.ts'
import { givenStaffUser } from '../../test/support/builders.ts'
import { fixedClock } from './clock.ts'
import { createNotifications } from './notifications.ts'
import type { Actor } from './permissions.ts'
import { readPage, textOf } from '../../test/support/page.ts'
import { followed, opened } from '../../test/support/page-steps.ts'

const clock = fixedClock('2026-11-25T10:00:00Z')

describePagesOnEachEngine('notifications', { clock, staff: ['officer'] }, (site) => {
  const notifications = createNotifications({ clock })
  let officer: Actor
  /** Another officer at the same prison. */
  let colleague: Actor

  before(async () => {
    officer = site.staff.officer
    colleague = await givenStaffUser(site.db, { role: 'officer', establishmentCodes: [site.home.code] })
  })

  function notifyOfficer(href = '/roll') {
    return notifications.notify(site.db, {
      recipientIds: [officer.id, officer.id],
      establishmentCode: site.home.code,
      kind: 'test.happened',
      messageKey: 'chrome.signedInAs',
      params: { name: 'a concern' },
      href,
    })
  }

  it('sends once to each recipient however often they are named, and only if the change commits', async () => {
    assert.equal(await notifyOfficer(), 1)
    await assert.rejects(
      site.db.transaction().execute(async (trx) => {
        await notifications.notify(trx, {
          recipientIds: [officer.id],
          establishmentCode: site.home.code,
          kind: 'test.happened',
          messageKey: 'chrome.home',
          href: '/roll',
        })
        throw new Error('the change failed')
      }),
    )
    assert.equal(await notifications.unreadCount(site.db, officer.id), 1)
    assert.equal(await notifications.unreadCount(site.db, colleague.id), 0)
  })

  it('refuses to lead anywhere outside Waymark', async () => {
    await assert.rejects(notifyOfficer('https://example.org/'), /path inside Waymark/)
    await assert.rejects(notifyOfficer('//example.org/'), /path inside Waymark/)
  })

  it('shows the unread count in the header of every page, and the list in the reader’s language', async () => {
    const browser = await site.as(officer)
    const roll = await browser.get('/roll')
    const header = readPage(roll.body).root.querySelector('a[href="/notifications"]')
    assert.equal(
      textOf(header),
      'Notifications 1 unread',
      'the header link counts the unread one, in words for a screen reader',
    )
    const list = await browser.get('/notifications')
    assert.equal(list.statusCode, 200)
    const listed = readPage(list.body)
    assert.match(listed.text, /Signed in as a concern/)
    assert.deepEqual(
      listed.tags().map(([text]) => text),
      ['Unread'],
    )
  })

  it('marks one read when it is opened and goes where it leads; another user’s is not found', async () => {
    const [mine] = (await notifications.list(site.db, officer.id)).notifications
    const colleagueBrowser = await site.as(colleague)
    assert.equal((await colleagueBrowser.get(`/notifications/${mine.id}`)).statusCode, 404)
    assert.equal((await colleagueBrowser.get('/notifications/not-an-id')).statusCode, 404)
    assert.equal(await notifications.unreadCount(site.db, officer.id), 1)

    const browser = await site.as(officer)
    const opened = await browser.get(`/notifications/${mine.id}`)
    assert.equal(opened.statusCode, 303)
    assert.equal(opened.headers.location, '/roll')
    assert.equal(await notifications.unreadCount(site.db, officer.id), 0)
    const header = readPage((await browser.get('/roll')).body).root.querySelector('a[href="/notifications"]')
    assert.equal(textOf(header), 'Notifications', 'no count once all are read')
  })

  it('marks all read from the list, and only with the form’s CSRF token', async () => {
    await notifyOfficer()
    await notifyOfficer()
    const browser = await site.as(officer)
    const drawnAt = async () =>
      String(
        (await opened(browser, '/notifications')).root.querySelector('input[name="drawnAt"]')?.getAttribute('value'),
      )
    const asDrawn = { drawnAt: await drawnAt() }
    assert.equal((await browser.post('/notifications/read-all', asDrawn, { withCsrf: false })).statusCode, 403)
    assert.equal((await browser.post('/notifications/read-all', {}, { from: '/notifications' })).statusCode, 400)
    assert.equal(await notifications.unreadCount(site.db, officer.id), 2)
    const marked = await browser.post('/notifications/read-all', asDrawn, { from: '/notifications' })
    assert.equal(marked.headers.location, '/notifications')
    assert.equal(await notifications.unreadCount(site.db, officer.id), 0)
    assert.match((await followed(browser, marked)).text, /All your notifications are marked as read/)
    assert.doesNotMatch((await opened(browser, '/notifications')).text, /All your notifications are marked as read/)
  })

  it('leaves unread what came while the list was open, and says so', async () => {
    await notifyOfficer()
    const browser = await site.as(officer)
    const seen = (await opened(browser, '/notifications')).root.querySelector('input[name="drawnAt"]')
    clock.advanceMinutes(1)
    await notifyOfficer()
    const marked = await browser.post(
      '/notifications/read-all',
      { drawnAt: String(seen?.getAttribute('value')) },
      { from: '/notifications' },
    )
    assert.equal(await notifications.unreadCount(site.db, officer.id), 1)
    assert.match((await followed(browser, marked)).text, /New ones came while you were reading: they are unread below/)
  })

  it('says so when there are none', async () => {
    const browser = await site.as(colleague)
    assert.match(readPage((await browser.get('/notifications')).body).text, /You have no notifications/)
  })
})
