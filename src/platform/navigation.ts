import { hasPermission, type Actor, type Permission, type Role } from './permissions.ts'

/** An item in the service navigation: shown only to users whose role has its permission. */
export type NavigationItem = {
  messageKey: string
  href: string
  permission: Permission
  /** Where the role's permission is not the whole answer (a partner lead among partners): who else it needs. */
  shownTo?: (actor: Actor) => boolean
}

/**
 * A part of the service (safer custody, the regime): one link in the menu, leading to the first of its
 * pages the user may open, and a row of its pages under the menu while the user is in it. A single row of
 * a handful of sections reads on an old wing PC's screen where two dozen pages in one menu did not.
 */
export type NavigationSection = { messageKey: string; items: readonly NavigationItem[] }

/**
 * A tab on a person's record (`/people/A1234BC/<path>`), added by the area that owns the page. The people
 * area draws the tabs the user's role may open, with the current one marked.
 */
export type PersonTab = { messageKey: string; path: string; permission: Permission }

/** Something to do about a person (`/people/A1234BC/<path>`), offered on their record to roles that may. */
export type PersonAction = { messageKey: string; path: string; permission: Permission }

export type NavigationLink = { messageKey: string; href: string; active: boolean }

/**
 * The menu and the current section's pages for a role at a path. The current page is the item whose
 * address is the longest start of the path, so `/concerns/raised` marks "Concerns", not the section only.
 */
export function navigationFor(
  sections: readonly NavigationSection[],
  role: Role,
  path: string,
  actor?: Actor,
): { menu: NavigationLink[]; section: { messageKey: string; items: NavigationLink[] } | undefined } {
  const shown = (item: NavigationItem) =>
    hasPermission(role, item.permission) && (!item.shownTo || (actor !== undefined && item.shownTo(actor)))
  const visible = sections
    .map((section) => ({ ...section, items: section.items.filter(shown) }))
    .filter((section) => section.items.length > 0)
  let current: { section: number; href: string } | undefined
  visible.forEach((section, index) => {
    for (const item of section.items)
      if (opens(item.href, path) && (!current || item.href.length > current.href.length))
        current = { section: index, href: item.href }
  })
  const menu = visible.map((section, index) => ({
    messageKey: section.messageKey,
    href: section.items[0].href,
    active: current?.section === index,
  }))
  const active = current ? visible[current.section] : undefined
  return {
    menu,
    section:
      active && active.items.length > 1
        ? {
            messageKey: active.messageKey,
            items: active.items.map((item) => ({ ...item, active: item.href === current?.href })),
          }
        : undefined,
  }
}

function opens(href: string, path: string): boolean {
  return path === href || path.startsWith(`${href}/`) || path.startsWith(`${href}?`)
}
