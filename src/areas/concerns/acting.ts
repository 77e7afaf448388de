/** S1, S2: one concern, opened by those who may read it, received, and acted on. */
import { type Outcome } from '../../platform/forms.ts'
import { NotFound } from '../../platform/errors.ts'
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import { actRefusal, countsAsReceipt, mayAct, statusOf } from './rules.ts'
import * as store from './store.ts'
import { aboutConcern, auditingRefusal, findVisibleConcern, type ActInput, type ConcernsDeps } from './deps.ts'

/**
 * S1, S2: one concern, for those who may read it (404 for anyone else, audited either way). The first
 * time someone who acts on concerns opens it, it is received: the raiser is told so.
 */
export async function viewConcern(deps: ConcernsDeps, actor: Actor, id: string) {
  const { db, clock, audit } = deps
  return auditingRefusal(deps, actor, () =>
    db.transaction().execute(async (trx) => {
      const concern = await findVisibleConcern(deps, actor, id, trx)
      if (countsAsReceipt(actor, concern) && !concern.receivedAt) {
        if (await store.markReceived(trx, concern.id, clock.now(), actor.id)) {
          concern.receivedAt = clock.now()
          concern.receivedByName = actor.displayName
        } else {
          // A colleague who opened it at the same moment received it first: the page names them.
          const received = await findVisibleConcern(deps, actor, id, trx)
          concern.receivedAt = received.receivedAt
          concern.receivedByName = received.receivedByName
        }
      }
      await audit.record(trx, actor, aboutConcern('concern.viewed', concern))
      return {
        concern: { ...concern, status: statusOf(concern) },
        canAct: mayAct(actor, concern),
        canOpenCarePlan: mayAct(actor, concern) && hasPermission(actor.role, 'concerns.view-sensitive'),
        // Issue 14: who in a family raised it, and how to reach them, is for safer custody alone.
        canSeeFamily: hasPermission(actor.role, 'family-worries.raiser'),
      }
    }),
  )
}

/** S1: records what was done about a concern and by whom; a second attempt, or a missing reason, writes nothing. */
export async function actOnConcern(deps: ConcernsDeps, actor: Actor, id: string, input: ActInput): Promise<Outcome> {
  const { db, clock, audit } = deps
  return auditingRefusal(deps, actor, () =>
    db.transaction().execute(async (trx) => {
      const concern = await findVisibleConcern(deps, actor, id, trx)
      const locked = await store.lockConcern(trx, concern.id)
      if (!locked) throw new NotFound()
      if (!hasPermission(actor.role, 'concerns.act')) throw new NotFound()
      const refusal = actRefusal(locked, input, actor)
      if (refusal) return refusal
      await store.markActed(trx, concern.id, {
        at: clock.now(),
        by: actor.id,
        outcome: input.outcome,
        note: input.note.trim(),
      })
      await audit.record(trx, actor, aboutConcern('concern.acted-on', concern, { outcome: input.outcome }))
      return null
    }),
  )
}
