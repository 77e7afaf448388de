import type { Db } from '../../src/db/database.ts'
import type { ConcernSafeNow, ConcernUrgency } from '../../src/db/schema.ts'
import type { ConcernsService } from '../../src/areas/concerns/service.ts'
import type { RaiseInput } from '../../src/areas/concerns/deps.ts'
import type { Actor } from '../../src/platform/permissions.ts'
import { givenPerson } from './builders.ts'

/** A concern as if raised earlier, open unless `actedAt` is given; escalates 15 minutes after it was raised. */
export async function givenConcern(
  db: Db,
  values: {
    personId: string
    establishmentCode: string
    raisedBy: string
    raisedAt: Date | string
    urgency?: ConcernUrgency
    safeNow?: ConcernSafeNow
    isSensitive?: boolean
    indicatesSelfHarmRisk?: boolean
    whatHappened?: string
    responsibleStaffUserId?: string | null
    escalateAt?: Date | string
    actedAt?: Date | string
    actedBy?: string
  },
): Promise<string> {
  const raisedAt = new Date(values.raisedAt)
  const row = await db
    .insertInto('concern')
    .values({
      person_id: values.personId,
      establishment_code: values.establishmentCode,
      raised_by: values.raisedBy,
      raised_at: raisedAt,
      what_happened: values.whatHappened ?? 'Said he could not see the point any more.',
      urgency: values.urgency ?? 'immediate',
      safe_now: values.safeNow ?? 'not-sure',
      is_sensitive: values.isSensitive ?? false,
      indicates_self_harm_risk: values.indicatesSelfHarmRisk ?? false,
      responsible_staff_user_id: values.responsibleStaffUserId ?? null,
      escalate_at: values.escalateAt ? new Date(values.escalateAt) : new Date(raisedAt.getTime() + 15 * 60_000),
      ...(values.actedAt
        ? {
            acted_at: new Date(values.actedAt),
            acted_by: values.actedBy ?? values.raisedBy,
            outcome: 'spoke-with-person',
          }
        : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A concern as `givenConcern` writes one, about a new person on the prison's roll: the person, and the concern's id. */
export async function givenConcernAboutNewPerson(db: Db, values: Omit<Parameters<typeof givenConcern>[1], 'personId'>) {
  const person = await givenPerson(db, values.establishmentCode)
  const concernId = await givenConcern(db, { ...values, personId: person.id })
  return { person, concernId }
}

/**
 * A concern raised through the concerns service, as staff raise one from its form: not sensitive and with no
 * peer supporter unless the test says. A refusal stops the test there.
 */
export async function raisedConcern(
  concerns: ConcernsService,
  raiser: Actor,
  prisonNumber: string,
  input: Omit<RaiseInput, 'isSensitive' | 'peerSupporterId'> & Partial<RaiseInput>,
) {
  const outcome = await concerns.raiseConcern(raiser, prisonNumber, {
    isSensitive: false,
    peerSupporterId: null,
    ...input,
  })
  if (!('concernId' in outcome)) throw new Error(`refused: ${outcome.messageKey}`)
  return outcome
}

/** The notifications a member of staff has been sent, oldest first: what a concern told them, and where it links. */
export const notificationsOf = (db: Db, recipientId: string) =>
  db
    .selectFrom('notification')
    .select(['kind', 'message_key as messageKey', 'href', 'params'])
    .where('recipient_id', '=', recipientId)
    .orderBy('created_at')
    .execute()
