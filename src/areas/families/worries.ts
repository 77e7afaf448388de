/**
 * Issue 14: the public page, for family and friends: a worry taken from it, and what they may know of it
 * later with their reference and code.
 */
import { createHmac } from 'node:crypto'
import type { FamilyWorryHowSoon, FamilyWorryStatus, IsoDate } from '../../db/schema.ts'
import { INVALID_DATE } from '../../platform/date-input.ts'
import type { Language } from '../../platform/i18n.ts'
import { holdUntilCommit } from '../../platform/locks.ts'
import { decoyPasswordHash, hashPassword, readableCode, verifyPassword } from '../../platform/passwords.ts'
import {
  EMAIL_MAX,
  followUpCodeOf,
  howSoonAnswers,
  indicatesSelfHarmRisk,
  isEmailAddress,
  isPhoneNumber,
  limitReached,
  NAME_MAX,
  PHONE_MAX,
  prisonNumberOf,
  RELATIONSHIP_MAX,
  selfHarmAnswers,
  WHAT_WORRIES_MAX,
  worryReferenceOf,
  type Refusal,
} from './rules.ts'
import * as store from './store.ts'
import { HOUR, system, type FamiliesDeps, type RaiseOutcome, type WorryForm } from './deps.ts'

/** A keyed hash of the sender's address: enough to count, never the address itself. */
const addressKeyOf = (deps: FamiliesDeps, address: string) =>
  createHmac('sha256', deps.addressSecret).update(address).digest('base64url')

/** No one in custody was born over this many years ago: a date before it is a slip of the keys. */
const OLDEST_YEARS = 120

function refusalsOf(form: WorryForm, prisonCodes: ReadonlySet<string>, today: IsoDate): Refusal[] {
  const refusals: Refusal[] = []
  const refuse = (field: string, messageKey: string, values?: Record<string, number>) =>
    refusals.push({ field, messageKey, ...(values ? { values } : {}) })
  if (!prisonCodes.has(form.establishmentCode)) refuse('establishmentCode', 'families.error.prison')
  if (!form.personName.trim()) refuse('personName', 'families.error.personName')
  else if (form.personName.length > NAME_MAX) refuse('personName', 'families.error.tooLong', { max: NAME_MAX })
  if (form.dateOfBirth === INVALID_DATE) refuse('dateOfBirth', 'families.error.dateOfBirth')
  else if (form.dateOfBirth !== null && form.dateOfBirth > today)
    refuse('dateOfBirth', 'families.error.dateOfBirthFuture')
  else if (form.dateOfBirth !== null && Number(form.dateOfBirth.slice(0, 4)) < Number(today.slice(0, 4)) - OLDEST_YEARS)
    refuse('dateOfBirth', 'families.error.dateOfBirth')
  if (form.prisonNumber.trim() && !prisonNumberOf(form.prisonNumber))
    refuse('prisonNumber', 'families.error.prisonNumber')
  if (form.dateOfBirth === null && !form.prisonNumber.trim())
    refuse('dateOfBirth', 'families.error.dateOfBirthOrNumber')
  if (!form.whatWorries.trim()) refuse('whatWorries', 'families.error.whatWorries')
  else if (form.whatWorries.length > WHAT_WORRIES_MAX)
    refuse('whatWorries', 'families.error.tooLong', { max: WHAT_WORRIES_MAX })
  if (!(howSoonAnswers as readonly string[]).includes(form.howSoon)) refuse('howSoon', 'families.error.howSoon')
  if (!(selfHarmAnswers as readonly string[]).includes(form.selfHarm)) refuse('selfHarm', 'families.error.selfHarm')
  if (!form.relationship.trim()) refuse('relationship', 'families.error.relationship')
  else if (form.relationship.length > RELATIONSHIP_MAX)
    refuse('relationship', 'families.error.tooLong', { max: RELATIONSHIP_MAX })
  if (!form.raiserName.trim()) refuse('raiserName', 'families.error.raiserName')
  else if (form.raiserName.length > NAME_MAX) refuse('raiserName', 'families.error.tooLong', { max: NAME_MAX })
  const phone = form.raiserPhone.trim()
  const email = form.raiserEmail.trim()
  if (!phone && !email) refuse('raiserPhone', 'families.error.contact')
  if (phone && (phone.length > PHONE_MAX || !isPhoneNumber(phone))) refuse('raiserPhone', 'families.error.phone')
  if (email && (email.length > EMAIL_MAX || !isEmailAddress(email))) refuse('raiserEmail', 'families.error.email')
  if (form.mayTell !== 'yes' && form.mayTell !== 'no') refuse('mayTell', 'families.error.mayTell')
  return refusals
}

/** The public page: every prison on this Waymark and the line its families ring. No one's record. */
export async function publicPage(deps: FamiliesDeps) {
  const { db } = deps
  return { prisons: await store.listPrisons(db) }
}

/**
 * Issue 14: takes a worry from the public page. It is stored, with the event that routes it, before any
 * record of who is in the prison is read: the answer, and the time it takes, are the same whether it
 * names someone there or not. Over a limit it is refused, and the sender told, never dropped.
 */
export async function raiseWorry(
  deps: FamiliesDeps,
  form: WorryForm,
  context: { address: string; language: Language },
): Promise<RaiseOutcome> {
  const { db, clock, audit, events, mail, publicUrl } = deps
  const prisons = await store.listPrisons(db)
  const refusals = refusalsOf(form, new Set(prisons.map((prison) => prison.code)), clock.today())
  if (refusals.length > 0) return { kind: 'refused', refusals }
  const prison = prisons.find((candidate) => candidate.code === form.establishmentCode)!
  const shown = { name: prison.name, phone: prison.saferCustodyPhone }
  const addressKey = addressKeyOf(deps, context.address)
  const followUpCode = readableCode(3)
  const followUpCodeHash = await hashPassword(followUpCode)
  return db.transaction().execute(async (trx) => {
    // Counted while no other worry to the prison can be saved, or a burst sent at once would each count the
    // hour as it was before the others and pass the limits together.
    await holdUntilCommit(trx, `family-worries:${prison.code}`)
    const now = clock.now()
    const counts = await store.countRecent(trx, addressKey, prison.code, new Date(now.getTime() - HOUR))
    const limit = limitReached(counts)
    if (limit) {
      await audit.record(trx, system, {
        action: 'family-worry.limited',
        establishmentCode: prison.code,
        details: { limit },
      })
      return { kind: 'limited', prison: shown }
    }
    const values = {
      establishmentCode: prison.code,
      followUpCodeHash,
      receivedAt: now,
      language: context.language,
      personName: form.personName.trim(),
      dateOfBirth: form.dateOfBirth === INVALID_DATE ? null : form.dateOfBirth,
      prisonNumber: prisonNumberOf(form.prisonNumber),
      whatWorries: form.whatWorries.trim(),
      howSoon: form.howSoon as FamilyWorryHowSoon,
      selfHarmRisk: indicatesSelfHarmRisk(form.selfHarm as (typeof selfHarmAnswers)[number]),
      relationship: form.relationship.trim(),
      raiserName: form.raiserName.trim(),
      raiserPhone: form.raiserPhone.trim() || null,
      raiserEmail: form.raiserEmail.trim() || null,
      mayTellPerson: form.mayTell === 'yes',
      addressKey,
      heldBack: form.honeypot.trim() !== '',
    }
    let reference = ''
    let id: string | null = null
    while (!id) {
      reference = `W-${readableCode(2).toUpperCase()}`
      id = await store.insertWorry(trx, { ...values, reference })
    }
    await events.publish(trx, system, 'family-worry.received', { familyWorryId: id }, prison.code)
    if (values.raiserEmail)
      await mail.send(trx, {
        to: values.raiserEmail,
        establishmentCode: prison.code,
        ...followUpMail(context.language, { prison: prison.name, reference, publicUrl }),
      })
    await audit.record(trx, system, {
      action: 'family-worry.received',
      establishmentCode: prison.code,
      details: { familyWorryId: id, heldBack: values.heldBack, emailed: Boolean(values.raiserEmail) },
    })
    return { kind: 'taken', reference, followUpCode, prison: shown }
  })
}

/**
 * Issue 14: what the family may know later, with their reference and code: received, being looked at, acted on
 * or closed, and when. Never any detail. A wrong pair reads as none, after the same work as a right one.
 */
export async function followUp(
  deps: FamiliesDeps,
  reference: string,
  code: string,
): Promise<{ reference: string; status: FamilyWorryStatus | 'closed'; since: Date } | null> {
  const { db } = deps
  const worry = await store.findByReference(db, worryReferenceOf(reference))
  const matches = await verifyPassword(followUpCodeOf(code), worry?.followUpCodeHash ?? (await decoyPasswordHash))
  if (!worry || !matches) return null
  // Closed as about someone not held here: the family is told it is closed and to ring the prison the person is
  // in, in words that say nothing of any person, nor whether anyone is held here.
  if (worry.notHeldHereAt) return { reference: worry.reference, status: 'closed', since: worry.notHeldHereAt }
  return { reference: worry.reference, status: worry.familyStatus, since: worry.familyStatusAt }
}

/**
 * The mail a family member gets: the reference, and where to use it with the code they were shown. Never the code:
 * it is shown once, to them, and the mail waits in an outbox that administrators read. No one's name, no detail.
 */
function followUpMail(language: Language, values: { prison: string; reference: string; publicUrl: string }) {
  const link = `${values.publicUrl}/worried-about-someone/follow-up`
  if (language === 'cy')
    return {
      subject: `Eich pryder: cyfeirnod ${values.reference}`,
      body: [
        `Diolch. Mae ${values.prison} wedi cael eich pryder ac wedi’i anfon at dîm y ddalfa fwy diogel.`,
        '',
        `Cyfeirnod: ${values.reference}`,
        '',
        `I weld a yw wedi cael sylw, ewch i ${link} a rhowch y cyfeirnod hwn gyda’r cod dilyn a ddangoswyd i chi pan anfonoch chi ef.`,
        'Os oes rhywun mewn perygl uniongyrchol, ffoniwch 999.',
      ].join('\n'),
    }
  return {
    subject: `Your worry: reference ${values.reference}`,
    body: [
      `Thank you. ${values.prison} has your worry and has passed it to the safer custody team.`,
      '',
      `Reference: ${values.reference}`,
      '',
      `To see whether it has been acted on, go to ${link} and enter this reference with the follow-up code you were shown when you sent it.`,
      'If someone is in immediate danger, call 999.',
    ].join('\n'),
  }
}
