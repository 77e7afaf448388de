/**
 * Issue 15: the roll from NOMIS. A prisoner record in the shape HMPPS Prisoner Search answers with, and what it
 * means for Waymark: a reception, a move of cell, a transfer in or out, a release, or nothing. Every decision
 * is read from the record itself and where Waymark holds the person now; none is ever read from someone being
 * missing from a feed, so a partial feed can only tell Waymark less, never release anyone.
 */
import { z } from 'zod'
import type { IsoDate, JourneyStageName } from '../../../db/schema.ts'
import { ethnicities, isPrisonNumber, normalisePrisonNumber } from '../../people/rules.ts'

/**
 * The fields of a Prisoner Search record Waymark reads; the many others (sentence dates, incentive level,
 * alerts…) are allowed and left alone. `prisonId` is a prison's code, or `OUT` once released and `TRN` in transit.
 */
export const PrisonerRecord = z.object({
  prisonerNumber: z.string().transform(normalisePrisonNumber).refine(isPrisonNumber),
  bookingId: z.union([z.string(), z.number()]).nullish(),
  firstName: z.string().trim().min(1).max(60),
  lastName: z.string().trim().min(1).max(60),
  dateOfBirth: z.iso.date(),
  gender: z.string().nullish(),
  ethnicity: z.string().nullish(),
  raceCode: z.string().nullish(),
  religion: z.string().nullish(),
  nationality: z.string().nullish(),
  prisonId: z.string().trim().toUpperCase().nullish(),
  cellLocation: z.string().trim().toUpperCase().nullish(),
  status: z.string().trim().toUpperCase(),
  inOutStatus: z.string().trim().toUpperCase().nullish(),
  receptionDate: z.iso.date().nullish(),
  releaseDate: z.iso.date().nullish(),
  confirmedReleaseDate: z.iso.date().nullish(),
  alerts: z.array(z.unknown()).nullish(),
})
export type PrisonerRecord = z.infer<typeof PrisonerRecord>

/** One answer of Prisoner Search: a Spring page, numbered from 0. */
export const PrisonerPage = z.object({
  content: z.array(z.unknown()),
  totalPages: z.number().int().min(0),
  number: z.number().int().min(0).optional(),
})

/** Why a record was not applied; said without a name, so the report and its log lines carry none. */
export const syncRefusalReasons = {
  'bad-prison-number': 'has no prison number like A1234BC',
  'not-a-record': 'is not a Prisoner Search record (a prison number, names, date of birth and status are needed)',
  'unknown-status': 'has a status Waymark does not know',
  'unknown-cell': 'names a cell this prison does not have in Waymark',
  'another-prison': 'is for another prison, and Waymark does not hold the person here',
  'prison-not-in-waymark': 'moves the person to a prison Waymark does not hold',
  'held-elsewhere': 'releases a person Waymark holds at another prison: that prison’s roll releases them',
  'reception-before-release': 'gives a reception before the person’s last release: an old record',
  'not-saved': 'could not be saved, and nothing of it was: the database refused the change',
} as const
export type SyncRefusalReason = keyof typeof syncRefusalReasons

/**
 * A record read from the feed, or why it cannot be: by its prison number where it has a good one (never by a
 * name), so a refusal can be found in NOMIS.
 */
export function parseRecord(
  raw: unknown,
): { ok: true; record: PrisonerRecord } | { ok: false; prisonNumber: string | null; reason: SyncRefusalReason } {
  const parsed = PrisonerRecord.safeParse(raw)
  if (parsed.success) return { ok: true, record: parsed.data }
  const number = PrisonerRecord.shape.prisonerNumber.safeParse(
    (raw as { prisonerNumber?: unknown } | null)?.prisonerNumber,
  )
  return number.success
    ? { ok: false, prisonNumber: number.data, reason: 'not-a-record' }
    : { ok: false, prisonNumber: null, reason: 'bad-prison-number' }
}

/** Where Waymark holds a person now, as the decision needs it. */
export type HeldPerson = {
  personId: string
  establishmentCode: string
  cellLabel: string | null
  /** The current stage of their journey; null where none is recorded (a roll imported before the journey). */
  stage: JourneyStageName | null
  /** The day the current stage began (the prison's day). */
  stageStartedOn: IsoDate | null
  /** A transfer's handover waits for the receiving prison: the move is theirs to acknowledge, not NOMIS's. */
  handoverPending: boolean
}

/** What this prison's roll and the rest of the estate look like in Waymark, for every record of one sync. */
export type SyncEstate = {
  /** The prison whose roll is read. */
  establishmentCode: string
  establishmentCodes: ReadonlySet<string>
  /** This prison's cell labels. */
  cellLabels: ReadonlySet<string>
  today: IsoDate
}

export type SyncDecision =
  | { kind: 'received'; cellLabel: string | null }
  | { kind: 'moved-cell'; personId: string; cellLabel: string }
  | { kind: 'transferred-in'; personId: string; from: string; cellLabel: string | null }
  | { kind: 'transferred-out'; personId: string; to: string }
  | { kind: 'released'; personId: string }
  | { kind: 'unchanged'; why: 'as-recorded' | 'in-transit' | 'awaiting-handover' | 'not-held' }
  | { kind: 'refused'; reason: SyncRefusalReason }

/** NOMIS's places that are not a cell: reception, waiting for a cell swap, at court, on temporary release. */
const notACell = new Set(['RECP', 'CSWAP', 'COURT', 'TAP'])

/** Where a record says the person is: released, in transit, or at a prison (the cell NOMIS names, if any). */
export type RecordedPlace =
  | { kind: 'released' }
  | { kind: 'in-transit' }
  | { kind: 'at'; establishmentCode: string; cellLabel: string | null }
  | { kind: 'unknown' }

export function recordedPlaceOf(record: PrisonerRecord): RecordedPlace {
  const prisonId = record.prisonId ?? ''
  if (record.status === 'INACTIVE OUT' || prisonId === 'OUT') return { kind: 'released' }
  if (record.status.endsWith(' TRN') || prisonId === 'TRN' || record.inOutStatus === 'TRN')
    return { kind: 'in-transit' }
  if ((record.status === 'ACTIVE IN' || record.status === 'ACTIVE OUT') && prisonId !== '') {
    const cell = record.cellLocation ?? ''
    return { kind: 'at', establishmentCode: prisonId, cellLabel: cell === '' || notACell.has(cell) ? null : cell }
  }
  return { kind: 'unknown' }
}

/**
 * What Waymark should do with one record of the prison's roll, given where Waymark holds the person (null: not
 * at all). Applying the decision and deciding again gives `unchanged`, so the same feed twice changes nothing.
 */
export function syncDecision(record: PrisonerRecord, held: HeldPerson | null, estate: SyncEstate): SyncDecision {
  const here = estate.establishmentCode
  const place = recordedPlaceOf(record)
  switch (place.kind) {
    case 'unknown':
      return { kind: 'refused', reason: 'unknown-status' }
    case 'in-transit':
      // Between prisons: the receiving prison's roll will show them when they arrive.
      return { kind: 'unchanged', why: 'in-transit' }
    case 'released':
      if (!held) return { kind: 'unchanged', why: 'not-held' }
      if (held.establishmentCode !== here) return { kind: 'refused', reason: 'held-elsewhere' }
      return held.stage === 'release'
        ? { kind: 'unchanged', why: 'as-recorded' }
        : { kind: 'released', personId: held.personId }
    case 'at':
      return place.establishmentCode === here
        ? arrivedOrHere(record, place.cellLabel, held, estate)
        : elsewhere(place.establishmentCode, held, estate)
  }
}

/** A record of someone at this prison: received, transferred in, moved cell, or as Waymark holds them. */
function arrivedOrHere(
  record: PrisonerRecord,
  cellLabel: string | null,
  held: HeldPerson | null,
  estate: SyncEstate,
): SyncDecision {
  if (cellLabel !== null && !estate.cellLabels.has(cellLabel)) return { kind: 'refused', reason: 'unknown-cell' }
  if (!held) return { kind: 'received', cellLabel }
  if (held.stage === 'release') {
    // Back in custody (a recall, a new sentence); a record received before the release is an old one.
    const receivedOn = record.receptionDate ?? estate.today
    if (held.stageStartedOn !== null && receivedOn < held.stageStartedOn)
      return { kind: 'refused', reason: 'reception-before-release' }
    return { kind: 'received', cellLabel }
  }
  if (held.establishmentCode !== estate.establishmentCode) {
    if (held.handoverPending) return { kind: 'unchanged', why: 'awaiting-handover' }
    return { kind: 'transferred-in', personId: held.personId, from: held.establishmentCode, cellLabel }
  }
  if (cellLabel !== null && cellLabel !== held.cellLabel)
    return { kind: 'moved-cell', personId: held.personId, cellLabel }
  return { kind: 'unchanged', why: 'as-recorded' }
}

/** A record of someone at another prison: a transfer out of this one, or not this prison's to apply. */
function elsewhere(prison: string, held: HeldPerson | null, estate: SyncEstate): SyncDecision {
  if (held && held.establishmentCode === prison) return { kind: 'unchanged', why: 'as-recorded' }
  if (!held || held.establishmentCode !== estate.establishmentCode || held.stage === 'release')
    return { kind: 'refused', reason: 'another-prison' }
  if (!estate.establishmentCodes.has(prison)) return { kind: 'refused', reason: 'prison-not-in-waymark' }
  if (held.handoverPending) return { kind: 'unchanged', why: 'awaiting-handover' }
  return { kind: 'transferred-out', personId: held.personId, to: prison }
}

/** NOMIS's gender as the roll's sex; anything but male or female is not recorded rather than guessed. */
export function sexOf(gender: string | null | undefined): 'M' | 'F' | null {
  const value = (gender ?? '').trim().toUpperCase()
  if (value === 'MALE' || value === 'M') return 'M'
  if (value === 'FEMALE' || value === 'F') return 'F'
  return null
}

/** The ONS code NOMIS holds as the race code (or, in some answers, as the ethnicity itself). */
export function ethnicityOf(record: Pick<PrisonerRecord, 'raceCode' | 'ethnicity'>): string | null {
  for (const candidate of [record.raceCode, record.ethnicity]) {
    const code = (candidate ?? '').trim().toUpperCase()
    if ((ethnicities as readonly string[]).includes(code)) return code
  }
  return null
}

/** NOMIS's religions (several dozen, by denomination) as the roll's few, which the equality figures count. */
const religionWords: [RegExp, string][] = [
  [/not stated|refused|unknown|prefer not/i, 'not-stated'],
  [/^no religion|^none|atheist|agnostic/i, 'none'],
  [/christ|church|catholic|anglican|methodist|baptist|orthodox|protestant|pentecostal|quaker|adventist|jehovah|presbyterian|evangelical|lutheran|salvation army|calvinist|episcopal/i, 'christian'],
  [/muslim|islam|sunni|shia/i, 'muslim'],
  [/buddh/i, 'buddhist'],
  [/hindu/i, 'hindu'],
  [/jew|juda/i, 'jewish'],
  [/sikh/i, 'sikh'],
  [/pagan|wicca|druid|heathen/i, 'pagan'],
] // prettier-ignore

export function religionOf(religion: string | null | undefined): string | null {
  const value = (religion ?? '').trim()
  if (value === '') return null
  return religionWords.find(([pattern]) => pattern.test(value))?.[1] ?? 'other'
}

/** A received person's record on the roll, from what NOMIS holds; received today where NOMIS gives no date. */
export function receivedPersonOf(
  record: PrisonerRecord,
  establishmentCode: string,
  cellId: number | null,
  today: IsoDate,
) {
  return {
    prison_number: record.prisonerNumber,
    first_name: record.firstName,
    last_name: record.lastName,
    date_of_birth: record.dateOfBirth,
    establishment_code: establishmentCode,
    cell_id: cellId,
    reception_on: record.receptionDate && record.receptionDate <= today ? record.receptionDate : today,
    sex: sexOf(record.gender),
    ethnicity: ethnicityOf(record),
    religion: religionOf(record.religion),
  }
}

/** The kinds a sync report counts, in the order its summary says them. */
export const syncCountKinds = [
  'received',
  'moved-cell',
  'transferred-in',
  'transferred-out',
  'released',
  'unchanged',
  'awaiting-handover',
  'refused',
] as const
export type SyncCountKind = (typeof syncCountKinds)[number]

export function countKindOf(decision: SyncDecision): SyncCountKind {
  if (decision.kind === 'unchanged') return decision.why === 'awaiting-handover' ? 'awaiting-handover' : 'unchanged'
  return decision.kind
}

/** The scheduled roll from NOMIS: where each prison's roll is read, which prisons, how often. */
export type RollSyncSettings = {
  /** A prison's roll's address, `{establishment}` standing for its code. */
  address: string
  establishmentCodes: string[]
  everyMinutes: number
  token?: string | undefined
}

/**
 * The scheduled roll from NOMIS as the environment sets it: ROLL_SYNC_URL (with `{establishment}`),
 * ROLL_SYNC_ESTABLISHMENTS (codes, by commas), ROLL_SYNC_EVERY_MINUTES (60 unless set), ROLL_SYNC_TOKEN. Null
 * when no address is set (no schedule); a problem to stop on when one is set wrongly.
 */
export function rollSyncSettingsFrom(
  env: Record<string, string | undefined>,
): RollSyncSettings | null | { problem: string } {
  const address = env.ROLL_SYNC_URL?.trim()
  if (!address) return null
  if (!/^https?:\/\/[^/]/i.test(address) || !address.includes('{establishment}'))
    return { problem: 'ROLL_SYNC_URL must be an http(s) address with {establishment} where the prison’s code goes' }
  const establishmentCodes = (env.ROLL_SYNC_ESTABLISHMENTS ?? '')
    .split(',')
    .map((code) => code.trim().toUpperCase())
    .filter((code) => code !== '')
  if (establishmentCodes.length === 0 || !establishmentCodes.every((code) => /^[A-Z0-9]{2,6}$/.test(code)))
    return { problem: 'ROLL_SYNC_ESTABLISHMENTS must list the prisons’ codes, separated by commas (NHI,LEI)' }
  const everyMinutes = Number(env.ROLL_SYNC_EVERY_MINUTES ?? '60')
  if (!Number.isInteger(everyMinutes) || everyMinutes < 5 || everyMinutes > 24 * 60)
    return { problem: 'ROLL_SYNC_EVERY_MINUTES must be a whole number of minutes from 5 to 1440' }
  return { address, establishmentCodes, everyMinutes, token: env.ROLL_SYNC_TOKEN || undefined }
}

/** The address of one prison's roll under the scheduled settings. */
export function rollAddressOf(settings: Pick<RollSyncSettings, 'address'>, establishmentCode: string): string {
  return settings.address.replaceAll('{establishment}', encodeURIComponent(establishmentCode))
}
