import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import {
  addressRefusal,
  afterAttempt,
  domainEventsOf,
  eventTypesRefusal,
  MAX_ATTEMPTS,
  signatureIsValid,
  signatureOf,
  waitAfterFailure,
} from './rules.ts'

const occurredAt = new Date('2026-11-25T09:00:00Z')
const carePlanId = '6f1c1d3e-54a4-4d0e-9a51-0c0a8c2f3b11'
const personId = '0b7e0c53-5a62-4d3b-8c2c-6a8f7a7e2d90'

describe('the domain events a Waymark event becomes', () => {
  it('makes an opened plan the HA alert created, then Waymark’s own event, shaped as HMPPS domain events', () => {
    const events = domainEventsOf(
      { id: 41, type: 'care-plan.opened', payload: { carePlanId, personId }, occurredAt },
      'A1234BC',
    )
    assert.deepEqual(events, [
      {
        key: 'waymark-41-1',
        position: 1,
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
        'A1234BC',
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
        'A1234BC',
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

  it('carries ids, codes and dates only: no field holds anything but those', () => {
    const events = domainEventsOf(
      { id: 7, type: 'care-plan.closed', payload: { carePlanId, personId, alertCode: 'HA1' }, occurredAt },
      'A1234BC',
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

  it('asks for at least one event type, each one Waymark sends', () => {
    assert.equal(eventTypesRefusal(['person.alert.created', 'waymark.care-plan.closed']), null)
    assert.equal(eventTypesRefusal([])?.messageKey, 'webhooks.error.eventTypes')
    assert.equal(eventTypesRefusal(['person.alert.created', 'person.deleted'])?.messageKey, 'webhooks.error.eventTypes')
  })
})
