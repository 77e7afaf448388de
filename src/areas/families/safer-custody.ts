/**
 * Issue 14: what safer custody do with the worries at their prison: the list, one worry, its care plan
 * contact, what the family's follow-up page says, a judgement that it is malicious, closing one about someone
 * not held here, and the phone line.
 */
import { isRefusal, type Outcome, type Refusal } from '../../platform/forms.ts'
import type { Db } from '../../db/database.ts'
import type { FamilyWorryStatus } from '../../db/schema.ts'
import { Forbidden } from '../../platform/errors.ts'
import { readCountedPage, type Page, type PageAsked } from '../../platform/pagination.ts'
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import { savePrisonSettings, type KeptPrisonSettings } from '../../platform/prison-settings.ts'
import {
  closingNote,
  familyStatuses,
  isPhoneNumber,
  MALICIOUS_REASON_MAX,
  NOT_HELD_HERE_NOTE_MAX,
  PHONE_MAX,
  WORRIES_PAGE_SIZE,
} from './rules.ts'
import * as store from './store.ts'
import { findVisible, HOUR, type FamiliesDeps } from './deps.ts'

const LISTED_DAYS = 30

/** One change to a worry by safer custody, in a transaction with its audit entry. */
async function changeWorry(
  deps: FamiliesDeps,
  actor: Actor,
  id: string,
  action: string,
  change: (trx: Db, worry: store.FamilyWorryRecord) => Promise<Outcome<{ audit: Record<string, string> }>>,
): Promise<Outcome> {
  const { db, audit } = deps
  return db.transaction().execute(async (trx) => {
    const worry = await findVisible(deps, actor, id, trx, { lock: true })
    const outcome = await change(trx, worry)
    if (!('audit' in outcome)) return outcome
    await audit.record(trx, actor, {
      action,
      personId: worry.personId ?? undefined,
      establishmentCode: worry.establishmentCode,
      details: { familyWorryId: worry.id, ...outcome.audit },
    })
    return null
  })
}

/**
 * Issue 14: the worries at the prison, for safer custody, a page at a time: every one still to match (however old),
 * then the rest of the last 30 days. Counts audited, no names.
 */
export async function listWorries(deps: FamiliesDeps, actor: Actor, { page: asked }: PageAsked = {}) {
  const { db, clock, audit } = deps
  const since = new Date(clock.now().getTime() - LISTED_DAYS * 24 * HOUR)
  const read = (page: Page) => store.listAt(db, actor.establishmentCode, since, page)
  const { rows, total, page, pageCount } = await readCountedPage(read, asked, WORRIES_PAGE_SIZE)
  const phone = await store.findPhoneLine(db, actor.establishmentCode)
  await audit.record(db, actor, { action: 'family-worries.listed', details: { count: rows.length, page, total } })
  return {
    toMatch: rows.filter((worry) => worry.stillToMatch),
    others: rows.filter((worry) => !worry.stillToMatch),
    toMatchTotal: Number(rows[0]?.toMatchTotal ?? 0),
    total,
    page,
    pageCount,
    phone,
  }
}

/**
 * Issue 14: one worry, each view audited; who sent it and how to reach them for safer custody only (a governor
 * acting on it when no lead is on duty sees what worries the family, not who they are).
 */
export async function viewWorry(deps: FamiliesDeps, actor: Actor, id: string) {
  const { db, audit } = deps
  const found = await findVisible(deps, actor, id)
  const mayKnowRaiser = hasPermission(actor.role, 'family-worries.raiser')
  const worry = mayKnowRaiser
    ? found
    : { ...found, raiserName: null, relationship: null, raiserPhone: null, raiserEmail: null }
  await audit.record(db, actor, {
    action: 'family-worry.viewed',
    personId: worry.personId ?? undefined,
    establishmentCode: worry.establishmentCode,
    details: { familyWorryId: worry.id },
  })
  return { worry, mayKnowRaiser }
}

/**
 * Issue 14, S4: safer custody add the sender to the family contacts of the person's care plan in progress,
 * with how to reach them: a contact, written whether or not the person has consented (consent governs
 * what is shared with family, not whether their call is kept).
 */
export async function linkToCarePlan(deps: FamiliesDeps, actor: Actor, id: string): Promise<Outcome> {
  const { clock, audit, carePlans } = deps
  if (!hasPermission(actor.role, 'family-worries.raiser')) throw new Forbidden()
  const worry = await findVisible(deps, actor, id)
  if (!worry.personId || !worry.matchedPrisonNumber)
    return { field: 'carePlan', messageKey: 'families.carePlan.error.notMatched' }
  const already: Refusal = { field: 'carePlan', messageKey: 'families.carePlan.error.already', values: {} }
  if (worry.carePlanLinkedAt) return already
  const { plans } = await carePlans.viewPersonCarePlans(actor, worry.matchedPrisonNumber)
  const open = plans.find((plan) => plan.closedAt === null)
  if (!open) return { field: 'carePlan', messageKey: 'families.carePlan.error.none' }
  const contact = [worry.raiserPhone, worry.raiserEmail].filter(Boolean).join(', ')
  const refusal = await carePlans.recordFamily(
    actor,
    worry.matchedPrisonNumber,
    open.id,
    {
      kind: 'contact',
      familyMember: `${worry.raiserName} (${worry.relationship})`.slice(0, 100),
      notes:
        `${worry.mayTellPerson ? '' : 'Asked that the person is not told who raised this. '}Raised a worry on the public page (${worry.reference}): ${worry.whatWorries} Contact: ${contact}.`.slice(
          0,
          4000,
        ),
    },
    // Marked with the contact, in its transaction: two clicks at once add the worry to the plan once.
    async (trx) => {
      if (!(await store.markLinkedToCarePlan(trx, worry.id, clock.now()))) return already
      await audit.record(trx, actor, {
        action: 'family-worry.linked-to-care-plan',
        personId: worry.personId ?? undefined,
        establishmentCode: worry.establishmentCode,
        details: { familyWorryId: worry.id, carePlanId: open.id },
      })
      return null
    },
  )
  if (refusal) return { field: 'carePlan', messageKey: refusal.messageKey, values: refusal.values }
  return null
}

/** Issue 14: what the family's follow-up page says, chosen by safer custody as they act. */
export async function setFamilyStatus(deps: FamiliesDeps, actor: Actor, id: string, status: string) {
  const { clock } = deps
  return changeWorry(deps, actor, id, 'family-worry.status-set', async (trx, worry) => {
    if (!(familyStatuses as readonly string[]).includes(status))
      return { field: 'familyStatus', messageKey: 'families.status.error' }
    // Closed as not held here, the family sees that it is closed, and where to ring instead; nothing else.
    if (worry.notHeldHereAt) return { field: 'familyStatus', messageKey: 'families.status.error.closed' }
    if (worry.familyStatus === status) return { field: 'familyStatus', messageKey: 'families.status.error.same' }
    await store.setFamilyStatus(trx, worry.id, status as FamilyWorryStatus, clock.now())
    return { audit: { status } }
  })
}

/**
 * Issue 14: safer custody judge a worry malicious, with their reason. Nothing is deleted and nothing is
 * undone: the record stays, and a concern already raised from it stays for whoever acts on it.
 */
export async function markMalicious(deps: FamiliesDeps, actor: Actor, id: string, reason: string) {
  const { clock } = deps
  // Whether a worry was sent to cause harm turns on who sent it, which only safer custody see; and marked, it is
  // never matched or escalated.
  if (!hasPermission(actor.role, 'family-worries.raiser')) throw new Forbidden()
  return changeWorry(deps, actor, id, 'family-worry.marked-malicious', async (trx, worry) => {
    if (worry.maliciousAt) return { field: 'reason', messageKey: 'families.malicious.error.already' }
    // Closed as not held here, its page says so; marked malicious as well, the page would show only the mark.
    if (worry.notHeldHereAt) return { field: 'reason', messageKey: 'families.malicious.error.closed' }
    const written = closingNote(reason, {
      field: 'reason',
      missingKey: 'families.malicious.error.reason',
      max: MALICIOUS_REASON_MAX,
    })
    if (isRefusal(written)) return written
    await store.markMalicious(trx, worry.id, { at: clock.now(), by: actor.id, reason: written.text })
    return { audit: {} }
  })
}

/**
 * Issue 14: safer custody close a worry about someone this prison does not hold, with a short note of what they
 * found (checked the roll, rang the family): an honest close that is not "malicious". Who and when are kept with
 * it; the escalation sweep no longer weighs it, and the family's follow-up page tells them to ring the prison the
 * person is in. The note stays out of the audit entry, as a malicious reason does: it may name people.
 */
export async function closeNotHeldHere(deps: FamiliesDeps, actor: Actor, id: string, note: string) {
  const { clock } = deps
  // The same hands as a judgement of malice: closing it turns on what the family said and who they are.
  if (!hasPermission(actor.role, 'family-worries.raiser')) throw new Forbidden()
  return changeWorry(deps, actor, id, 'family-worry.closed-not-held-here', async (trx, worry) => {
    if (worry.personId) return { field: 'note', messageKey: 'families.notHeldHere.error.matched' }
    if (worry.maliciousAt) return { field: 'note', messageKey: 'families.notHeldHere.error.malicious' }
    if (worry.notHeldHereAt) return { field: 'note', messageKey: 'families.notHeldHere.error.already' }
    const written = closingNote(note, {
      field: 'note',
      missingKey: 'families.notHeldHere.error.note',
      max: NOT_HELD_HERE_NOTE_MAX,
    })
    if (isRefusal(written)) return written
    await store.markNotHeldHere(trx, worry.id, { at: clock.now(), by: actor.id, note: written.text })
    return { audit: {} }
  })
}

/** Issue 14: the prison's safer custody line, kept as a prison's own settings are (none until it is saved). */
const phoneLine: KeptPrisonSettings<{ phone: string | null }> = {
  find: async (db, establishmentCode) => ({ phone: await store.findPhoneLine(db, establishmentCode) }),
  problems: () => [],
  save: async (db, establishmentCode, { phone }) => {
    // A merge keeps what was typed, or the line someone saved since: never none, once a number was typed.
    if (phone !== null) await store.savePhoneLine(db, establishmentCode, phone)
  },
  audited: () => ({ action: 'family-worries.phone-line-saved', details: {} }),
}

/**
 * Issue 14: the prison's safer custody line, as the public page gives it; refused where someone else changed it
 * after the page was `drawn`, since families would be given a number nobody chose (`savePrisonSettings`).
 */
export async function savePhoneLine(deps: FamiliesDeps, actor: Actor, typed: string, drawn?: string): Promise<Outcome> {
  const phone = typed.trim()
  if (!phone || phone.length > PHONE_MAX || !isPhoneNumber(phone))
    return { field: 'phone', messageKey: 'families.phone.error' }
  const [refused = null] = await savePrisonSettings(deps, actor, { phone }, phoneLine, drawn)
  return refused
}
