import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { actorOf } from './area.ts'
import type { PersonAction, PersonTab } from './navigation.ts'
import { hasPermission, type Actor } from './permissions.ts'

/**
 * The frame of every page of a person's record, whichever area draws the page: the address's prison number,
 * and the tabs (`views/person-header.njk` shows them under the person's key facts). Each area exports the
 * tabs it adds; `app.ts` lists them once, in the order they show, and hands them to platform, so no area
 * reaches into another's routes for them and no area is handed the whole list.
 */
export const PersonParams = z.object({ prisonNumber: z.string().max(20) })

/** Every tab of a person's record, and the actions offered on it, in the order they show. */
export type PersonPageFrame = { tabs: readonly PersonTab[]; actions: readonly PersonAction[] }

/** The tabs of a person's record (or the actions on it) this user may open, for `person-header.njk`. */
export function personTabsFor(
  tabs: readonly (PersonTab | PersonAction)[],
  actor: Actor,
  prisonNumber: string,
  activePath: string,
) {
  return tabs
    .filter((tab) => hasPermission(actor.role, tab.permission))
    .map((tab) => ({
      key: tab.messageKey,
      href: `/people/${prisonNumber}${tab.path ? `/${tab.path}` : ''}`,
      active: tab.path === activePath,
    }))
}

/**
 * `request.personTabs(prisonNumber, 'journey')` in any area's handler: the tabs the signed-in user may open,
 * with the area's own marked. Registered on the root instance, so every area plugin inherits it.
 */
export function registerPersonPage(app: FastifyInstance, frame: PersonPageFrame): void {
  app.decorateRequest('personTabs', function (this: FastifyRequest, prisonNumber: string, activePath: string) {
    return personTabsFor(frame.tabs, actorOf(this), prisonNumber, activePath)
  })
  app.decorateRequest('personActions', function (this: FastifyRequest, prisonNumber: string) {
    // No action is the page being shown: each is a page of its own, reached from the overview.
    return personTabsFor(frame.actions, actorOf(this), prisonNumber, '(none)')
  })
}

export type PersonTabLink = ReturnType<typeof personTabsFor>[number]
