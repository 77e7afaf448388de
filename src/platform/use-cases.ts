import type { Db } from '../db/database.ts'
import type { Audit } from './audit.ts'
import type { Clock } from './clock.ts'

/**
 * Issue 12: an area's service is a set of use cases, each a plain function of `(deps, actor, input…)` in a
 * module named in the prison's words (`care-plans/reviews.ts`, `journey/handovers.ts`). The area's
 * `service.ts` lists them once and binds them to its dependencies here, so that callers keep calling
 * `service.holdReview(actor, …)` and a use case can be read, and tested, on its own.
 */

/**
 * What every area's use cases are given by the platform, before the other areas' parts: the database, the
 * prison's clock and the audit trail, each built once in app.ts.
 */
export type PlatformDeps = { db: Db; clock: Clock; audit: Audit }

/** Any function whose first argument is the area's dependencies. */
type UseCaseOf<Deps> = (deps: Deps, ...args: never) => unknown

/** The service's face: each use case with its dependencies already given. */
export type Bound<Deps, UseCases extends Record<string, UseCaseOf<Deps>>> = {
  [Name in keyof UseCases]: UseCases[Name] extends (deps: Deps, ...args: infer Args) => infer Result
    ? (...args: Args) => Result
    : never
}

export function bindUseCases<Deps, UseCases extends Record<string, UseCaseOf<Deps>>>(
  deps: Deps,
  useCases: UseCases,
): Bound<Deps, UseCases> {
  const bound: Record<string, (...args: unknown[]) => unknown> = {}
  for (const [name, useCase] of Object.entries(useCases))
    bound[name] = (...args: unknown[]) => (useCase as (deps: Deps, ...rest: unknown[]) => unknown)(deps, ...args)
  return bound as Bound<Deps, UseCases>
}
