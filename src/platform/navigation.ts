import type { Permission } from './permissions.ts'

/** An item in the service navigation: shown only to users whose role has its permission. */
export type NavigationItem = { messageKey: string; href: string; permission: Permission }
