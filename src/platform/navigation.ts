import type { Permission } from './permissions.ts'

/** An item in the service navigation: shown only to users whose role has its permission. */
export type NavigationItem = { messageKey: string; href: string; permission: Permission }

/**
 * A tab on a person's record (`/people/A1234BC/<path>`), added by the area that owns the page. The people
 * area draws the tabs the user's role may open, with the current one marked.
 */
export type PersonTab = { messageKey: string; path: string; permission: Permission }
