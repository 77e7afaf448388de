import type { Actor, Permission } from './permissions.ts'
import type { Language, Translate } from './i18n.ts'

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
    /** The signed-in user's unread notifications, shown in the header of every page. */
    unreadNotifications: number
  }
  interface FastifyReply {
    /** Renders a page with the shared chrome: user, establishment, navigation, language and CSRF token. */
    page: (template: string, context?: Record<string, unknown>) => FastifyReply
  }
}
