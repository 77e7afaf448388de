/** R3: the prison's framework, its function's default shares of the offer and emphasis of needs, adjusted. */
import type { Actor } from '../../platform/permissions.ts'
import { frameworkOf, frameworkProblems, type Framework, type Refusal } from './rules.ts'
import * as store from './store.ts'
import { establishmentOrThrow, frameworkAt, type RegimeDeps } from './deps.ts'

export type FrameworkInput = Framework & { firstAssessmentDays: number; reassessmentDays: number }

export async function viewFramework(deps: RegimeDeps, actor: Actor) {
  const current = await frameworkAt(deps.db, actor.establishmentCode)
  return { ...current, functionDefault: frameworkOf(current.establishment.function, null) }
}

export async function saveFramework(deps: RegimeDeps, actor: Actor, input: FrameworkInput): Promise<Refusal[]> {
  const { db, clock, audit } = deps
  const problems = frameworkProblems(input)
  if (problems.length > 0) return problems
  await db.transaction().execute(async (trx) => {
    await establishmentOrThrow(trx, actor.establishmentCode)
    await store.saveFramework(
      trx,
      actor.establishmentCode,
      {
        categoryShares: input.categoryShares,
        needEmphasis: input.needEmphasis,
        firstAssessmentDays: input.firstAssessmentDays,
        reassessmentDays: input.reassessmentDays,
      },
      actor.id,
      clock.now(),
    )
    await audit.record(trx, actor, { action: 'regime.framework-saved' })
  })
  return []
}

/** Back to the function's default framework and the default due days. */
export async function resetFramework(deps: RegimeDeps, actor: Actor): Promise<void> {
  const { db, audit } = deps
  await db.transaction().execute(async (trx) => {
    await store.deleteFramework(trx, actor.establishmentCode)
    await audit.record(trx, actor, { action: 'regime.framework-reset' })
  })
}
