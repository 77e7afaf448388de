import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  countKindOf,
  ethnicityOf,
  parseRecord,
  receivedPersonOf,
  recordedPlaceOf,
  religionOf,
  rollAddressOf,
  rollSyncSettingsFrom,
  sexOf,
  syncDecision,
  type HeldPerson,
  type PrisonerRecord,
  type SyncDecision,
  type SyncEstate,
} from './rules.ts'

/** A record as Prisoner Search answers it, trimmed to what the rules read and a few they leave alone. */
const recordAt = (overrides: Record<string, unknown> = {}): PrisonerRecord => {
  const parsed = parseRecord({
    prisonerNumber: 'A1234BC',
    bookingId: '1203456',
    firstName: 'ALED',
    lastName: 'PRITCHARD',
    dateOfBirth: '1990-04-17',
    gender: 'Male',
    ethnicity: 'White: Eng./Welsh/Scot./N.Irish/British',
    raceCode: 'W1',
    religion: 'Church in Wales',
    nationality: 'British',
    prisonId: 'NHI',
    cellLocation: 'A-1-001',
    status: 'ACTIVE IN',
    inOutStatus: 'IN',
    receptionDate: '2026-11-20',
    releaseDate: '2027-06-01',
    alerts: [{ alertType: 'H', alertCode: 'HA', active: true, expired: false }],
    currentIncentive: { level: { code: 'STD' } },
    ...overrides,
  })
  assert.ok(parsed.ok, 'the example record parses')
  return parsed.record
}

const estate: SyncEstate = {
  establishmentCode: 'NHI',
  establishmentCodes: new Set(['NHI', 'LEI', 'WWI']),
  cellLabels: new Set(['A-1-001', 'A-1-002']),
  today: '2026-11-25',
}

const held = (overrides: Partial<HeldPerson> = {}): HeldPerson => ({
  personId: 'person-1',
  establishmentCode: 'NHI',
  cellLabel: 'A-1-001',
  stage: 'residential',
  stageStartedOn: '2026-11-21',
  handoverPending: false,
  ...overrides,
})

describe('a Prisoner Search record read for the roll', () => {
  it('takes a record with fields Waymark does not read, and upper-cases its prison number', () => {
    assert.equal(recordAt({ prisonerNumber: ' a1234bc ' }).prisonerNumber, 'A1234BC')
  })

  it('refuses a record without a good prison number, giving no number, and one missing its names by its number', () => {
    assert.deepEqual(parseRecord({ ...recordAt(), prisonerNumber: 'Aled Pritchard' }), {
      ok: false,
      prisonNumber: null,
      reason: 'bad-prison-number',
    })
    assert.deepEqual(parseRecord({ ...recordAt(), lastName: '' }), {
      ok: false,
      prisonNumber: 'A1234BC',
      reason: 'not-a-record',
    })
    assert.deepEqual(parseRecord('A1234BC'), { ok: false, prisonNumber: null, reason: 'bad-prison-number' })
  })

  const places: [string, Record<string, unknown>, ReturnType<typeof recordedPlaceOf>][] = [
    ['in a cell', {}, { kind: 'at', establishmentCode: 'NHI', cellLabel: 'A-1-001' }],
    ['at court (still on the roll)', { status: 'ACTIVE OUT', inOutStatus: 'OUT' }, { kind: 'at', establishmentCode: 'NHI', cellLabel: 'A-1-001' }],
    ['in reception, not yet in a cell', { cellLocation: 'RECP' }, { kind: 'at', establishmentCode: 'NHI', cellLabel: null }],
    ['waiting for a cell swap', { cellLocation: 'CSWAP' }, { kind: 'at', establishmentCode: 'NHI', cellLabel: null }],
    ['with no cell given', { cellLocation: null }, { kind: 'at', establishmentCode: 'NHI', cellLabel: null }],
    ['released', { status: 'INACTIVE OUT', prisonId: 'OUT', inOutStatus: 'OUT' }, { kind: 'released' }],
    ['in transit', { status: 'INACTIVE TRN', prisonId: 'TRN', inOutStatus: 'TRN' }, { kind: 'in-transit' }],
    ['of a status Waymark does not know', { status: 'ESCAPED' }, { kind: 'unknown' }],
  ] // prettier-ignore
  for (const [what, overrides, place] of places)
    it(`reads where a person is: ${what}`, () => assert.deepEqual(recordedPlaceOf(recordAt(overrides)), place))
})

describe('what a record means for Waymark', () => {
  const cases: [string, Record<string, unknown>, HeldPerson | null, SyncDecision][] = [
    ['someone Waymark has never held arrives: a reception', {}, null, { kind: 'received', cellLabel: 'A-1-001' }],
    ['a reception still in reception has no cell yet', { cellLocation: 'RECP' }, null, { kind: 'received', cellLabel: null }],
    ['a reception into a cell this prison does not have is refused', { cellLocation: 'Z-9-999' }, null, { kind: 'refused', reason: 'unknown-cell' }],
    ['someone held here in another cell has moved cell', { cellLocation: 'A-1-002' }, held(), { kind: 'moved-cell', personId: 'person-1', cellLabel: 'A-1-002' }],
    ['someone held here in the same cell: nothing', {}, held(), { kind: 'unchanged', why: 'as-recorded' }],
    ['someone held here, now in reception or at court, keeps their cell', { cellLocation: 'COURT', status: 'ACTIVE OUT' }, held(), { kind: 'unchanged', why: 'as-recorded' }],
    ['a move into a cell this prison does not have is refused', { cellLocation: 'B-2-010' }, held(), { kind: 'refused', reason: 'unknown-cell' }],
    ['someone Waymark holds at another prison is here: a transfer in', {}, held({ establishmentCode: 'LEI', cellLabel: null }), { kind: 'transferred-in', personId: 'person-1', from: 'LEI', cellLabel: 'A-1-001' }],
    ['a transfer in whose handover waits for this prison waits for it', {}, held({ establishmentCode: 'LEI', handoverPending: true }), { kind: 'unchanged', why: 'awaiting-handover' }],
    ['someone released, back here on a later day: a reception', { receptionDate: '2026-11-24' }, held({ stage: 'release', stageStartedOn: '2026-11-22' }), { kind: 'received', cellLabel: 'A-1-001' }],
    ['someone released from another prison, received here: a reception', {}, held({ establishmentCode: 'LEI', stage: 'release', stageStartedOn: '2026-11-01' }), { kind: 'received', cellLabel: 'A-1-001' }],
    ['a reception dated before the person’s last release is an old record', { receptionDate: '2026-11-20' }, held({ stage: 'release', stageStartedOn: '2026-11-22' }), { kind: 'refused', reason: 'reception-before-release' }],
    ['someone held here is at another prison Waymark holds: a transfer out', { prisonId: 'LEI' }, held(), { kind: 'transferred-out', personId: 'person-1', to: 'LEI' }],
    ['a transfer out whose handover waits for the receiving prison waits for it', { prisonId: 'LEI' }, held({ handoverPending: true }), { kind: 'unchanged', why: 'awaiting-handover' }],
    ['someone already moved to the prison the record names: nothing', { prisonId: 'LEI' }, held({ establishmentCode: 'LEI' }), { kind: 'unchanged', why: 'as-recorded' }],
    ['a transfer out to a prison Waymark does not hold is refused', { prisonId: 'MDI' }, held(), { kind: 'refused', reason: 'prison-not-in-waymark' }],
    ['a record for another prison of someone not held here is refused', { prisonId: 'LEI' }, null, { kind: 'refused', reason: 'another-prison' }],
    ['a record for another prison of someone held at a third is refused', { prisonId: 'LEI' }, held({ establishmentCode: 'WWI' }), { kind: 'refused', reason: 'another-prison' }],
    ['a record for another prison of someone released from here is refused', { prisonId: 'LEI' }, held({ stage: 'release' }), { kind: 'refused', reason: 'another-prison' }],
    ['someone held here is released: a release', { status: 'INACTIVE OUT', prisonId: 'OUT' }, held(), { kind: 'released', personId: 'person-1' }],
    ['someone with no journey recorded is released: a release', { status: 'INACTIVE OUT', prisonId: 'OUT' }, held({ stage: null, stageStartedOn: null }), { kind: 'released', personId: 'person-1' }],
    ['someone already released: nothing', { status: 'INACTIVE OUT', prisonId: 'OUT' }, held({ stage: 'release' }), { kind: 'unchanged', why: 'as-recorded' }],
    ['a release of someone Waymark never held: nothing', { status: 'INACTIVE OUT', prisonId: 'OUT' }, null, { kind: 'unchanged', why: 'not-held' }],
    ['a release of someone Waymark holds at another prison is refused', { status: 'INACTIVE OUT', prisonId: 'OUT' }, held({ establishmentCode: 'LEI' }), { kind: 'refused', reason: 'held-elsewhere' }],
    ['someone in transit: nothing until they arrive', { status: 'ACTIVE TRN', prisonId: 'TRN' }, held(), { kind: 'unchanged', why: 'in-transit' }],
    ['a status Waymark does not know is refused', { status: 'ESCAPED' }, held(), { kind: 'refused', reason: 'unknown-status' }],
  ] // prettier-ignore
  for (const [what, overrides, person, decision] of cases)
    it(what, () => assert.deepEqual(syncDecision(recordAt(overrides), person, estate), decision))

  it('decides nothing more once a decision is applied: the same record twice changes nothing', () => {
    const applied: [Record<string, unknown>, HeldPerson][] = [
      [{}, held()], // received, now held here in the cell
      [{ cellLocation: 'A-1-002' }, held({ cellLabel: 'A-1-002' })], // moved cell
      [{ prisonId: 'LEI' }, held({ establishmentCode: 'LEI', cellLabel: null, stage: 'transfer-in' })], // out
      [{}, held({ stage: 'transfer-in' })], // in, and placed in its cell
      [{ status: 'INACTIVE OUT', prisonId: 'OUT' }, held({ stage: 'release' })], // released
    ]
    for (const [overrides, after] of applied)
      assert.equal(syncDecision(recordAt(overrides), after, estate).kind, 'unchanged', JSON.stringify(overrides))
  })

  it('counts a transfer waiting for its handover apart from the records as Waymark holds them', () => {
    assert.equal(countKindOf({ kind: 'unchanged', why: 'awaiting-handover' }), 'awaiting-handover')
    assert.equal(countKindOf({ kind: 'unchanged', why: 'in-transit' }), 'unchanged')
    assert.equal(countKindOf({ kind: 'refused', reason: 'unknown-cell' }), 'refused')
  })
})

describe('a received person as the roll holds them', () => {
  it('takes the names, date of birth, reception date and characteristics NOMIS holds', () => {
    assert.deepEqual(receivedPersonOf(recordAt(), 'NHI', 7, '2026-11-25'), {
      prison_number: 'A1234BC',
      first_name: 'ALED',
      last_name: 'PRITCHARD',
      date_of_birth: '1990-04-17',
      establishment_code: 'NHI',
      cell_id: 7,
      reception_on: '2026-11-20',
      sex: 'M',
      ethnicity: 'W1',
      religion: 'christian',
    })
  })

  it('is received today where NOMIS gives no reception date, or one still to come', () => {
    assert.equal(
      receivedPersonOf(recordAt({ receptionDate: null }), 'NHI', null, '2026-11-25').reception_on,
      '2026-11-25',
    )
    assert.equal(
      receivedPersonOf(recordAt({ receptionDate: '2026-12-01' }), 'NHI', null, '2026-11-25').reception_on,
      '2026-11-25',
    )
  })

  it('records sex as male or female only, and nothing rather than a guess', () => {
    assert.deepEqual(['Male', 'F', 'Not Known', null].map(sexOf), ['M', 'F', null, null])
  })

  it('reads the ONS ethnicity from the race code, or from the ethnicity where it is one', () => {
    assert.equal(ethnicityOf({ raceCode: 'b1', ethnicity: 'Black/Black British: Caribbean' }), 'B1')
    assert.equal(ethnicityOf({ raceCode: null, ethnicity: 'M2' }), 'M2')
    assert.equal(ethnicityOf({ raceCode: null, ethnicity: 'White: Irish' }), null)
  })

  it('reads NOMIS’s religions as the roll’s few', () => {
    const religions: [string | null, string | null][] = [
      ['Church of England (Anglican)', 'christian'],
      ['Roman Catholic', 'christian'],
      ['Muslim', 'muslim'],
      ['No Religion', 'none'],
      ['Sikh', 'sikh'],
      ['Not Stated', 'not-stated'],
      ['Rastafarian', 'other'],
      [null, null],
    ]
    for (const [nomis, roll] of religions) assert.equal(religionOf(nomis), roll, String(nomis))
  })
})

describe('the scheduled roll from NOMIS, as the environment sets it', () => {
  const address = 'https://prisoner-search.example/prisoner-search/prison/{establishment}'

  it('is off unless an address is set', () => {
    assert.equal(rollSyncSettingsFrom({}), null)
    assert.equal(rollSyncSettingsFrom({ ROLL_SYNC_URL: ' ', ROLL_SYNC_ESTABLISHMENTS: 'NHI' }), null)
  })

  it('reads the address, the prisons and how often, every hour unless set', () => {
    assert.deepEqual(rollSyncSettingsFrom({ ROLL_SYNC_URL: address, ROLL_SYNC_ESTABLISHMENTS: ' nhi, LEI ,' }), {
      address,
      establishmentCodes: ['NHI', 'LEI'],
      everyMinutes: 60,
      token: undefined,
    })
    assert.deepEqual(
      rollSyncSettingsFrom({
        ROLL_SYNC_URL: address,
        ROLL_SYNC_ESTABLISHMENTS: 'NHI',
        ROLL_SYNC_EVERY_MINUTES: '15',
        ROLL_SYNC_TOKEN: 'secret',
      }),
      { address, establishmentCodes: ['NHI'], everyMinutes: 15, token: 'secret' },
    )
  })

  const wrong: [string, Record<string, string>, RegExp][] = [
    ['an address with nowhere for the prison', { ROLL_SYNC_URL: 'https://prisoner-search.example/prison/NHI', ROLL_SYNC_ESTABLISHMENTS: 'NHI' }, /ROLL_SYNC_URL/],
    ['an address that is not http', { ROLL_SYNC_URL: 'file:///{establishment}', ROLL_SYNC_ESTABLISHMENTS: 'NHI' }, /ROLL_SYNC_URL/],
    ['no prisons', { ROLL_SYNC_URL: address }, /ROLL_SYNC_ESTABLISHMENTS/],
    ['a prison that is not a code', { ROLL_SYNC_URL: address, ROLL_SYNC_ESTABLISHMENTS: 'NHI;LEI' }, /ROLL_SYNC_ESTABLISHMENTS/],
    ['a run every minute', { ROLL_SYNC_URL: address, ROLL_SYNC_ESTABLISHMENTS: 'NHI', ROLL_SYNC_EVERY_MINUTES: '1' }, /ROLL_SYNC_EVERY_MINUTES/],
  ] // prettier-ignore
  for (const [what, env, problem] of wrong)
    it(`is a problem to stop on: ${what}`, () => {
      const settings = rollSyncSettingsFrom(env)
      assert.ok(settings && 'problem' in settings)
      assert.match(settings.problem, problem)
    })

  it('puts each prison’s code into the address', () => {
    assert.equal(rollAddressOf({ address }, 'NHI'), 'https://prisoner-search.example/prisoner-search/prison/NHI')
  })
})
