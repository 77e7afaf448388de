import { createHmac } from 'node:crypto'
import type { Db } from '../../db/database.ts'
import type { FamilyWorryHowSoon, FamilyWorryStatus, IsoDate } from '../../db/schema.ts'
import type { Audit } from '../../platform/audit.ts'
import type { Clock } from '../../platform/clock.ts'
import { INVALID_DATE } from '../../platform/date-input.ts'
import { NotFound } from '../../platform/errors.ts'
import type { EventListener, Events } from '../../platform/events.ts'
import type { Language } from '../../platform/i18n.ts'
import { isUuid } from '../../platform/ids.ts'
import type { MailSender } from '../../platform/mail.ts'
import type { Notifications } from '../../platform/notifications.ts'
import type { Actor } from '../../platform/permissions.ts'
import { decoyPasswordHash, hashPassword, readableCode, verifyPassword } from '../../platform/passwords.ts'
import {
  EMAIL_MAX,
  familyStatuses,
  howSoonAnswers,
  indicatesSelfHarmRisk,
  isEmailAddress,
  isPhoneNumber,
  limitReached,
  MALICIOUS_REASON_MAX,
  matchOf,
  NAME_MAX,
  PHONE_MAX,
  prisonNumberOf,
  RELATIONSHIP_MAX,
  selfHarmAnswers,
  urgencyOf,
  WHAT_WORRIES_MAX,
  type Refusal,
} from './rules.ts'
import * as store from './store.ts'
import type { CarePlanService } from '../care-plans/service.ts'
import type { ConcernPerson, ConcernsService } from '../concerns/service.ts'
import type { StaffService } from '../staff/service.ts'

/** The form as sent: every field as typed, so that a refusal can show it back. */
export type WorryForm = {
  establishmentCode: string
  personName: string
  dateOfBirth: IsoDate | null | typeof INVALID_DATE
  prisonNumber: string
  whatWorries: string
  howSoon: string
  selfHarm: string
  relationship: string
  raiserName: string
  raiserPhone: string
  raiserEmail: string
  mayTell: string
  /** The field people cannot see: anything in it marks the worry as sent by a machine, and holds it back. */
  honeypot: string
}

export type RaiseOutcome =
  | { kind: 'refused'; refusals: Refusal[] }
  | { kind: 'limited'; prison: { name: string; phone: string | null } }
  | { kind: 'taken'; reference: string; followUpCode: string; prison: { name: string; phone: string | null } }

const system = { id: null, username: 'family-worries' }
const HOUR = 3_600_000
const LISTED_DAYS = 30

export type FamiliesService = ReturnType<typeof createFamiliesService>

/**
 * Issue 14: what the safer custody dashboard asks of families, built before the concerns service (which the
 * families service itself needs to raise a concern): a count of the worries still to match, from families'
 * own records alone.
 */
export function createFamilyWorryCounts({ db }: { db: Db }) {
  return { countToMatch: (establishmentCode: string) => store.countToMatch(db, establishmentCode) }
}

export function createFamiliesService({
  db,
  clock,
  audit,
  concerns,
  carePlans,
  staff,
  notifications,
  events,
  mail,
  addressSecret,
  publicUrl,
}: {
  db: Db
  clock: Clock
  audit: Audit
  /** A matched worry becomes a concern raised by family or friends, routed as every concern is. */
  concerns: Pick<ConcernsService, 'raiseFromFamily'>
  /** S4: the person's care plan in progress, and its family contacts. */
  carePlans: Pick<CarePlanService, 'viewPersonCarePlans' | 'recordFamily'>
  staff: Pick<StaffService, 'listStaffOnDuty'>
  notifications: Pick<Notifications, 'notify'>
  events: Pick<Events, 'publish'>
  mail: MailSender
  addressSecret: string
  publicUrl: string
}) {
  /** A keyed hash of the sender's address: enough to count, never the address itself. */
  const addressKeyOf = (address: string) => createHmac('sha256', addressSecret).update(address).digest('base64url')

  /** Who at a prison is told of a worry to match: the safer custody leads on duty, or the governors if none is. */
  async function toldAtPrison(trx: Db, establishmentCode: string) {
    const onDuty = await staff.listStaffOnDuty(establishmentCode, trx)
    const leads = onDuty.filter((member) => member.role === 'safercustody')
    return (leads.length > 0 ? leads : onDuty.filter((member) => member.role === 'governor')).map((member) => member.id)
  }

  function refusalsOf(form: WorryForm, prisonCodes: ReadonlySet<string>): Refusal[] {
    const refusals: Refusal[] = []
    const refuse = (field: string, messageKey: string, values?: Record<string, number>) =>
      refusals.push({ field, messageKey, ...(values ? { values } : {}) })
    if (!prisonCodes.has(form.establishmentCode)) refuse('establishmentCode', 'families.error.prison')
    if (!form.personName.trim()) refuse('personName', 'families.error.personName')
    else if (form.personName.length > NAME_MAX) refuse('personName', 'families.error.tooLong', { max: NAME_MAX })
    if (form.dateOfBirth === INVALID_DATE) refuse('dateOfBirth', 'families.error.dateOfBirth')
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

  /**
   * Issue 14: routes a worry taken from the public page, by the event written with it: matched to one person
   * without doubt, it becomes a concern raised by family or friends; otherwise safer custody are told there
   * is a worry to match by hand. A held-back worry (the hidden field filled) waits on the list, unannounced.
   */
  async function routeWorry(familyWorryId: string) {
    // Read before any transaction: raising the concern reads who is responsible, outside its own.
    const worry = await store.findWorry(db, familyWorryId)
    if (!worry || worry.routedAt || worry.heldBack) return
    const match = matchOf(worry, await store.candidatesAt(db, worry.establishmentCode, worry))
    if (match) {
      await raiseFrom(worry, { ...match, establishmentCode: worry.establishmentCode }, system, null)
      return
    }
    await db.transaction().execute(async (trx) => {
      const locked = await store.lockWorry(trx, worry.id)
      if (!locked || locked.routedAt) return
      await store.markRouted(trx, worry.id, clock.now())
      await notifications.notify(trx, {
        recipientIds: await toldAtPrison(trx, worry.establishmentCode),
        establishmentCode: worry.establishmentCode,
        kind: 'family-worry-to-match',
        messageKey: `families.notification.toMatch.${worry.howSoon}`,
        params: { reference: worry.reference },
        href: `/family-worries/${worry.id}`,
      })
      await audit.record(trx, system, {
        action: 'family-worry.routed',
        establishmentCode: worry.establishmentCode,
        details: { familyWorryId: worry.id, matched: false },
      })
    })
  }

  /**
   * A worry matched to a person becomes a concern raised by family or friends, in one transaction with the
   * worry marked matched: by the worker (`matchedBy` null) or by hand. False when someone matched it first.
   */
  async function raiseFrom(
    worry: store.FamilyWorryRecord,
    person: ConcernPerson,
    by: { id: string | null; username: string },
    matchedBy: string | null,
  ): Promise<boolean> {
    const raised = await concerns.raiseFromFamily(
      person,
      {
        familyWorryId: worry.id,
        whatHappened: worry.whatWorries,
        urgency: urgencyOf(worry.howSoon),
        indicatesSelfHarmRisk: worry.selfHarmRisk,
      },
      by,
      {
        claim: async (trx) => {
          const locked = await store.lockWorry(trx, worry.id)
          return Boolean(locked && !locked.personId && !locked.maliciousAt)
        },
        record: async (trx, concernId) => {
          await store.markRouted(trx, worry.id, worry.routedAt ?? clock.now())
          await store.markMatched(trx, worry.id, { personId: person.id, concernId, at: clock.now(), by: matchedBy })
          await audit.record(trx, by, {
            action: matchedBy ? 'family-worry.matched' : 'family-worry.routed',
            personId: person.id,
            establishmentCode: worry.establishmentCode,
            details: { familyWorryId: worry.id, matched: true, concernId },
          })
        },
      },
    )
    return raised !== null
  }

  /**
   * A worry safer custody may open: at the prison they are working in; anything else is a 404. With `lock`,
   * held for the rest of the caller's transaction.
   */
  async function findVisible(actor: Actor, id: string, trx: Db = db, options: { lock?: boolean } = {}) {
    if (!isUuid(id)) throw new NotFound()
    const worry = await (options.lock ? store.lockWorry : store.findWorry)(trx, id)
    if (!worry || worry.establishmentCode !== actor.establishmentCode) throw new NotFound()
    return worry
  }

  /** One change to a worry by safer custody, in a transaction with its audit entry. */
  async function changeWorry(
    actor: Actor,
    id: string,
    action: string,
    change: (trx: Db, worry: store.FamilyWorryRecord) => Promise<Refusal | { audit: Record<string, string> }>,
  ): Promise<Refusal | null> {
    return db.transaction().execute(async (trx) => {
      const worry = await findVisible(actor, id, trx, { lock: true })
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

  const received: EventListener<'family-worry.received'> = {
    name: 'families.route-worry',
    type: 'family-worry.received',
    handle: async (event) => routeWorry(event.payload.familyWorryId),
  }

  return {
    listeners: [received],

    /** The public page: every prison on this Waymark and the line its families ring. No one's record. */
    async publicPage() {
      return { prisons: await store.listPrisons(db) }
    },

    /**
     * Issue 14: takes a worry from the public page. It is stored, with the event that routes it, before any
     * record of who is in the prison is read: the answer, and the time it takes, are the same whether it
     * names someone there or not. Over a limit it is refused, and the sender told, never dropped.
     */
    async raiseWorry(form: WorryForm, context: { address: string; language: Language }): Promise<RaiseOutcome> {
      const prisons = await store.listPrisons(db)
      const refusals = refusalsOf(form, new Set(prisons.map((prison) => prison.code)))
      if (refusals.length > 0) return { kind: 'refused', refusals }
      const prison = prisons.find((candidate) => candidate.code === form.establishmentCode)!
      const shown = { name: prison.name, phone: prison.saferCustodyPhone }
      const addressKey = addressKeyOf(context.address)
      const followUpCode = readableCode(3)
      const followUpCodeHash = await hashPassword(followUpCode)
      return db.transaction().execute(async (trx) => {
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
            ...followUpMail(context.language, { prison: prison.name, reference, followUpCode, publicUrl }),
          })
        await audit.record(trx, system, {
          action: 'family-worry.received',
          establishmentCode: prison.code,
          details: { familyWorryId: id, heldBack: values.heldBack, emailed: Boolean(values.raiserEmail) },
        })
        return { kind: 'taken', reference, followUpCode, prison: shown }
      })
    },

    /**
     * Issue 14: what the family may know later, with their reference and code: received, being looked at or
     * acted on, and when. Never any detail. A wrong pair reads as none, after the same work as a right one.
     */
    async followUp(reference: string, code: string): Promise<{ status: FamilyWorryStatus; since: Date } | null> {
      const worry = await store.findByReference(db, reference.trim().toUpperCase())
      const matches = await verifyPassword(
        code.trim().toLowerCase(),
        worry?.followUpCodeHash ?? (await decoyPasswordHash),
      )
      if (!worry || !matches) return null
      return { status: worry.familyStatus, since: worry.familyStatusAt }
    },

    /** Issue 14: the worries at the prison, for safer custody: those to match first. Counts audited, no names. */
    async listWorries(actor: Actor) {
      const since = new Date(clock.now().getTime() - LISTED_DAYS * 24 * HOUR)
      const worries = await store.listAt(db, actor.establishmentCode, since)
      const phone = await store.findPhoneLine(db, actor.establishmentCode)
      await audit.record(db, actor, { action: 'family-worries.listed', details: { count: worries.length } })
      return {
        toMatch: worries.filter((worry) => !worry.personId && !worry.maliciousAt),
        others: worries.filter((worry) => worry.personId || worry.maliciousAt),
        phone,
      }
    },

    /** Issue 14: one worry with who sent it and how to reach them: safer custody only, each view audited. */
    async viewWorry(actor: Actor, id: string) {
      const worry = await findVisible(actor, id)
      await audit.record(db, actor, {
        action: 'family-worry.viewed',
        personId: worry.personId ?? undefined,
        establishmentCode: worry.establishmentCode,
        details: { familyWorryId: worry.id },
      })
      return { worry }
    },

    /** Issue 14: safer custody match a worry to the person by hand; it becomes a concern, routed at once. */
    async matchByHand(actor: Actor, id: string, typedPrisonNumber: string): Promise<Refusal | null> {
      const worry = await findVisible(actor, id)
      if (worry.personId) return { field: 'prisonNumber', messageKey: 'families.match.error.already' }
      if (worry.maliciousAt) return { field: 'prisonNumber', messageKey: 'families.match.error.malicious' }
      const prisonNumber = prisonNumberOf(typedPrisonNumber)
      const person = prisonNumber ? await store.findPersonAt(db, worry.establishmentCode, prisonNumber) : undefined
      if (!person) return { field: 'prisonNumber', messageKey: 'families.match.error.notHere' }
      const matched = await raiseFrom(worry, { ...person, establishmentCode: worry.establishmentCode }, actor, actor.id)
      return matched ? null : { field: 'prisonNumber', messageKey: 'families.match.error.already' }
    },

    /**
     * Issue 14, S4: safer custody add the sender to the family contacts of the person's care plan in progress,
     * with how to reach them: a contact, written whether or not the person has consented (consent governs
     * what is shared with family, not whether their call is kept).
     */
    async linkToCarePlan(actor: Actor, id: string): Promise<Refusal | null> {
      const worry = await findVisible(actor, id)
      if (!worry.personId || !worry.matchedPrisonNumber)
        return { field: 'carePlan', messageKey: 'families.carePlan.error.notMatched' }
      if (worry.carePlanLinkedAt) return { field: 'carePlan', messageKey: 'families.carePlan.error.already' }
      const { plans } = await carePlans.viewPersonCarePlans(actor, worry.matchedPrisonNumber)
      const open = plans.find((plan) => plan.closedAt === null)
      if (!open) return { field: 'carePlan', messageKey: 'families.carePlan.error.none' }
      const contact = [worry.raiserPhone, worry.raiserEmail].filter(Boolean).join(', ')
      const refusal = await carePlans.recordFamily(actor, worry.matchedPrisonNumber, open.id, {
        kind: 'contact',
        familyMember: `${worry.raiserName} (${worry.relationship})`.slice(0, 100),
        notes:
          `Raised a worry on the public page (${worry.reference}): ${worry.whatWorries} Contact: ${contact}.`.slice(
            0,
            4000,
          ),
      })
      if (refusal) return { field: 'carePlan', messageKey: refusal.messageKey, values: refusal.values }
      await db.transaction().execute(async (trx) => {
        await store.markLinkedToCarePlan(trx, worry.id, clock.now())
        await audit.record(trx, actor, {
          action: 'family-worry.linked-to-care-plan',
          personId: worry.personId ?? undefined,
          establishmentCode: worry.establishmentCode,
          details: { familyWorryId: worry.id, carePlanId: open.id },
        })
      })
      return null
    },

    /** Issue 14: what the family's follow-up page says, chosen by safer custody as they act. */
    async setFamilyStatus(actor: Actor, id: string, status: string) {
      return changeWorry(actor, id, 'family-worry.status-set', async (trx, worry) => {
        if (!(familyStatuses as readonly string[]).includes(status))
          return { field: 'familyStatus', messageKey: 'families.status.error' }
        if (worry.familyStatus === status) return { field: 'familyStatus', messageKey: 'families.status.error.same' }
        await store.setFamilyStatus(trx, worry.id, status as FamilyWorryStatus, clock.now())
        return { audit: { status } }
      })
    },

    /**
     * Issue 14: safer custody judge a worry malicious, with their reason. Nothing is deleted and nothing is
     * undone: the record stays, and a concern already raised from it stays for whoever acts on it.
     */
    async markMalicious(actor: Actor, id: string, reason: string) {
      return changeWorry(actor, id, 'family-worry.marked-malicious', async (trx, worry) => {
        if (worry.maliciousAt) return { field: 'reason', messageKey: 'families.malicious.error.already' }
        const text = reason.trim()
        if (!text) return { field: 'reason', messageKey: 'families.malicious.error.reason' }
        if (text.length > MALICIOUS_REASON_MAX)
          return { field: 'reason', messageKey: 'families.error.tooLong', values: { max: MALICIOUS_REASON_MAX } }
        await store.markMalicious(trx, worry.id, { at: clock.now(), by: actor.id, reason: text })
        return { audit: {} }
      })
    },

    /** Issue 14: the prison's safer custody line, as the public page gives it. */
    async savePhoneLine(actor: Actor, typed: string): Promise<Refusal | null> {
      const phone = typed.trim()
      if (!phone || phone.length > PHONE_MAX || !isPhoneNumber(phone))
        return { field: 'phone', messageKey: 'families.phone.error' }
      await db.transaction().execute(async (trx) => {
        await store.savePhoneLine(trx, actor.establishmentCode, phone)
        await audit.record(trx, actor, { action: 'family-worries.phone-line-saved', details: {} })
      })
      return null
    },
  }
}

/** The mail a family member gets: the reference and code, and where to use them. No one's name, no detail. */
function followUpMail(
  language: Language,
  values: { prison: string; reference: string; followUpCode: string; publicUrl: string },
) {
  const link = `${values.publicUrl}/worried-about-someone/follow-up`
  if (language === 'cy')
    return {
      subject: `Eich pryder: cyfeirnod ${values.reference}`,
      body: [
        `Diolch. Mae ${values.prison} wedi cael eich pryder ac wedi’i anfon at dîm y ddalfa fwy diogel.`,
        '',
        `Cyfeirnod: ${values.reference}`,
        `Cod dilyn: ${values.followUpCode}`,
        '',
        `I weld a yw wedi cael sylw, ewch i ${link} a rhowch y ddau.`,
        'Os oes rhywun mewn perygl uniongyrchol, ffoniwch 999.',
      ].join('\n'),
    }
  return {
    subject: `Your worry: reference ${values.reference}`,
    body: [
      `Thank you. ${values.prison} has your worry and has passed it to the safer custody team.`,
      '',
      `Reference: ${values.reference}`,
      `Follow-up code: ${values.followUpCode}`,
      '',
      `To see whether it has been acted on, go to ${link} and enter both.`,
      'If someone is in immediate danger, call 999.',
    ].join('\n'),
  }
}
