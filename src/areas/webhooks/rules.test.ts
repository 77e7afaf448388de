import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import {
  addressRefusal,
  afterAttempt,
  domainEventsOf,
  eventTypesChangeRefusal,
  eventTypesRefusal,
  MAX_ATTEMPTS,
  mayRunSubscriber,
  maySeeSubscriber,
  prisonsAfterChange,
  prisonsRefusal,
  signatureIsValid,
  signatureOf,
  signingSecretsAt,
  waitAfterFailure,
} from './rules.ts'

const occurredAt = new Date('2026-11-25T09:00:00Z')
const carePlanId = '6f1c1d3e-54a4-4d0e-9a51-0c0a8c2f3b11'
const personId = '0b7e0c53-5a62-4d3b-8c2c-6a8f7a7e2d90'
const otherId = '5d1f8a0e-2b7c-4c61-9f0e-3a9b1c7d4e22'
const people = new Map([
  [personId, 'A1234BC'],
  [otherId, 'B2345CD'],
])

describe('the domain events a Waymark event becomes', () => {
  it('makes an opened plan the HA alert created, then Waymark’s own event, shaped as HMPPS domain events', () => {
    const events = domainEventsOf(
      { id: 41, type: 'care-plan.opened', payload: { carePlanId, personId }, occurredAt },
      people,
    )
    assert.deepEqual(events, [
      {
        key: 'waymark-41-1',
        position: 1,
        personId,
        event: {
          eventType: 'person.alert.created',
          version: 1,
          occurredAt: '2026-11-25T09:00:00.000Z',
          description: 'An ACCT alert (HA) was created',
          personReference: { identifiers: [{ type: 'NOMS', value: 'A1234BC' }] },
          additionalInformation: { prisonNumber: 'A1234BC', carePlanId, alertCode: 'HA', source: 'WAYMARK' },
        },
      },
      {
        key: 'waymark-41-2',
        position: 2,
        personId,
        event: {
          eventType: 'waymark.care-plan.opened',
          version: 1,
          occurredAt: '2026-11-25T09:00:00.000Z',
          description: 'A care plan (ACCT) was opened',
          personReference: { identifiers: [{ type: 'NOMS', value: 'A1234BC' }] },
          additionalInformation: { prisonNumber: 'A1234BC', carePlanId, source: 'WAYMARK' },
        },
      },
    ])
  })

  it('makes a closed plan HA inactive, then the next alert created (HA1 after a review, HA2 on leaving), then closed', () => {
    for (const alertCode of ['HA1', 'HA2'] as const) {
      const events = domainEventsOf(
        { id: 7, type: 'care-plan.closed', payload: { carePlanId, personId, alertCode }, occurredAt },
        people,
      )
      assert.deepEqual(
        events.map(({ key, event }) => [key, event.eventType, event.additionalInformation.alertCode]),
        [
          ['waymark-7-1', 'person.alert.inactive', 'HA'],
          ['waymark-7-2', 'person.alert.created', alertCode],
          ['waymark-7-3', 'waymark.care-plan.closed', undefined],
        ],
      )
    }
  })

  it('makes a later move of the alert one made inactive and the next created: HA1 to HA2, or back to HA', () => {
    for (const to of ['HA2', 'HA'] as const) {
      const events = domainEventsOf(
        { id: 9, type: 'care-plan.alert-moved', payload: { carePlanId, personId, from: 'HA1', to }, occurredAt },
        people,
      )
      assert.deepEqual(
        events.map(({ key, event }) => [key, event.eventType, event.additionalInformation.alertCode]),
        [
          ['waymark-9-1', 'person.alert.inactive', 'HA1'],
          ['waymark-9-2', 'person.alert.created', to],
        ],
      )
    }
  })

  it('makes a raised concern one event with its id, urgency and whether it points to self-harm, and nothing of what it says', () => {
    const concernId = '8a3f0e1c-7b2d-4e5f-9a1b-2c3d4e5f6a7b'
    const events = domainEventsOf(
      {
        id: 12,
        type: 'concern.raised',
        payload: { concernId, personId, urgency: 'immediate', indicatesSelfHarmRisk: true },
        occurredAt,
      },
      people,
    )
    assert.deepEqual(events, [
      {
        key: 'waymark-12-1',
        position: 1,
        personId,
        event: {
          eventType: 'waymark.concern.raised',
          version: 1,
          occurredAt: '2026-11-25T09:00:00.000Z',
          description: 'A concern was raised',
          personReference: { identifiers: [{ type: 'NOMS', value: 'A1234BC' }] },
          additionalInformation: {
            prisonNumber: 'A1234BC',
            concernId,
            urgency: 'immediate',
            source: 'WAYMARK',
          },
        },
      },
    ])
  })

  it('makes an allocation one event naming the allocation and the officer by id', () => {
    const allocationId = '1e2d3c4b-5a69-4788-9aab-bccddeeff001'
    const staffUserId = '2f3e4d5c-6b7a-4899-8abb-ccddeeff0012'
    const [one, ...rest] = domainEventsOf(
      { id: 13, type: 'dedicated-officer.allocated', payload: { allocationId, personId, staffUserId }, occurredAt },
      people,
    )
    assert.equal(rest.length, 0)
    assert.equal(one.event.eventType, 'waymark.dedicated-officer.allocated')
    assert.deepEqual(one.event.additionalInformation, {
      prisonNumber: 'A1234BC',
      allocationId,
      staffUserId,
      source: 'WAYMARK',
    })
  })

  it('makes an accepted timetable one event for each person whose groups changed, each naming that person', () => {
    const runId = '3a4b5c6d-7e8f-4a0b-8c1d-2e3f4a5b6c7d'
    const goneId = '9f9f9f9f-0000-4000-8000-000000000000'
    const events = domainEventsOf(
      {
        id: 14,
        type: 'timetable.accepted',
        payload: {
          runId,
          people: [
            { personId, joined: 2, left: 1 },
            { personId: goneId, joined: 1, left: 0 },
            { personId: otherId, joined: 0, left: 1 },
          ],
        },
        occurredAt,
      },
      people,
    )
    assert.deepEqual(
      events.map(({ key, position, personId: about, event }) => [
        key,
        position,
        about,
        event.eventType,
        event.personReference.identifiers[0].value,
        event.additionalInformation,
      ]),
      [
        [
          'waymark-14-1',
          1,
          personId,
          'waymark.timetable.accepted',
          'A1234BC',
          { prisonNumber: 'A1234BC', runId, groupsJoined: 2, groupsLeft: 1, source: 'WAYMARK' },
        ],
        // Someone no longer found by their id is left out: no event names a person by nothing.
        [
          'waymark-14-2',
          2,
          otherId,
          'waymark.timetable.accepted',
          'B2345CD',
          { prisonNumber: 'B2345CD', runId, groupsJoined: 0, groupsLeft: 1, source: 'WAYMARK' },
        ],
      ],
    )
  })

  it('carries ids, codes and dates only: no field holds anything but those', () => {
    const events = domainEventsOf(
      { id: 7, type: 'care-plan.closed', payload: { carePlanId, personId, alertCode: 'HA1' }, occurredAt },
      people,
    )
    for (const { event } of events) {
      assert.deepEqual(Object.keys(event).sort(), [
        'additionalInformation',
        'description',
        'eventType',
        'occurredAt',
        'personReference',
        'version',
      ])
      assert.deepEqual(Object.keys(event.additionalInformation).sort(), [
        ...('alertCode' in event.additionalInformation ? ['alertCode'] : []),
        'carePlanId',
        'prisonNumber',
        'source',
      ])
      // The person is named by prison number only: their own id stays inside Waymark.
      assert.equal(JSON.stringify(event).includes(personId), false)
    }
  })
})

describe('signing a delivery', () => {
  const secret = 'a-secret-only-the-two-ends-know'
  const body = '{"eventType":"person.alert.created"}'
  const at = new Date('2026-11-25T09:00:00.900Z')

  it('signs the time and the body: t is Unix seconds, v1 the hex HMAC-SHA256 of "t.body"', () => {
    const expected = createHmac('sha256', secret).update(`1795597200.${body}`).digest('hex')
    assert.equal(signatureOf(secret, body, at), `t=1795597200,v1=${expected}`)
  })

  it('is accepted by a receiver with the secret, within five minutes, and refused otherwise', () => {
    const header = signatureOf(secret, body, at)
    const later = (seconds: number) => new Date(at.getTime() + seconds * 1000)
    assert.equal(signatureIsValid(secret, body, header, later(60)), true)
    assert.equal(signatureIsValid(secret, body, header, later(301)), false, 'too old: a replayed copy')
    assert.equal(signatureIsValid('another secret', body, header, at), false)
    assert.equal(signatureIsValid(secret, `${body} `, header, at), false, 'a body changed on the way')
    assert.equal(signatureIsValid(secret, body, header.replace('t=1795597200', 't=1795597201'), at), false)
    assert.equal(signatureIsValid(secret, body, 't=1795597200', at), false)
    assert.equal(signatureIsValid(secret, body, 'nonsense', at), false)
  })
})

describe('signing during a secret’s rotation', () => {
  const body = '{"eventType":"waymark.concern.raised"}'
  const at = new Date('2026-11-25T09:00:00Z')

  it('carries a v1 for each secret, newest first, each accepted by a receiver holding that secret alone', () => {
    const header = signatureOf(['new-secret', 'old-secret'], body, at)
    assert.match(header, /^t=1795597200,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/)
    assert.equal(signatureIsValid('new-secret', body, header, at), true)
    assert.equal(signatureIsValid('old-secret', body, header, at), true)
    assert.equal(signatureIsValid('another-secret', body, header, at), false)
    assert.equal(header.split(',v1=')[1], signatureOf('new-secret', body, at).split(',v1=')[1])
  })

  it('refuses a header with two times, so a second t cannot stand in for the signed one', () => {
    const header = signatureOf('new-secret', body, at)
    assert.equal(signatureIsValid('new-secret', body, `${header},t=1795597999`, at), false)
  })

  it('signs with the old secret too until its grace ends, and with the new one alone from that instant', () => {
    const until = new Date('2026-11-26T09:00:00Z')
    const secrets = { current: 'new', previous: 'old', previousUntil: until }
    assert.deepEqual(signingSecretsAt(secrets, new Date(until.getTime() - 1)), ['new', 'old'])
    assert.deepEqual(signingSecretsAt(secrets, until), ['new'])
    assert.deepEqual(signingSecretsAt({ current: 'only', previous: null, previousUntil: null }, at), ['only'])
  })
})

describe('trying again', () => {
  it('waits 30 seconds after the first failure, doubling each time, never more than 6 hours', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 10, 11, 12, 14].map((attempt) => waitAfterFailure(attempt) / 1000),
      [30, 60, 120, 240, 15_360, 21_600, 21_600, 21_600],
    )
  })

  it('is delivered on a 2xx, waits after anything else, and fails for good after the last attempt', () => {
    const now = new Date('2026-11-25T09:00:00Z')
    assert.deepEqual(afterAttempt(1, { status: 204 }, now), { state: 'delivered', status: 204 })
    assert.deepEqual(afterAttempt(1, { status: 503 }, now), {
      state: 'pending',
      status: 503,
      error: 'The receiver answered 503',
      nextAttemptAt: new Date('2026-11-25T09:00:30Z'),
    })
    // A redirect is not followed: the signed body goes only where the administrator said.
    assert.equal(afterAttempt(2, { status: 302 }, now).state, 'pending')
    assert.deepEqual(afterAttempt(3, { error: 'Could not connect (ECONNREFUSED)' }, now), {
      state: 'pending',
      status: null,
      error: 'Could not connect (ECONNREFUSED)',
      nextAttemptAt: new Date('2026-11-25T09:02:00Z'),
    })
    assert.deepEqual(afterAttempt(MAX_ATTEMPTS, { status: 500 }, now), {
      state: 'failed',
      status: 500,
      error: 'The receiver answered 500',
    })
  })
})

describe('a subscription', () => {
  it('takes an https address, or http on this machine only, with no user name or password', () => {
    const refusal = (url: string) => addressRefusal(url)?.messageKey ?? null
    assert.equal(refusal('https://alerts.example.org/events'), null)
    assert.equal(refusal('http://127.0.0.1:8080/hook'), null)
    assert.equal(refusal('http://localhost/hook'), null)
    assert.equal(refusal(''), 'webhooks.error.url.missing')
    assert.equal(refusal('   '), 'webhooks.error.url.missing')
    assert.equal(refusal('not an address'), 'webhooks.error.url.invalid')
    assert.equal(refusal('http://alerts.example.org/events'), 'webhooks.error.url.https')
    assert.equal(refusal('ftp://alerts.example.org/events'), 'webhooks.error.url.https')
    assert.equal(refusal('https://user:pass@alerts.example.org/'), 'webhooks.error.url.credentials')
    assert.equal(refusal(`https://example.org/${'a'.repeat(2000)}`), 'webhooks.error.url.tooLong')
  })

  it('hears of at least one prison, each one the administrator works in', () => {
    assert.equal(prisonsRefusal(['NHI'], ['NHI', 'EWI']), null)
    assert.equal(prisonsRefusal(['NHI', 'EWI'], ['NHI', 'EWI']), null)
    assert.equal(prisonsRefusal([], ['NHI'])?.messageKey, 'webhooks.error.prisons')
    assert.equal(prisonsRefusal(['NHI', 'LEI'], ['NHI'])?.field, 'establishmentCodes')
  })

  it('asks for at least one event type, each one Waymark sends', () => {
    assert.equal(eventTypesRefusal(['person.alert.created', 'waymark.care-plan.closed']), null)
    assert.equal(eventTypesRefusal([])?.messageKey, 'webhooks.error.eventTypes')
    assert.equal(eventTypesRefusal(['person.alert.created', 'person.deleted'])?.messageKey, 'webhooks.error.eventTypes')
  })
})

describe('prisonsAfterChange', () => {
  const after = (current: string[], chosen: string[], administrators: string[]) => {
    const changed = prisonsAfterChange(current, chosen, administrators)
    return 'messageKey' in changed ? changed.messageKey : changed.establishmentCodes
  }

  it('takes the prisons chosen in place of the administrator’s own, in order of their codes', () => {
    assert.deepEqual(after(['NHI'], ['NHI', 'EWI'], ['NHI', 'EWI']), ['EWI', 'NHI'])
    assert.deepEqual(after(['NHI', 'EWI'], ['EWI'], ['NHI', 'EWI']), ['EWI'])
    assert.deepEqual(after(['NHI'], ['EWI', 'EWI'], ['NHI', 'EWI']), ['EWI'])
  })

  it('keeps a prison the administrator does not work in, whether or not it was sent', () => {
    assert.deepEqual(after(['LEI', 'NHI'], ['NHI'], ['NHI']), ['LEI', 'NHI'])
    assert.deepEqual(after(['LEI', 'NHI'], [], ['NHI']), ['LEI'])
    assert.deepEqual(after(['LEI'], ['NHI'], ['NHI']), ['LEI', 'NHI'])
  })

  it('refuses a prison the administrator does not work in, even one the subscriber already hears of', () => {
    assert.equal(after(['NHI'], ['NHI', 'LEI'], ['NHI']), 'webhooks.error.prisonsNotYours')
    assert.equal(after(['LEI', 'NHI'], ['LEI', 'NHI'], ['NHI']), 'webhooks.error.prisonsNotYours')
    assert.equal(after(['NHI'], ['XXX'], ['NHI']), 'webhooks.error.prisonsNotYours')
  })

  it('refuses to leave a subscriber hearing of no prison', () => {
    assert.equal(after(['NHI'], [], ['NHI']), 'webhooks.error.prisons')
    assert.equal(after(['NHI', 'EWI'], [], ['NHI', 'EWI']), 'webhooks.error.prisons')
  })
})

describe('eventTypesChangeRefusal', () => {
  const refusal = (eventTypes: string[], current: string[], administrators: string[]) =>
    eventTypesChangeRefusal(eventTypes, current, administrators)?.messageKey ?? null

  it('lets an administrator who works in every prison the subscriber hears of change its events, as when adding', () => {
    assert.equal(refusal(['waymark.concern.raised'], ['NHI', 'EWI'], ['NHI', 'EWI']), null)
    assert.equal(refusal([], ['NHI'], ['NHI']), 'webhooks.error.eventTypes')
    assert.equal(refusal(['person.deleted'], ['NHI'], ['NHI']), 'webhooks.error.eventTypes')
  })

  it('refuses any events from an administrator who does not work in one of its prisons, and takes none as unchanged', () => {
    assert.equal(refusal([], ['LEI', 'NHI'], ['NHI']), null)
    assert.equal(refusal(['waymark.concern.raised'], ['LEI', 'NHI'], ['NHI']), 'webhooks.error.eventTypesNotYours')
  })
})

describe('who sees and who runs a subscriber', () => {
  const cases: [string[], string[], boolean, boolean][] = [
    // its prisons, the administrator's, sees, runs
    [['NHI'], ['NHI'], true, true],
    [['NHI', 'EWI'], ['EWI', 'NHI', 'LEI'], true, true],
    [['NHI', 'EWI'], ['NHI'], true, false],
    [['EWI'], ['NHI'], false, false],
    [['EWI'], [], false, false],
  ]
  it('lets an administrator see one that hears of any prison they work in, and run one only if they work in all', () => {
    for (const [prisons, administrators, sees, runs] of cases)
      assert.deepEqual(
        [maySeeSubscriber(prisons, administrators), mayRunSubscriber(prisons, administrators)],
        [sees, runs],
        `${prisons.join(' ')} for an administrator of ${administrators.join(' ') || 'none'}`,
      )
  })
})
