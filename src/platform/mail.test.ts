import { it } from 'node:test'
import assert from 'node:assert/strict'
import { givenEstablishment } from '../../test/support/builders.ts'
import { describeOnEachEngine } from '../../test/support/database.ts'
import { readEveryPage } from '../../test/support/paging.ts'
import { fixedClock } from './clock.ts'
import { createMailOutbox, OUTBOX_PAGE_SIZE } from './mail.ts'
import { readCountedPage } from './pagination.ts'

describeOnEachEngine('the mail outbox (issue 14)', (database) => {
  it('lists every message for an administrator’s prisons and for none, newest first, a page at a time', async () => {
    const clock = fixedClock('2026-11-25T09:00:00Z')
    const mail = createMailOutbox({ clock })
    const [home, elsewhere] = [await givenEstablishment(database.db), await givenEstablishment(database.db)]
    const send = (n: number, establishmentCode: string | null) =>
      mail.send(database.db, {
        to: `family${n}@example.org`,
        subject: `Message ${n}`,
        body: 'Your reference',
        establishmentCode,
      })
    // 51 for the administrator's prison, one for none (the public site's), one for another prison.
    for (let n = 0; n < 51; n += 1) await send(n, home.code)
    await send(51, null)
    await send(52, elsewhere.code)
    const read = (asked: number) =>
      readCountedPage((page) => mail.list(database.db, [home.code], page), asked, OUTBOX_PAGE_SIZE).then(
        ({ rows, ...paged }) => ({ ...paged, messages: rows }),
      )
    const listed = await readEveryPage(read, 'messages', {
      total: 52,
      size: OUTBOX_PAGE_SIZE,
      inOrderOf: { value: (message) => message.createdAt.getTime(), descending: true, id: (message) => message.id },
    })
    assert.equal(new Set(listed.map((message) => message.id)).size, 52)
    assert.ok(!listed.some((message) => message.subject === 'Message 52'), 'not another prison’s')
  })
})
