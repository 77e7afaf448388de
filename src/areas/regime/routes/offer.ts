import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { fieldErrors, type FieldError } from '../../../platform/forms.ts'
import { hasPermission } from '../../../platform/permissions.ts'
import { cohorts } from '../../people/rules.ts'
import { allSlots, categories, defaultPeriodTimes, deliveryModes, needs, type UsableSlot } from '../rules.ts'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import { formPageOf, registerFormPage } from '../../../platform/form-page.ts'
import { messagesOf, noticeOf, onePerField, TypedCode, week, Whole, type RegimeRoutesDeps } from './shared.ts'
import { registerViewPage } from '../../../platform/view-page.ts'

/**
 * A form's boxes: a field that may come once (a string), many times (an array) or not at all; each value taken
 * once, since a hand-made form may send one many times (the page's boxes send each once).
 */
const many = z
  .preprocess(
    (value): unknown[] =>
      value === undefined || value === '' ? [] : Array.isArray(value) ? (value as unknown[]) : [value],
    z.array(z.string().max(100)).max(50),
  )
  .transform((values) => [...new Set(values)])

const ActivityFields = {
  name: z.string().trim().min(1).max(120),
  category: z.enum(categories),
  providerOrganisationId: z
    .union([z.literal(''), z.string().uuid()])
    .default('')
    .transform((value) => value || null),
  deliveryMode: z.enum(deliveryModes),
  description: z.string().trim().max(1000).default(''),
  needs: many.pipe(z.array(z.enum(needs))),
}
const NewActivityForm = z.object({
  code: TypedCode((value) => value.toUpperCase(), /^[A-Z0-9][A-Z0-9-]{0,39}$/),
  ...ActivityFields,
})
const EditActivityForm = z.object(ActivityFields)
const activityMessageKeys = messagesOf(NewActivityForm, 'regime.activity.error')

const GroupFields = {
  location: z.string().trim().max(120).default(''),
  slots: many,
  capacity: Whole(1, 200),
  minSize: Whole(0, 200),
  cohorts: many,
}
const NewGroupForm = z.object({
  code: TypedCode((value) => value.toLowerCase(), /^[a-z0-9][a-z0-9-]{0,19}$/),
  ...GroupFields,
})
const EditGroupForm = z.object(GroupFields)
const groupMessageKeys = messagesOf(NewGroupForm, 'regime.group.error')
const CodeParams = z.object({ code: z.string().max(40) })
const GroupParams = z.object({ code: z.string().max(40), group: z.string().max(20) })
const OfferQuery = z.object({
  category: z.enum(categories).optional().catch(undefined),
  retired: z.literal('yes').optional().catch(undefined),
})

/** R2: the activity catalogue, and adding, changing and retiring an activity. */
export function registerActivityRoutes(app: AreaRoutes, { regime }: RegimeRoutesDeps) {
  // -------------------------------------------------------------------------------------------------------
  // The offer (R2, R4)

  registerViewPage(app, {
    path: '/regime/offer',
    query: OfferQuery,
    permission: 'regime.view',
    template: 'regime/views/offer.njk',
    view: (actor, { category, retired }) => regime.viewOffer(actor, { category, includeRetired: retired === 'yes' }),
    extras: (request, _view, { category, retired }) => ({
      categories,
      category: category ?? '',
      retired: retired === 'yes',
      canManage: hasPermission(actorOf(request).role, 'regime.manage-offer'),
      notice: noticeOf(request),
    }),
  })

  /** The form of a new activity (no code yet), or of one to change. */
  const showActivityForm = formPageOf(
    'regime/views/activity-form.njk',
    async (request, { code }: { code?: string }, sentBack) => {
      const organisations = await regime.listOrganisations()
      let values = sentBack?.values as Record<string, unknown> | undefined
      let name = ''
      if (code !== undefined) {
        const view = await regime.viewActivity(actorOf(request), code)
        name = view.activity.name
        values ??= {
          ...view.activity,
          providerOrganisationId: view.activity.providerOrganisationId ?? '',
          needs: view.needs,
        }
      }
      const chosenNeeds = values?.needs ?? []
      return {
        mode: code === undefined ? 'new' : 'edit',
        code: code ?? null,
        name,
        organisations: organisations.filter((organisation) => organisation.kind !== 'prison-service'),
        categories,
        deliveryModes,
        needs,
        values: { deliveryMode: 'group', ...(values ?? {}) },
        chosenNeeds: Array.isArray(chosenNeeds) ? chosenNeeds : [chosenNeeds],
      }
    },
  )

  registerFormPage(app, {
    path: '/regime/offer/new',
    permission: 'regime.manage-offer',
    show: showActivityForm,
    form: NewActivityForm,
    messages: activityMessageKeys,
    save: (actor, _params, form) => regime.addActivity(actor, form, form.needs),
    onePerField: true,
    next: (_params, form) => `/regime/offer/${form.code}`,
    done: 'activity-added',
  })

  registerViewPage(app, {
    path: '/regime/offer/:code',
    params: CodeParams,
    permission: 'regime.view',
    template: 'regime/views/activity.njk',
    view: (actor, { code }) => regime.viewActivity(actor, code),
    extras: (request) => ({
      canManage: hasPermission(actorOf(request).role, 'regime.manage-offer'),
      notice: noticeOf(request),
    }),
  })

  registerFormPage(app, {
    path: '/regime/offer/:code/edit',
    params: CodeParams,
    permission: 'regime.manage-offer',
    show: showActivityForm,
    form: EditActivityForm,
    messages: activityMessageKeys,
    save: (actor, { code }, form) => regime.editActivity(actor, code, form, form.needs),
    onePerField: true,
    next: ({ code }) => `/regime/offer/${code}`,
    done: 'activity-changed',
  })
  app.post(
    '/regime/offer/:code/retire',
    { schema: { params: CodeParams }, config: { permission: 'regime.manage-offer' } },
    async (request, reply) => {
      const { code } = request.params
      await regime.retireActivity(actorOf(request), code)
      return reply.redirectWithNotice(`/regime/offer/${code}`, 'activity-retired')
    },
  )
}

/** R4: the groups that run an activity, in the usable day. */
export function registerGroupRoutes(app: AreaRoutes, { regime }: RegimeRoutesDeps) {
  /** The form of a new group of an activity (no group code yet), or of one to change. */
  const showGroupForm = formPageOf(
    'regime/views/group-form.njk',
    async (request, { code, group: groupCode }: { code: string; group?: string }, sentBack) => {
      let values = sentBack?.values as Record<string, unknown> | undefined
      let activityName: string
      let usableDay: UsableSlot[]
      if (groupCode !== undefined) {
        const found = await regime.findGroup(actorOf(request), code, groupCode)
        activityName = found.activity.name
        usableDay = found.usableDay
        values ??= { ...found.group, cohorts: found.group.cohorts ?? [] }
      } else {
        const view = await regime.viewActivity(actorOf(request), code)
        activityName = view.activity.name
        usableDay = view.usableDay
      }
      const asList = (value: unknown): unknown[] =>
        value === undefined ? [] : Array.isArray(value) ? (value as unknown[]) : [value]
      const usable = new Set(usableDay.map((slot) => slot.slot))
      return {
        code,
        groupCode: groupCode ?? null,
        activityName,
        week: week.map((row) => ({ ...row, slots: row.slots.filter((slot) => usable.has(slot.slot)) })),
        cohorts,
        values: { capacity: '', minSize: '0', ...(values ?? {}) },
        chosenSlots: asList(values?.slots),
        chosenCohorts: asList(values?.cohorts),
      }
    },
  )

  registerFormPage(app, {
    path: '/regime/offer/:code/groups/new',
    params: CodeParams,
    permission: 'regime.manage-offer',
    show: showGroupForm,
    form: NewGroupForm,
    messages: groupMessageKeys,
    save: (actor, { code }, form) => regime.addGroup(actor, code, form),
    onePerField: true,
    next: ({ code }) => `/regime/offer/${code}`,
    done: 'group-added',
  })
  registerFormPage(app, {
    path: '/regime/offer/:code/groups/:group/edit',
    params: GroupParams,
    permission: 'regime.manage-offer',
    show: showGroupForm,
    form: EditGroupForm,
    messages: groupMessageKeys,
    save: (actor, { code, group }, form) => regime.editGroup(actor, code, group, { ...form, code: group }),
    onePerField: true,
    next: ({ code }) => `/regime/offer/${code}`,
    done: 'group-changed',
  })
  app.post(
    '/regime/offer/:code/groups/:group/retire',
    { schema: { params: GroupParams }, config: { permission: 'regime.manage-offer' } },
    async (request, reply) => {
      const { code, group } = request.params
      await regime.retireGroup(actorOf(request), code, group)
      return reply.redirectWithNotice(`/regime/offer/${code}`, 'group-retired')
    },
  )
}

/** R2: the usable day, which slots of the week run and when. */
export function registerUsableDayRoutes(app: AreaRoutes, { regime }: RegimeRoutesDeps) {
  // The usable day (R2)
  async function showUsableDay(
    reply: FastifyReply,
    request: FastifyRequest,
    extra: { errors?: FieldError[]; values?: Record<string, string> } = {},
  ) {
    const view = await regime.viewUsableDay(actorOf(request))
    const saved = new Map(view.usableDay.map((slot) => [slot.slot, slot]))
    const values =
      extra.values ??
      Object.fromEntries(
        allSlots.flatMap((slot) => {
          const row = saved.get(slot)
          const period = slot.slice(4) as keyof typeof defaultPeriodTimes
          return [
            [`run-${slot}`, row ? 'yes' : ''],
            [`${slot}-startsAt`, row?.startsAt ?? defaultPeriodTimes[period].startsAt],
            [`${slot}-endsAt`, row?.endsAt ?? defaultPeriodTimes[period].endsAt],
          ]
        }),
      )
    return reply.page('regime/views/usable-day.njk', {
      establishment: view.establishment,
      week,
      values,
      canManage: hasPermission(actorOf(request).role, 'regime.manage-offer'),
      errors: extra.errors ?? [],
      notice: noticeOf(request),
    })
  }
  app.get('/regime/usable-day', { config: { permission: 'regime.view' } }, async (request, reply) =>
    showUsableDay(reply, request),
  )
  app.post('/regime/usable-day', { config: { permission: 'regime.manage-offer' } }, async (request, reply) => {
    const body = z.record(z.string(), z.string().max(200)).catch({}).parse(request.body)
    const slots: UsableSlot[] = allSlots
      .filter((slot) => body[`run-${slot}`] === 'yes')
      .map((slot) => ({
        slot,
        startsAt: (body[`${slot}-startsAt`] ?? '').trim(),
        endsAt: (body[`${slot}-endsAt`] ?? '').trim(),
      }))
    const errors = fieldErrors(request.t, await regime.saveUsableDay(actorOf(request), slots), onePerField)
    if (errors.length > 0) return showUsableDay(reply.code(400), request, { errors, values: body })
    return reply.redirectWithNotice('/regime/usable-day', 'usable-day')
  })
}
