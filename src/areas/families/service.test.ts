import { before, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql, type Kysely } from 'kysely'
import { createServices, type Services } from '../../app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { Forbidden, NotFound } from '../../platform/errors.ts'
import * as askedNotNamed from '../../db/migrations/0036-concern-family-asked-not-named.ts'
import type { Actor } from '../../platform/permissions.ts'
import { deliverEvents } from '../../../test/support/app.ts'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { describeOnEachEngine } from '../../../test/support/database.ts'
import { WORRIES_PER_ADDRESS_PER_HOUR } from './rules.ts'
import type { WorryForm } from './service.ts'
import type { FamilyWorryTable } from '../../db/schema.ts'
import { auditTrailOf } from '../../../test/support/audit-trail.ts'

/** Issue 14: a worry from family or friends, from the public form to safer custody, and what the family sees. */
describeOnEachEngine('worries from family and friends', (database) => {
  let services: Services
  let prison: string
  let elsewhere: string
  let lead: Actor
  let leadElsewhere: Actor
  let dafydd: { id: string; prisonNumber: string }
  let address = 0
  /** Each worry from its own address, unless a test says otherwise: the per-address limit is tested alone. */
  const nextAddress = () => `192.0.2.${++address}`

  const form = (overrides: Partial<WorryForm> = {}): WorryForm => ({
    establishmentCode: prison,
    personName: 'Dafydd Ap Rhys',
    dateOfBirth: '1990-04-17',
    prisonNumber: '',
    whatWorries: 'He rang last night and said goodbye as if it was the last time.',
    howSoon: 'now',
    selfHarm: 'yes',
    relationship: 'Mother',
    raiserName: 'Eirlys Ap Rhys',
    raiserPhone: '01632 960 001',
    raiserEmail: '',
    mayTell: 'no',
    honeypot: '',
    ...overrides,
  })
  const raise = (overrides: Partial<WorryForm> = {}, address = nextAddress()) =>
    services.families.raiseWorry(form(overrides), { address, language: 'cy' })
  const taken = async (overrides: Partial<WorryForm> = {}) => {
    const outcome = await raise(overrides)
    assert.equal(outcome.kind, 'taken', JSON.stringify(outcome))
    if (outcome.kind !== 'taken') throw new Error('not taken')
    const row = await database.db
      .selectFrom('family_worry')
      .select('id')
      .where('reference', '=', outcome.reference)
      .executeTakeFirstOrThrow()
    return { ...outcome, id: row.id }
  }
  /** These columns of a worry as stored. */
  const storedWorry = <Column extends keyof FamilyWorryTable>(id: string, columns: readonly Column[]) =>
    database.db.selectFrom('family_worry').select(columns).where('id', '=', id).executeTakeFirstOrThrow()
  /** Whom the sweep told that a worry was escalated, by id. */
  const toldOfEscalation = async (worryId: string) =>
    (
      await database.db
        .selectFrom('notification')
        .select('recipient_id as recipientId')
        .where('href', '=', `/family-worries/${worryId}`)
        .where('kind', '=', 'family-worry-escalated')
        .orderBy('recipient_id')
        .execute()
    ).map((row) => row.recipientId)
  /** Rows in every table, to show what one request wrote. */
  const rowCounts = async () => {
    const tables = await sql<{ name: string }>`
      select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'
    `.execute(database.db)
    const counts: Record<string, number> = {}
    for (const { name } of tables.rows) {
      const result = await sql<{ count: string }>`select count(*) as count from ${sql.table(name)}`.execute(database.db)
      counts[name] = Number(result.rows[0].count)
    }
    return counts
  }

  before(async () => {
    services = createServices({ db: database.db, clock: fixedClock('2026-12-05T10:00:00Z') })
    prison = (await givenEstablishment(database.db, { name: 'HMP Bryn Glas' })).code
    elsewhere = (await givenEstablishment(database.db)).code
    lead = await givenStaffUser(database.db, { role: 'safercustody', establishmentCodes: [prison] })
    leadElsewhere = await givenStaffUser(database.db, { role: 'safercustody', establishmentCodes: [elsewhere] })
    dafydd = await givenPerson(database.db, prison, {
      firstName: 'Dafydd',
      lastName: 'Ap Rhys',
      dateOfBirth: '1990-04-17',
    })
  })

  it('takes a worry the same way whether or not it names someone at the prison, reading no one’s record first', async () => {
    const before = await rowCounts()
    const about = await raise()
    const afterMatched = await rowCounts()
    const nobody = await raise({ personName: 'Nobody Here', dateOfBirth: '1970-01-01' })
    const afterUnmatched = await rowCounts()
    assert.equal(about.kind, 'taken')
    assert.equal(nobody.kind, 'taken')
    assert.deepEqual(Object.keys(about).sort(), Object.keys(nobody).sort())
    const written = (from: Record<string, number>, to: Record<string, number>) =>
      Object.fromEntries(
        Object.keys(to).flatMap((name) => (to[name] === from[name] ? [] : [[name, to[name] - from[name]]])),
      )
    // The same rows for both: the worry, its event and the job that routes it, the audit entry. No concern yet.
    assert.deepEqual(written(afterMatched, afterUnmatched), written(before, afterMatched))
    assert.deepEqual(Object.keys(written(before, afterMatched)).sort(), [
      'audit_event',
      'event_outbox',
      'family_worry',
      'job',
    ])
    await deliverEvents(services)
  })

  it('routes a worry that names someone without doubt as a concern from family, to safer custody at once', async () => {
    const worry = await taken()
    assert.ok((await deliverEvents(services)) >= 1)
    const concern = await database.db
      .selectFrom('concern')
      .selectAll()
      .where('family_worry_id', '=', worry.id)
      .executeTakeFirstOrThrow()
    assert.equal(concern.person_id, dafydd.id)
    assert.equal(concern.urgency, 'immediate')
    assert.equal(concern.indicates_self_harm_risk, true)
    assert.equal(concern.raised_by, null)
    assert.match(concern.what_happened, /said goodbye/)
    // The family asked that he is not told it was them: those acting on the concern read that, not who they are.
    assert.equal(concern.family_asked_not_named, true)
    const { concern: seen } = await services.concerns.viewConcern(lead, concern.id)
    assert.equal(seen.familyAskedNotNamed, true)
    const told = await database.db
      .selectFrom('notification')
      .select(['recipient_id', 'href'])
      .where('href', '=', `/concerns/${concern.id}`)
      .execute()
    assert.deepEqual(
      told.map((row) => row.recipient_id),
      [lead.id],
    )
    const row = await storedWorry(worry.id, ['concern_id', 'matched_by', 'routed_at'])
    assert.equal(row.concern_id, concern.id)
    assert.equal(row.matched_by, null, 'matched by the worker, not by hand')
    assert.equal(await deliverEvents(services), 0, 'delivered once')
  })

  it('gives a concern raised before it recorded the family’s answer that answer from its worry (migration 0036)', async () => {
    const notToBeTold = await taken({ personName: 'Dafydd Ap Rhys' })
    const mayBeTold = await taken({ personName: 'Dafydd Ap Rhys', mayTell: 'yes' })
    await deliverEvents(services)
    await sql`alter table concern drop column family_asked_not_named`.execute(database.db)
    await askedNotNamed.up(database.db as unknown as Kysely<unknown>)
    const concerns = await database.db
      .selectFrom('concern')
      .select(['family_worry_id as worryId', 'family_asked_not_named as askedNotNamed'])
      .where('family_worry_id', 'in', [notToBeTold.id, mayBeTold.id])
      .execute()
    assert.deepEqual(
      [notToBeTold.id, mayBeTold.id].map((id) => concerns.find((concern) => concern.worryId === id)?.askedNotNamed),
      [true, false],
    )
  })

  it('tells safer custody of a worry it cannot match, and they match it by hand into a concern', async () => {
    const worry = await taken({ personName: 'Dai Ap Rhys', dateOfBirth: null, prisonNumber: '' + 'Z9999ZZ' })
    await deliverEvents(services)
    const told = await database.db
      .selectFrom('notification')
      .select(['recipient_id', 'message_key'])
      .where('href', '=', `/family-worries/${worry.id}`)
      .execute()
    assert.deepEqual(told, [{ recipient_id: lead.id, message_key: 'families.notification.toMatch.now' }])
    assert.ok((await services.families.listWorries(lead)).toMatch.some((listed) => listed.id === worry.id))

    const refused = await services.families.matchByHand(lead, worry.id, 'A0000AA')
    assert.equal(refused?.messageKey, 'families.match.error.notHere')
    assert.equal(await services.families.matchByHand(lead, worry.id, dafydd.prisonNumber.toLowerCase()), null)
    const matched = await storedWorry(worry.id, ['person_id', 'concern_id', 'matched_by'])
    assert.equal(matched.person_id, dafydd.id)
    assert.equal(matched.matched_by, lead.id)
    assert.ok(matched.concern_id)
    assert.equal(
      (await services.families.matchByHand(lead, worry.id, dafydd.prisonNumber))?.messageKey,
      'families.match.error.already',
      'a second match makes no second concern',
    )
    assert.ok(!(await services.families.listWorries(lead)).toMatch.some((listed) => listed.id === worry.id))

    // Safer custody add the sender to the family contacts of a care plan in progress, once there is one.
    assert.equal((await services.families.linkToCarePlan(lead, worry.id))?.messageKey, 'families.carePlan.error.none')
    const opened = await services.carePlans.openCarePlan(lead, dafydd.prisonNumber, {
      reason: 'His brother rang, worried',
      concernId: null,
    })
    assert.ok('carePlanId' in opened)
    // Two clicks at once add it once.
    const twice = await Promise.all([1, 2].map(() => services.families.linkToCarePlan(lead, worry.id)))
    assert.deepEqual(twice.map((refusal) => refusal?.messageKey ?? 'added').sort(), [
      'added',
      'families.carePlan.error.already',
    ])
    const [contact, ...more] = await database.db
      .selectFrom('care_plan_family_event')
      .select(['kind', 'family_member', 'notes'])
      .where('care_plan_id', '=', opened.carePlanId)
      .execute()
    assert.ok(contact && more.length === 0)
    assert.equal(contact.kind, 'contact')
    assert.equal(contact.family_member, 'Eirlys Ap Rhys (Mother)')
    assert.match(contact.notes, /01632 960 001/)
    // Everyone working with the care plan reads its contacts: the family's wish that the person is not told is there.
    assert.match(contact.notes, /^Asked that the person is not told who raised this\./)
    assert.equal(
      (await services.families.linkToCarePlan(lead, worry.id))?.messageKey,
      'families.carePlan.error.already',
    )
  })

  it('shows whom a prison number finds at the prison before matching, raising nothing and auditing the look', async () => {
    const worry = await taken({ personName: 'Dai Ap Rhys', dateOfBirth: null, prisonNumber: 'Z9999ZZ' })
    await deliverEvents(services)
    const checked = await services.families.personToMatch(lead, worry.id, ` ${dafydd.prisonNumber.toLowerCase()} `)
    assert.ok(checked && 'person' in checked, JSON.stringify(checked))
    assert.deepEqual(
      [checked.person.prisonNumber, checked.person.lastName, checked.person.dateOfBirth],
      [dafydd.prisonNumber, 'Ap Rhys', '1990-04-17'],
    )
    assert.deepEqual(
      [checked.worry.personName, checked.worry.dateOfBirth, checked.worry.prisonNumber],
      ['Dai Ap Rhys', null, 'Z9999ZZ'],
    )
    assert.deepEqual(await storedWorry(worry.id, ['person_id', 'concern_id']), { person_id: null, concern_id: null })
    const looked = (await auditTrailOf(database.db, { actorId: lead.id })).filter(
      (entry) => entry.action === 'family-worry.match-checked' && JSON.stringify(entry.details).includes(worry.id),
    )
    assert.equal(looked.length, 1)
    assert.deepEqual(await services.families.personToMatch(lead, worry.id, 'A0000AA'), {
      field: 'prisonNumber',
      messageKey: 'families.match.error.notHere',
    })
    await assert.rejects(services.families.personToMatch(leadElsewhere, worry.id, dafydd.prisonNumber), NotFound)
  })

  it('closes a worry about someone not held here with a note, who and when, never escalating or matching it after', async () => {
    // A governor at another prison: one here would be told of the escalations the next tests count.
    const governor = await givenStaffUser(database.db, { role: 'governor', establishmentCodes: [elsewhere] })
    const worry = await taken({ personName: 'Dai Ap Rhys', dateOfBirth: null, prisonNumber: 'Z9999ZZ' })
    await deliverEvents(services)
    const close = (note: string, actor = lead) => services.families.closeNotHeldHere(actor, worry.id, note)
    assert.equal((await close('  '))?.messageKey, 'families.notHeldHere.error.note')
    assert.deepEqual(await close('x'.repeat(301)), {
      field: 'note',
      messageKey: 'families.error.tooLong',
      values: { max: 300 },
    })
    await assert.rejects(close('Not ours', governor), Forbidden)
    assert.equal(await close(' Not on the roll; his mother says he is at HMP Cardiff. '), null)
    assert.deepEqual(
      await storedWorry(worry.id, ['not_held_here_at', 'not_held_here_by', 'not_held_here_note', 'person_id']),
      {
        not_held_here_at: new Date('2026-12-05T10:00:00Z'),
        not_held_here_by: lead.id,
        not_held_here_note: 'Not on the roll; his mother says he is at HMP Cardiff.',
        person_id: null,
      },
    )
    const audited = (await auditTrailOf(database.db, { actorId: lead.id })).filter(
      (entry) => entry.action === 'family-worry.closed-not-held-here',
    )
    assert.equal(audited.length, 1)
    assert.ok(!JSON.stringify(audited[0].details).includes('Cardiff'), 'the note stays out of the audit trail')
    assert.equal((await close('Again'))?.messageKey, 'families.notHeldHere.error.already')

    const list = await services.families.listWorries(lead)
    assert.deepEqual(
      [list.toMatch.some((listed) => listed.id === worry.id), list.others.some((listed) => listed.id === worry.id)],
      [false, true],
    )
    assert.equal(
      (await services.families.matchByHand(lead, worry.id, dafydd.prisonNumber))?.messageKey,
      'families.match.error.notHeldHere',
    )
    assert.equal(
      (await services.families.setFamilyStatus(lead, worry.id, 'acted-on'))?.messageKey,
      'families.status.error.closed',
    )
    // Marked malicious as well, its page would show the mark alone and hide the close.
    assert.equal(
      (await services.families.markMalicious(lead, worry.id, 'Sent to cause trouble'))?.messageKey,
      'families.malicious.error.closed',
    )
    assert.equal((await storedWorry(worry.id, ['malicious_at'])).malicious_at, null)
    const followed = await services.families.followUp(worry.reference, worry.followUpCode)
    assert.deepEqual(followed, {
      reference: worry.reference,
      status: 'closed',
      since: new Date('2026-12-05T10:00:00Z'),
    })
    // Well past the prison's time for a worry needed now: the sweep leaves a closed worry alone.
    await services.families.escalationSweep.run(new Date('2026-12-05T12:00:00Z'))
    assert.equal((await storedWorry(worry.id, ['escalated_at'])).escalated_at, null)
    assert.deepEqual(await toldOfEscalation(worry.id), [])
  })

  it('refuses to close a worry matched to a person or marked malicious as not held here', async () => {
    const matched = await taken()
    const malicious = await taken({ personName: 'Someone Unknown', dateOfBirth: '1980-01-01' })
    await deliverEvents(services)
    assert.equal(await services.families.markMalicious(lead, malicious.id, 'Sent to cause trouble'), null)
    assert.deepEqual(
      [
        (await services.families.closeNotHeldHere(lead, matched.id, 'Not here'))?.messageKey,
        (await services.families.closeNotHeldHere(lead, malicious.id, 'Not here'))?.messageKey,
      ],
      ['families.notHeldHere.error.matched', 'families.notHeldHere.error.malicious'],
    )
  })

  it('escalates a worry no one has matched in its prison’s time to safer custody and the governors on duty, once', async () => {
    const governor = await givenStaffUser(database.db, { role: 'governor', establishmentCodes: [prison] })
    const waiting = await taken({ personName: 'Dai Ap Rhys', dateOfBirth: null, prisonNumber: 'Z9999ZZ' })
    const matchedMeanwhile = await taken({ personName: 'Dai Ap Rhys', dateOfBirth: null, prisonNumber: 'Z9999ZZ' })
    const heldBack = await taken({ honeypot: 'http://spam.example' })
    await deliverEvents(services)
    assert.equal(await services.families.matchByHand(lead, matchedMeanwhile.id, dafydd.prisonNumber), null)
    const received = (await storedWorry(waiting.id, ['received_at'])).received_at
    const minutesOn = (minutes: number) => new Date(received.getTime() + minutes * 60_000)
    // "Now" is the urgency of an immediate concern: 15 minutes at a prison that set no other time.
    await services.families.escalationSweep.run(minutesOn(14))
    assert.deepEqual(await toldOfEscalation(waiting.id), [])
    await services.families.escalationSweep.run(minutesOn(15))
    await services.families.escalationSweep.run(minutesOn(16))
    assert.deepEqual(await toldOfEscalation(waiting.id), [lead.id, governor.id].sort())
    assert.deepEqual([await toldOfEscalation(matchedMeanwhile.id), await toldOfEscalation(heldBack.id)], [[], []])
    const { worry } = await services.families.viewWorry(lead, waiting.id)
    assert.deepEqual(worry.escalatedAt, minutesOn(15))
  })

  it('waits to escalate a worry at a prison with no safer custody lead or governor on duty until one is', async () => {
    const unstaffed = (await givenEstablishment(database.db)).code
    const waiting = await taken({ establishmentCode: unstaffed, personName: 'Dai', prisonNumber: 'Z9999ZZ' })
    await deliverEvents(services)
    const received = (await storedWorry(waiting.id, ['received_at'])).received_at
    const later = (minutes: number) => new Date(received.getTime() + minutes * 60_000)
    await services.families.escalationSweep.run(later(20))
    assert.equal((await storedWorry(waiting.id, ['escalated_at'])).escalated_at, null, 'told no one, so not escalated')
    const governor = await givenStaffUser(database.db, { role: 'governor', establishmentCodes: [unstaffed] })
    await services.families.escalationSweep.run(later(21))
    assert.deepEqual(await toldOfEscalation(waiting.id), [governor.id])
  })

  it('keeps a worry whose hidden box was filled, held back on the list, and tells no one', async () => {
    const worry = await taken({ honeypot: 'http://spam.example' })
    await deliverEvents(services)
    const row = await storedWorry(worry.id, ['held_back', 'routed_at', 'concern_id'])
    assert.deepEqual(row, { held_back: true, routed_at: null, concern_id: null })
    const list = await services.families.listWorries(lead)
    assert.ok(list.toMatch.some((listed) => listed.id === worry.id && listed.heldBack))
  })

  it('refuses a sixth worry in an hour from one address, however sent, taking nothing and saying so, while others are taken', async () => {
    const address = '198.51.100.7'
    const worriesStored = async () => {
      const stored = database.db.selectFrom('family_worry').select(sql<number>`count(*)`.as('n'))
      return Number((await stored.executeTakeFirstOrThrow()).n)
    }
    const before = await worriesStored()
    // Eight at once: five taken, three refused.
    const burst = await Promise.all(Array.from({ length: WORRIES_PER_ADDRESS_PER_HOUR + 3 }, () => raise({}, address)))
    const limited = burst.filter((outcome) => outcome.kind === 'limited')
    assert.deepEqual([limited.length, await worriesStored()], [3, before + WORRIES_PER_ADDRESS_PER_HOUR])
    if (limited[0]?.kind === 'limited') assert.equal(limited[0].prison.name, 'HMP Bryn Glas')
    assert.equal((await raise({}, address)).kind, 'limited')
    assert.equal((await raise({}, '198.51.100.8')).kind, 'taken')
    await deliverEvents(services)
  })

  it('refuses a form with what is missing, each beside its field, and stores nothing', async () => {
    const outcome = await raise({
      establishmentCode: 'NOPE',
      personName: ' ',
      dateOfBirth: null,
      whatWorries: 'x'.repeat(3001),
      howSoon: 'later',
      raiserPhone: '',
      raiserEmail: 'not an address',
      mayTell: '',
    })
    assert.equal(outcome.kind, 'refused')
    if (outcome.kind === 'refused')
      assert.deepEqual(
        outcome.refusals.map((refusal) => refusal.field),
        ['establishmentCode', 'personName', 'dateOfBirth', 'whatWorries', 'howSoon', 'raiserEmail', 'mayTell'],
      )
    // A date of birth still to come, or one no one alive has, is a slip of the keys (the clock says 5 December 2026).
    const refusedDates = []
    for (const dateOfBirth of ['2026-12-06', '1850-01-01', '2026-12-05', '1907-01-01'] as const) {
      const dated = await raise({ dateOfBirth })
      refusedDates.push(dated.kind === 'refused' ? dated.refusals.map((refusal) => refusal.messageKey) : [])
    }
    assert.deepEqual(refusedDates, [['families.error.dateOfBirthFuture'], ['families.error.dateOfBirth'], [], []])
  })

  it('shows the family only received, being looked at or acted on, with the reference and code, and nothing else', async () => {
    const worry = await taken()
    await deliverEvents(services)
    assert.deepEqual(await services.families.followUp(worry.reference.toLowerCase(), ` ${worry.followUpCode} `), {
      reference: worry.reference,
      status: 'received',
      since: new Date('2026-12-05T10:00:00Z'),
    })
    assert.equal(await services.families.followUp(worry.reference, 'wron-gcod-e222'), null)
    assert.equal(await services.families.followUp('W-NONE-NONE', worry.followUpCode), null)
    assert.equal(await services.families.setFamilyStatus(lead, worry.id, 'acted-on'), null)
    assert.equal((await services.families.followUp(worry.reference, worry.followUpCode))?.status, 'acted-on')
    assert.equal(
      (await services.families.setFamilyStatus(lead, worry.id, 'acted-on'))?.messageKey,
      'families.status.error.same',
    )
  })

  it('tells the governors on duty where no safer custody lead is, who act on it without learning who raised it', async () => {
    const prisonOfGovernors = (await givenEstablishment(database.db)).code
    const governor = await givenStaffUser(database.db, { role: 'governor', establishmentCodes: [prisonOfGovernors] })
    const person = await givenPerson(database.db, prisonOfGovernors, { firstName: 'Owain', lastName: 'Price' })
    const worry = await taken({ establishmentCode: prisonOfGovernors, personName: 'Owain', prisonNumber: 'Z9999ZZ' })
    await deliverEvents(services)
    const told = await database.db
      .selectFrom('notification')
      .select('recipient_id')
      .where('href', '=', `/family-worries/${worry.id}`)
      .execute()
    assert.deepEqual(told, [{ recipient_id: governor.id }])
    const { worry: seen, mayKnowRaiser } = await services.families.viewWorry(governor, worry.id)
    assert.deepEqual(
      [mayKnowRaiser, seen.whatWorries, seen.raiserName, seen.relationship, seen.raiserPhone, seen.raiserEmail],
      [false, form().whatWorries, null, null, null, null],
    )
    // Whether it was sent to cause harm turns on who sent it: not theirs to judge.
    await assert.rejects(services.families.markMalicious(governor, worry.id, 'Sent to cause trouble.'), Forbidden)
    assert.equal(await services.families.matchByHand(governor, worry.id, person.prisonNumber), null)
    await assert.rejects(services.families.linkToCarePlan(governor, worry.id), Forbidden)
    const { concern_id: concernId } = await storedWorry(worry.id, ['concern_id'])
    const concern = await services.concerns.viewConcern(governor, concernId!)
    assert.ok('canSeeFamily' in concern)
    assert.equal(concern.canSeeFamily, false, 'no link to who raised it')
  })

  it('shows who raised it to safer custody at the prison only, each view audited, and never to another prison', async () => {
    const worry = await taken({ raiserEmail: 'eirlys@example.com' })
    const { worry: seen, mayKnowRaiser } = await services.families.viewWorry(lead, worry.id)
    assert.deepEqual([seen.raiserName, mayKnowRaiser], ['Eirlys Ap Rhys', true])
    const audited = (await auditTrailOf(database.db, { actorId: lead.id })).filter(
      (entry) => entry.action === 'family-worry.viewed',
    )
    assert.ok(audited.some((row) => JSON.stringify(row.details).includes(worry.id)))
    await assert.rejects(services.families.viewWorry(leadElsewhere, worry.id), NotFound)
    const mail = await database.db
      .selectFrom('mail_outbox')
      .select(['subject', 'body'])
      .where('to_address', '=', 'eirlys@example.com')
      .executeTakeFirstOrThrow()
    assert.match(mail.subject, new RegExp(worry.reference))
    assert.doesNotMatch(
      mail.body,
      new RegExp(worry.followUpCode),
      'the code is shown once, to the family, not to the outbox',
    )
    assert.match(
      mail.body,
      /gyda’r cod dilyn a ddangoswyd i chi pan anfonoch chi ef/,
      'in Welsh, as the worry was sent',
    )
    assert.ok(!mail.body.includes('Dafydd'), 'the mail names no one in custody')
    await deliverEvents(services)
  })

  it('marks a worry malicious with a reason, deleting nothing, and refuses to match it', async () => {
    const worry = await taken({ personName: 'Someone Unknown', dateOfBirth: '1980-01-01' })
    await deliverEvents(services)
    assert.equal(
      (await services.families.markMalicious(lead, worry.id, ' '))?.messageKey,
      'families.malicious.error.reason',
    )
    assert.equal(await services.families.markMalicious(lead, worry.id, 'Third such message naming staff'), null)
    assert.equal(
      (await services.families.matchByHand(lead, worry.id, dafydd.prisonNumber))?.messageKey,
      'families.match.error.malicious',
    )
    const list = await services.families.listWorries(lead)
    assert.ok(list.others.some((listed) => listed.id === worry.id && listed.maliciousAt))
  })
})
