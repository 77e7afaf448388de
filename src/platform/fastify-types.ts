import type { Actor, Permission } from './permissions.ts'
import type { Language, Plural, Translate } from './i18n.ts'
import type { PersonTabLink } from './person-page.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every route declares who may use it; `buildApp` refuses to start with a route that does not. */
    permission?: Permission
  }
  interface FastifyRequest {
    actor: Actor | null
    sessionToken: string | null
    language: Language
    t: Translate
    /** The same messages in another language, for what is printed for someone else (a person's slip). */
    tIn: (language: Language) => Translate
    /** `plural(key, n)` as pages have it (platform/i18n.ts), for a message a handler words. */
    plural: Plural
    /** The signed-in user's unread notifications, shown in the header of every page. */
    unreadNotifications: number
    /** The tabs of a person's record this user may open, with `activePath`'s marked (platform/person-page.ts). */
    personTabs: (prisonNumber: string, activePath: string) => PersonTabLink[]
    /** The actions on a person's record this user may take, for its overview. */
    personActions: (prisonNumber: string) => PersonTabLink[]
  }
  interface FastifyReply {
    /** Renders a page with the shared chrome: user, establishment, navigation, language and CSRF token. */
    page: (template: string, context?: Record<string, unknown>) => FastifyReply
  }
}
