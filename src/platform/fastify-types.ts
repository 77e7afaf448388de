import type { Actor, Permission } from './permissions.ts'
import type { ApiCaller, ApiRefusal } from './api-callers.ts'
import type { Language, Plural, Translate } from './i18n.ts'
import type { Done } from './notices.ts'
import type { PersonTabLink } from './person-page.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every route declares who may use it; `buildApp` refuses to start with a route that does not. */
    permission?: Permission
    /** With `permission: 'api'`: the HMPPS-style role a client needs, `ROLE_WAYMARK__PEOPLE__RO`. */
    apiRole?: string
    /**
     * `false` only where no cookie can be what authenticates the request (a client's Basic credentials at
     * `/oauth/token`, a bearer token under /api): CSRF is an attack on cookies.
     */
    csrf?: false
  }
  interface FastifyRequest {
    actor: Actor | null
    /** Issue 15: the system calling the API with a bearer token, once its token, role and prison are checked. */
    apiCaller: ApiCaller | null
    /** Why a bearer token was not accepted, for the 401 or 403 the API answers. */
    apiRefusal: ApiRefusal | null
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
    /**
     * What the change that redirected here did (`reply.redirectWithNotice`), on the one visit it was for;
     * null on any other, whatever the address says.
     */
    done: Done | null
  }
  interface FastifyReply {
    /** Renders a page with the shared chrome: user, establishment, navigation, language and CSRF token. */
    page: (template: string, context?: Record<string, unknown>) => FastifyReply
    /**
     * The 303 after a change, with the word of what was done kept for the page it leads to alone (its banner
     * says so once): platform/notices.ts.
     */
    redirectWithNotice: (to: string, word: string, options?: { count?: number }) => FastifyReply
  }
}
