import type { FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { actorOf, type AreaRoutes } from './area.ts'
import { dateInputErrorHrefs } from './date-input.ts'
import { schemaErrors, submitForm, type FieldError, type FormAnswer, type Refusal } from './forms.ts'
import type { Actor, Permission } from './permissions.ts'

/** What a refused form's page shows again: the message beside each field, and what was typed. */
export type SentBack = { errors: FieldError[]; values: unknown }

/** A page that holds a form: shown new (no `sentBack`), or again after the form was refused. */
export type ShowFormPage<Params> = (
  request: FastifyRequest,
  reply: FastifyReply,
  params: Params,
  sentBack?: SentBack,
) => Promise<FastifyReply>

/**
 * A form's page from its template and what it shows beside the form (the person, the choices). The page gets
 * the errors and what was typed (none, for a new form), unless `view` words them itself: a form that starts
 * filled in (the settings as they are) gives its own `values` when nothing was sent back.
 */
export function formPageOf<Params>(
  template: string,
  view: (request: FastifyRequest, params: Params, sentBack: SentBack | null) => Promise<Record<string, unknown>>,
): ShowFormPage<Params> {
  return async (request, reply, params, sentBack) =>
    reply.page(template, {
      errors: sentBack?.errors ?? [],
      values: sentBack?.values ?? {},
      ...(await view(request, params, sentBack ?? null)),
    })
}

/** Each field's message when the form fails its schema, as `schemaErrors` takes them. */
type FieldMessages = Readonly<Record<string, Refusal | string>>

/** A form sent to an address: what its POST route is told. */
export type FormPost<Params, Form, Stored> = {
  path: string
  params?: z.ZodType<Params>
  permission: Permission
  /** The page the form is on, shown again when it is refused. */
  show: ShowFormPage<Params>
  /** The form's schema, or a choice of schema by what was sent (a care plan's post-closure review asks less). */
  form: z.ZodType<Form> | ((body: unknown) => z.ZodType<Form>)
  /**
   * Each field's message, or a choice of them by what was sent (text missing, or too long), by the schema's
   * own checks (a form whose checks name their message keys) or by the address (one of many forms on a page).
   */
  messages: FieldMessages | ((request: FastifyRequest, error: z.ZodError, params: Params) => FieldMessages)
  save: (actor: Actor, params: Params, form: Form, request: FastifyRequest) => Promise<FormAnswer<Stored>>
  /**
   * For a page that shows one message a field: a use case that may refuse one field twice, or messages that
   * put several fields' problems in one place.
   */
  onePerField?: boolean
  /** The form's GOV.UK date inputs, by name: the error summary leads to each one's day box, the first of three. */
  dateInputs?: readonly string[]
  /** Where to go once it is stored. */
  next: (params: Params, form: Form, stored: Stored) => string
  /** What was done, for the notice the page at `next` shows once (platform/notices.ts); none without it. */
  done?: string | ((params: Params, form: Form, stored: Stored) => string)
}

/**
 * A form's POST (docs/areas.md): the body read through the form's schema, then its use case. Once stored, a
 * redirect to `next` with a 303, so a refresh cannot send it twice, saying once what was `done`; refused by the schema or the use case, the
 * page again with a 400, each message beside its field and what was typed.
 */
export function registerFormPost<Params extends object, Form, Stored>(
  app: AreaRoutes,
  post: FormPost<Params, Form, Stored>,
): void {
  app.post(post.path, routeOf(post), async (request, reply) => {
    const params = request.params as Params
    const schema = typeof post.form === 'function' ? post.form(request.body) : post.form
    const sent = await submitForm(
      request.t,
      schema,
      request.body,
      (error) =>
        schemaErrors(
          request.t,
          error,
          typeof post.messages === 'function' ? post.messages(request, error, params) : post.messages,
          { onePerField: post.onePerField },
        ),
      (form) => post.save(actorOf(request), params, form, request),
      { onePerField: post.onePerField },
    )
    if ('errors' in sent) {
      const errors = dateInputErrorHrefs(sent.errors, ...(post.dateInputs ?? []))
      return post.show(request, reply.code(400), params, { errors, values: request.body ?? {} })
    }
    const next = post.next(params, sent.form, sent.stored)
    if (post.done === undefined) return reply.redirect(next, 303)
    const done = typeof post.done === 'function' ? post.done(params, sent.form, sent.stored) : post.done
    return reply.redirectWithNotice(next, done)
  })
}

/**
 * One form at one address: its GET shows the form and its POST sends it (`registerFormPost`), the two
 * declaring the same params and permission, once.
 */
export function registerFormPage<Params extends object, Form, Stored>(
  app: AreaRoutes,
  page: FormPost<Params, Form, Stored>,
): void {
  app.get(page.path, routeOf(page), async (request, reply) => page.show(request, reply, request.params as Params))
  registerFormPost(app, page)
}

/** The route's params schema, when its address has any, and its permission. */
function routeOf<Params>(route: { params?: z.ZodType<Params>; permission: Permission }) {
  return { ...(route.params && { schema: { params: route.params } }), config: { permission: route.permission } }
}
