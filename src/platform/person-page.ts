import { z } from 'zod'
import type { PersonAction, PersonTab } from './navigation.ts'
import { hasPermission, type Actor } from './permissions.ts'

/**
 * The frame of every page of a person's record, whichever area draws the page: the address's prison number,
 * and the tabs (`views/person-header.njk` shows them under the person's key facts). Each area contributes
 * its tabs; this is where they are read, so no area reaches into another's routes for them.
 */
export const PersonParams = z.object({ prisonNumber: z.string().max(20) })

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
