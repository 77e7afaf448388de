import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { Forbidden } from '../../platform/errors.ts'
import { fieldErrors, schemaErrors, type FieldError } from '../../platform/forms.ts'
import type { NavigationItem, PersonTab } from '../../platform/navigation.ts'
import { hasPermission } from '../../platform/permissions.ts'
import { cohorts } from '../people/rules.ts'
import { PersonParams } from '../../platform/person-page.ts'
import {
  allSlots,
  assessmentDomains,
  categories,
  days,
  defaultPeriodTimes,
  deliveryModes,
  needs,
  nonAssociationLevels,
  nonAssociationReasons,
  periods,
  questionNames,
  type Answers,
  type Framework,
  type Refusal,
  type UsableSlot,
} from './rules.ts'
import type { RegimeService } from './service.ts'
import { type AreaRoutes, actorOf } from '../../platform/area.ts'

export const regimeNavigation: readonly NavigationItem[] = [
  { messageKey: 'regime.navigation.offer', href: '/regime/offer', permission: 'regime.view' },
  { messageKey: 'regime.navigation.assessments', href: '/needs-assessments', permission: 'regime.assess' },
  { messageKey: 'regime.navigation.nonAssociations', href: '/non-associations', permission: 'regime.non-associations' },
  { messageKey: 'regime.navigation.analysis', href: '/needs-analysis', permission: 'regime.needs-analysis' },
]

export const regimeTabs: readonly PersonTab[] = [
  { messageKey: 'regime.tab.assessment', path: 'needs-assessment', permission: 'regime.assess' },
  { messageKey: 'regime.tab.nonAssociations', path: 'non-associations', permission: 'regime.non-associations' },
]

/** The regime's services may refuse one field twice (a group's slots); a field shows its first refusal. */
const onePerField = { onePerField: true }

/** A form field that may come once (a string), many times (an array) or not at all. */
const many = z.preprocess(
  (value): unknown[] =>
    value === undefined || value === '' ? [] : Array.isArray(value) ? (value as unknown[]) : [value],
  z.array(z.string().max(100)).max(50),
)
const Whole = (min: number, max: number) => z.coerce.number().int().min(min).max(max)

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
  code: z
    .string()
    .trim()
    .transform((value) => value.toUpperCase())
    .pipe(z.string().regex(/^[A-Z0-9][A-Z0-9-]{0,39}$/)),
  ...ActivityFields,
})
const EditActivityForm = z.object(ActivityFields)
const activityMessageKeys = Object.fromEntries(
  ['code', 'name', 'category', 'providerOrganisationId', 'deliveryMode', 'description', 'needs'].map((field) => [
    field,
    `regime.activity.error.${field}`,
  ]),
)

const GroupFields = {
  location: z.string().trim().max(120).default(''),
  slots: many,
  capacity: Whole(1, 200),
  minSize: Whole(0, 200),
  cohorts: many,
}
const NewGroupForm = z.object({
  code: z
    .string()
    .trim()
    .transform((value) => value.toLowerCase())
    .pipe(z.string().regex(/^[a-z0-9][a-z0-9-]{0,19}$/)),
  ...GroupFields,
})
const EditGroupForm = z.object(GroupFields)
const groupMessageKeys = Object.fromEntries(
  ['code', 'location', 'slots', 'capacity', 'minSize', 'cohorts'].map((field) => [
    field,
    `regime.group.error.${field}`,
  ]),
)

const NonAssociationForm = z.object({
  otherPrisonNumber: z
    .string()
    .trim()
    .transform((value) => value.toUpperCase().replace(/\s+/g, ''))
    .pipe(z.string().regex(/^[A-Z][0-9]{4}[A-Z]{2}$/)),
  reason: z.enum(nonAssociationReasons),
  level: z.enum(nonAssociationLevels),
  comment: z.string().trim().max(1000).default(''),
})
const CloseForm = z.object({ closeReason: z.string().trim().min(1).max(500) })
const SeparationForm = z.object({ cohortA: z.string().max(40), cohortB: z.string().max(40) })
const IdParams = z.object({ id: z.string().uuid() })
const CodeParams = z.object({ code: z.string().max(40) })
const GroupParams = z.object({ code: z.string().max(40), group: z.string().max(20) })
const VersionParams = z.object({
  prisonNumber: z.string().max(20),
  version: z.coerce.number().int().min(1).max(10_000),
})
const OfferQuery = z.object({
  category: z.enum(categories).optional().catch(undefined),
  retired: z.literal('yes').optional().catch(undefined),
})
const GapQuery = z.object({ need: z.string().max(40), cohort: z.string().max(40) })

const AssessmentForm = z.object({
  kind: z.enum(['reception', 'induction', 'review']),
  healthContact: z.string().trim().max(120).default(''),
  wishes: z.string().trim().max(2000).default(''),
  wish1: z.string().max(40).default(''),
  wish2: z.string().max(40).default(''),
  wish3: z.string().max(40).default(''),
})

const notices: Record<string, string> = {
  'activity-added': 'regime.activity.added',
  'activity-changed': 'regime.activity.changed',
  'activity-retired': 'regime.activity.retired',
  'group-added': 'regime.group.added',
  'group-changed': 'regime.group.changed',
  'group-retired': 'regime.group.retiredDone',
  'usable-day': 'regime.usableDay.saved',
  framework: 'regime.framework.saved',
  'framework-reset': 'regime.framework.resetDone',
  'non-association': 'regime.nonAssociation.recorded',
  'non-association-closed': 'regime.nonAssociation.closedDone',
  'non-association-stale': 'regime.nonAssociation.stale',
  'separation-added': 'regime.separation.added',
  'separation-removed': 'regime.separation.removed',
  assessment: 'regime.assessment.saved',
}
const NoticeQuery = z.object({ done: z.string().max(40).optional().catch(undefined) })
function noticeOf(request: FastifyRequest): string | null {
  const { done } = NoticeQuery.safeParse(request.query).data ?? {}
  return done ? (notices[done] ?? null) : null
}

/** The week as rows of a table: each day with its three periods. */
const week = days.map((day) => ({ day, slots: periods.map((period) => ({ period, slot: `${day}_${period}` })) }))

export function registerRegimeRoutes(app: AreaRoutes, { regime }: { regime: RegimeService }) {
  // -------------------------------------------------------------------------------------------------------
  // The offer (R2, R4)

  app.get(
    '/regime/offer',
    { schema: { querystring: OfferQuery }, config: { permission: 'regime.view' } },
    async (request, reply) => {
      const query = request.query
      const view = await regime.viewOffer(actorOf(request), {
        category: query.category,
        includeRetired: query.retired === 'yes',
      })
      return reply.page('regime/views/offer.njk', {
        ...view,
        categories,
        category: query.category ?? '',
        retired: query.retired === 'yes',
        canManage: hasPermission(actorOf(request).role, 'regime.manage-offer'),
        notice: noticeOf(request),
      })
    },
  )

  async function showActivityForm(
    reply: FastifyReply,
    request: FastifyRequest,
    mode: { kind: 'new' } | { kind: 'edit'; code: string },
    extra: { errors?: FieldError[]; values?: Record<string, unknown> } = {},
  ) {
    const organisations = await regime.listOrganisations()
    let values = extra.values
    let name = ''
    if (mode.kind === 'edit') {
      const view = await regime.viewActivity(actorOf(request), mode.code)
      name = view.activity.name
      values ??= {
        ...view.activity,
        providerOrganisationId: view.activity.providerOrganisationId ?? '',
        needs: view.needs,
      }
    }
    const chosenNeeds = values?.needs ?? []
    return reply.page('regime/views/activity-form.njk', {
      mode: mode.kind,
      code: mode.kind === 'edit' ? mode.code : null,
      name,
      organisations: organisations.filter((organisation) => organisation.kind !== 'prison-service'),
      categories,
      deliveryModes,
      needs,
      values: { deliveryMode: 'group', ...(values ?? {}) },
      chosenNeeds: Array.isArray(chosenNeeds) ? chosenNeeds : [chosenNeeds],
      errors: extra.errors ?? [],
    })
  }

  app.get('/regime/offer/new', { config: { permission: 'regime.manage-offer' } }, async (request, reply) =>
    showActivityForm(reply, request, { kind: 'new' }),
  )
  app.post('/regime/offer/new', { config: { permission: 'regime.manage-offer' } }, async (request, reply) => {
    const form = NewActivityForm.safeParse(request.body)
    const errors = form.success
      ? fieldErrors(request.t, await regime.addActivity(actorOf(request), form.data, form.data.needs), onePerField)
      : schemaErrors(request.t, form.error, activityMessageKeys)
    if (errors.length > 0 || !form.success)
      return showActivityForm(reply.code(400), request, { kind: 'new' }, { errors, values: request.body as never })
    return reply.redirect(`/regime/offer/${form.data.code}?done=activity-added`, 303)
  })

  app.get(
    '/regime/offer/:code',
    { schema: { params: CodeParams }, config: { permission: 'regime.view' } },
    async (request, reply) => {
      const { code } = request.params
      const view = await regime.viewActivity(actorOf(request), code)
      return reply.page('regime/views/activity.njk', {
        ...view,
        canManage: hasPermission(actorOf(request).role, 'regime.manage-offer'),
        notice: noticeOf(request),
      })
    },
  )

  app.get(
    '/regime/offer/:code/edit',
    { schema: { params: CodeParams }, config: { permission: 'regime.manage-offer' } },
    async (request, reply) => {
      const { code } = request.params
      return showActivityForm(reply, request, { kind: 'edit', code })
    },
  )
  app.post(
    '/regime/offer/:code/edit',
    { schema: { params: CodeParams }, config: { permission: 'regime.manage-offer' } },
    async (request, reply) => {
      const { code } = request.params
      const form = EditActivityForm.safeParse(request.body)
      const errors = form.success
        ? fieldErrors(
            request.t,
            await regime.editActivity(actorOf(request), code, form.data, form.data.needs),
            onePerField,
          )
        : schemaErrors(request.t, form.error, activityMessageKeys)
      if (errors.length > 0)
        return showActivityForm(
          reply.code(400),
          request,
          { kind: 'edit', code },
          { errors, values: request.body as never },
        )
      return reply.redirect(`/regime/offer/${code}?done=activity-changed`, 303)
    },
  )
  app.post(
    '/regime/offer/:code/retire',
    { schema: { params: CodeParams }, config: { permission: 'regime.manage-offer' } },
    async (request, reply) => {
      const { code } = request.params
      await regime.retireActivity(actorOf(request), code)
      return reply.redirect(`/regime/offer/${code}?done=activity-retired`, 303)
    },
  )

  async function showGroupForm(
    reply: FastifyReply,
    request: FastifyRequest,
    code: string,
    groupCode: string | null,
    extra: { errors?: FieldError[]; values?: Record<string, unknown> } = {},
  ) {
    let values = extra.values
    let activityName: string
    let usableDay: UsableSlot[]
    if (groupCode) {
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
    return reply.page('regime/views/group-form.njk', {
      code,
      groupCode,
      activityName,
      week: week.map((row) => ({ ...row, slots: row.slots.filter((slot) => usable.has(slot.slot)) })),
      cohorts,
      values: { capacity: '', minSize: '0', ...(values ?? {}) },
      chosenSlots: asList(values?.slots),
      chosenCohorts: asList(values?.cohorts),
      errors: extra.errors ?? [],
    })
  }

  app.get(
    '/regime/offer/:code/groups/new',
    { schema: { params: CodeParams }, config: { permission: 'regime.manage-offer' } },
    async (request, reply) => {
      const { code } = request.params
      return showGroupForm(reply, request, code, null)
    },
  )
  app.post(
    '/regime/offer/:code/groups/new',
    { schema: { params: CodeParams }, config: { permission: 'regime.manage-offer' } },
    async (request, reply) => {
      const { code } = request.params
      const form = NewGroupForm.safeParse(request.body)
      const errors = form.success
        ? fieldErrors(request.t, await regime.addGroup(actorOf(request), code, form.data), onePerField)
        : schemaErrors(request.t, form.error, groupMessageKeys)
      if (errors.length > 0)
        return showGroupForm(reply.code(400), request, code, null, { errors, values: request.body as never })
      return reply.redirect(`/regime/offer/${code}?done=group-added`, 303)
    },
  )
  app.get(
    '/regime/offer/:code/groups/:group/edit',
    { schema: { params: GroupParams }, config: { permission: 'regime.manage-offer' } },
    async (request, reply) => {
      const { code, group } = request.params
      return showGroupForm(reply, request, code, group)
    },
  )
  app.post(
    '/regime/offer/:code/groups/:group/edit',
    { schema: { params: GroupParams }, config: { permission: 'regime.manage-offer' } },
    async (request, reply) => {
      const { code, group } = request.params
      const form = EditGroupForm.safeParse(request.body)
      const errors = form.success
        ? fieldErrors(
            request.t,
            await regime.editGroup(actorOf(request), code, group, { ...form.data, code: group }),
            onePerField,
          )
        : schemaErrors(request.t, form.error, groupMessageKeys)
      if (errors.length > 0)
        return showGroupForm(reply.code(400), request, code, group, { errors, values: request.body as never })
      return reply.redirect(`/regime/offer/${code}?done=group-changed`, 303)
    },
  )
  app.post(
    '/regime/offer/:code/groups/:group/retire',
    { schema: { params: GroupParams }, config: { permission: 'regime.manage-offer' } },
    async (request, reply) => {
      const { code, group } = request.params
      await regime.retireGroup(actorOf(request), code, group)
      return reply.redirect(`/regime/offer/${code}?done=group-retired`, 303)
    },
  )

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
    return reply.redirect('/regime/usable-day?done=usable-day', 303)
  })

  // Frameworks (R3)
  async function showFramework(
    reply: FastifyReply,
    request: FastifyRequest,
    extra: { errors?: FieldError[]; values?: Record<string, unknown> } = {},
  ) {
    const view = await regime.viewFramework(actorOf(request))
    const values = extra.values ?? {
      ...Object.fromEntries(
        categories.map((category) => [`share-${category}`, view.framework.categoryShares[category]]),
      ),
      ...Object.fromEntries(needs.map((need) => [`emphasis-${need}`, view.framework.needEmphasis[need]])),
      firstAssessmentDays: view.firstAssessmentDays,
      reassessmentDays: view.reassessmentDays,
    }
    return reply.page('regime/views/framework.njk', {
      ...view,
      categories,
      needs,
      values,
      errors: extra.errors ?? [],
      notice: noticeOf(request),
    })
  }
  app.get('/regime/framework', { config: { permission: 'regime.manage-offer' } }, async (request, reply) =>
    showFramework(reply, request),
  )
  app.post('/regime/framework', { config: { permission: 'regime.manage-offer' } }, async (request, reply) => {
    const body = z.record(z.string(), z.string().max(200)).catch({}).parse(request.body)
    const refusals: Refusal[] = []
    const whole = (field: string, min: number, max: number, messageKey: string) => {
      const parsed = Whole(min, max).safeParse(body[field] ?? '')
      if (!parsed.success || (body[field] ?? '').trim() === '') {
        refusals.push({ field, messageKey, values: {} })
        return min
      }
      return parsed.data
    }
    const framework: Framework = {
      categoryShares: Object.fromEntries(
        categories.map((category) => [category, whole(`share-${category}`, 0, 100, 'regime.framework.error.share')]),
      ) as Framework['categoryShares'],
      needEmphasis: Object.fromEntries(
        needs.map((need) => [need, whole(`emphasis-${need}`, 1, 5, 'regime.framework.error.emphasis')]),
      ) as Framework['needEmphasis'],
    }
    const firstAssessmentDays = whole('firstAssessmentDays', 1, 60, 'regime.framework.error.firstAssessmentDays')
    const reassessmentDays = whole('reassessmentDays', 7, 730, 'regime.framework.error.reassessmentDays')
    const errors = fieldErrors(
      request.t,
      refusals.length > 0
        ? refusals
        : await regime.saveFramework(actorOf(request), { ...framework, firstAssessmentDays, reassessmentDays }),
    )
    if (errors.length > 0) return showFramework(reply.code(400), request, { errors, values: body })
    return reply.redirect('/regime/framework?done=framework', 303)
  })
  app.post('/regime/framework/reset', { config: { permission: 'regime.manage-offer' } }, async (request, reply) => {
    await regime.resetFramework(actorOf(request))
    return reply.redirect('/regime/framework?done=framework-reset', 303)
  })

  // -------------------------------------------------------------------------------------------------------
  // Non-associations and cohorts (R4)

  async function showPersonNonAssociations(
    reply: FastifyReply,
    request: FastifyRequest,
    prisonNumber: string,
    extra: { errors?: FieldError[]; values?: unknown } = {},
  ) {
    const view = await regime.viewPersonNonAssociations(actorOf(request), prisonNumber)
    return reply.header('cache-control', 'no-store').page('regime/views/person-non-associations.njk', {
      ...view,
      reasons: nonAssociationReasons,
      levels: nonAssociationLevels,
      tabs: request.personTabs(view.person.prisonNumber, 'non-associations'),
      subPageTitle: request.t('regime.nonAssociation.title'),
      errors: extra.errors ?? [],
      values: extra.values ?? {},
      formOpen: Boolean(extra.errors?.length),
      notice: noticeOf(request),
    })
  }
  app.get(
    '/people/:prisonNumber/non-associations',
    { schema: { params: PersonParams }, config: { permission: 'regime.non-associations' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      return showPersonNonAssociations(reply, request, prisonNumber)
    },
  )
  app.post(
    '/people/:prisonNumber/non-associations',
    { schema: { params: PersonParams }, config: { permission: 'regime.non-associations' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const form = NonAssociationForm.safeParse(request.body)
      const errors = form.success
        ? fieldErrors(
            request.t,
            await regime.recordNonAssociation(actorOf(request), prisonNumber, form.data),
            onePerField,
          )
        : schemaErrors(request.t, form.error, {
            otherPrisonNumber: 'regime.nonAssociation.error.otherPrisonNumber',
            reason: 'regime.nonAssociation.error.reason',
            level: 'regime.nonAssociation.error.level',
            comment: 'regime.nonAssociation.error.comment',
          })
      if (errors.length > 0)
        return showPersonNonAssociations(reply.code(400), request, prisonNumber, { errors, values: request.body })
      return reply.redirect(`/people/${prisonNumber}/non-associations?done=non-association`, 303)
    },
  )

  async function showClose(
    reply: FastifyReply,
    request: FastifyRequest,
    id: string,
    extra: { errors?: FieldError[]; values?: unknown } = {},
  ) {
    const row = await regime.findNonAssociationForClosing(actorOf(request), id)
    return reply.page('regime/views/close-non-association.njk', {
      row,
      returnTo:
        z
          .object({
            from: z
              .string()
              .regex(/^[A-Z][0-9]{4}[A-Z]{2}$/)
              .optional()
              .catch(undefined),
          })
          .parse(request.query).from ?? null,
      errors: extra.errors ?? [],
      values: extra.values ?? {},
    })
  }
  app.get(
    '/non-associations/:id/close',
    { schema: { params: IdParams }, config: { permission: 'regime.non-associations' } },
    async (request, reply) => {
      const { id } = request.params
      return showClose(reply, request, id)
    },
  )
  app.post(
    '/non-associations/:id/close',
    { schema: { params: IdParams }, config: { permission: 'regime.non-associations' } },
    async (request, reply) => {
      const { id } = request.params
      const form = CloseForm.safeParse(request.body)
      if (!form.success)
        return showClose(reply.code(400), request, id, {
          errors: fieldErrors(request.t, [
            { field: 'closeReason', messageKey: 'regime.nonAssociation.error.closeReason', values: {} },
          ]),
          values: request.body,
        })
      const { stale } = await regime.closeNonAssociation(actorOf(request), id, form.data.closeReason)
      const from = z
        .object({
          returnTo: z
            .string()
            .regex(/^[A-Z][0-9]{4}[A-Z]{2}$/)
            .optional()
            .catch(undefined),
        })
        .parse(request.body).returnTo
      const done = stale ? 'non-association-stale' : 'non-association-closed'
      return reply.redirect(
        from ? `/people/${from}/non-associations?done=${done}` : `/non-associations?done=${done}`,
        303,
      )
    },
  )

  async function showPrisonNonAssociations(
    reply: FastifyReply,
    request: FastifyRequest,
    extra: { errors?: FieldError[]; values?: unknown } = {},
  ) {
    const view = await regime.viewPrisonNonAssociations(actorOf(request))
    return reply.header('cache-control', 'no-store').page('regime/views/non-associations.njk', {
      ...view,
      canManageCohorts: hasPermission(actorOf(request).role, 'regime.manage-offer'),
      errors: extra.errors ?? [],
      values: extra.values ?? {},
      notice: noticeOf(request),
    })
  }
  app.get('/non-associations', { config: { permission: 'regime.non-associations' } }, async (request, reply) =>
    showPrisonNonAssociations(reply, request),
  )
  app.post(
    '/non-associations/cohort-separations',
    { config: { permission: 'regime.manage-offer' } },
    async (request, reply) => {
      const form = SeparationForm.safeParse(request.body)
      const refusals = form.success
        ? await regime.addCohortSeparation(actorOf(request), form.data.cohortA, form.data.cohortB)
        : [{ field: 'cohortA', messageKey: 'regime.separation.error.cohorts', values: {} }]
      if (refusals.length > 0)
        return showPrisonNonAssociations(reply.code(400), request, {
          errors: fieldErrors(request.t, refusals, onePerField),
          values: request.body,
        })
      return reply.redirect('/non-associations?done=separation-added', 303)
    },
  )
  app.post(
    '/non-associations/cohort-separations/remove',
    { config: { permission: 'regime.manage-offer' } },
    async (request, reply) => {
      const { cohortA, cohortB } = SeparationForm.parse(request.body)
      await regime.removeCohortSeparation(actorOf(request), cohortA, cohortB)
      return reply.redirect('/non-associations?done=separation-removed', 303)
    },
  )

  // -------------------------------------------------------------------------------------------------------
  // Needs assessment (R1)

  app.get(
    '/people/:prisonNumber/needs-assessment',
    { schema: { params: PersonParams }, config: { permission: 'regime.assess' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const view = await regime.viewAssessment(actorOf(request), prisonNumber)
      return reply.header('cache-control', 'no-store').page('regime/views/assessment.njk', {
        ...view,
        domains: assessmentDomains,
        tabs: request.personTabs(view.person.prisonNumber, 'needs-assessment'),
        subPageTitle: request.t('regime.assessment.title'),
        notice: noticeOf(request),
      })
    },
  )

  async function showAssessmentForm(
    reply: FastifyReply,
    request: FastifyRequest,
    prisonNumber: string,
    extra: { errors?: FieldError[]; values?: Record<string, unknown> } = {},
  ) {
    const view = await regime.assessmentForm(actorOf(request), prisonNumber)
    const previous = view.previous
    const values = extra.values ?? {
      kind: previous ? 'review' : '',
      ...(previous?.answers ?? {}),
      healthContact: previous?.healthContact ?? '',
      wishes: previous?.wishes ?? '',
      ...Object.fromEntries(
        (previous?.wishedActivityIds ?? [])
          .slice(0, 3)
          .map((id, index) => [`wish${index + 1}`, view.activities.find((activity) => activity.id === id)?.code ?? '']),
      ),
    }
    return reply.header('cache-control', 'no-store').page('regime/views/assessment-form.njk', {
      person: view.person,
      domains: assessmentDomains,
      activitiesByCategory: categories
        .map((category) => ({
          category,
          activities: view.activities.filter((activity) => activity.category === category),
        }))
        .filter((group) => group.activities.length > 0),
      values,
      tabs: request.personTabs(view.person.prisonNumber, 'needs-assessment'),
      subPageTitle: request.t('regime.assessment.newTitle'),
      errors: extra.errors ?? [],
    })
  }
  app.get(
    '/people/:prisonNumber/needs-assessment/new',
    { schema: { params: PersonParams }, config: { permission: 'regime.assess' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      return showAssessmentForm(reply, request, prisonNumber)
    },
  )
  app.post(
    '/people/:prisonNumber/needs-assessment/new',
    { schema: { params: PersonParams }, config: { permission: 'regime.assess' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const body = z.record(z.string(), z.unknown()).catch({}).parse(request.body)
      const form = AssessmentForm.safeParse(body)
      const answers = Object.fromEntries(
        questionNames.map((name) => [name, typeof body[name] === 'string' ? body[name] : '']),
      ) as Answers
      let refusals: Refusal[]
      if (!form.success) {
        const errors = schemaErrors(request.t, form.error, {
          kind: 'regime.assessment.error.kind',
          healthContact: 'regime.assessment.error.healthContact',
          wishes: 'regime.assessment.error.wishes',
          wish1: 'regime.assessment.error.wish',
          wish2: 'regime.assessment.error.wish',
          wish3: 'regime.assessment.error.wish',
        })
        return showAssessmentForm(reply.code(400), request, prisonNumber, { errors, values: body })
      } else {
        const view = await regime.assessmentForm(actorOf(request), prisonNumber)
        const codes = [form.data.wish1, form.data.wish2, form.data.wish3].filter((code) => code !== '')
        const wishedActivityIds = codes.map((code) => view.activities.find((activity) => activity.code === code)?.id)
        if (wishedActivityIds.some((id) => id === undefined))
          refusals = [{ field: 'wish1', messageKey: 'regime.assessment.error.wish', values: {} }]
        else
          refusals = await regime.saveAssessment(actorOf(request), prisonNumber, {
            kind: form.data.kind,
            answers,
            healthContact: form.data.healthContact,
            wishes: form.data.wishes,
            wishedActivityIds: [...new Set(wishedActivityIds as string[])],
          })
      }
      if (refusals.length > 0)
        return showAssessmentForm(reply.code(400), request, prisonNumber, {
          errors: fieldErrors(request.t, refusals, onePerField),
          values: body,
        })
      return reply.redirect(`/people/${prisonNumber}/needs-assessment?done=assessment`, 303)
    },
  )
  app.get(
    '/people/:prisonNumber/needs-assessment/:version',
    { schema: { params: VersionParams }, config: { permission: 'regime.assess' } },
    async (request, reply) => {
      const { prisonNumber, version } = request.params
      const view = await regime.viewAssessmentVersion(actorOf(request), prisonNumber, version)
      return reply.header('cache-control', 'no-store').page('regime/views/assessment-version.njk', {
        ...view,
        domains: assessmentDomains,
        tabs: request.personTabs(view.person.prisonNumber, 'needs-assessment'),
        subPageTitle: request.t('regime.assessment.versionTitle', { version }),
      })
    },
  )

  // The JSON API over the same services (audited the same way).
  app.get('/api/regime/offer', { config: { permission: 'regime.view' } }, async (request) => {
    const { activities, usableSlotCount } = await regime.viewOffer(actorOf(request), {})
    return { activities, usableSlotCount }
  })
  app.get(
    '/api/people/:prisonNumber/needs-assessment',
    { schema: { params: PersonParams }, config: { permission: 'regime.assess' } },
    async (request) => {
      const { prisonNumber } = request.params
      const { person, latest, wants, due } = await regime.viewAssessment(actorOf(request), prisonNumber)
      return { prisonNumber: person.prisonNumber, latest, wants, due }
    },
  )

  app.get('/needs-assessments', { config: { permission: 'regime.assess' } }, async (request, reply) => {
    const view = await regime.dueAssessments(actorOf(request))
    return reply.header('cache-control', 'no-store').page('regime/views/due.njk', view)
  })

  // -------------------------------------------------------------------------------------------------------
  // Population needs analysis (R8)

  app.get('/needs-analysis', { config: { permission: 'regime.needs-analysis' } }, async (request, reply) => {
    const view = await regime.needsAnalysis(actorOf(request))
    return reply.page('regime/views/analysis.njk', {
      ...view,
      canSeePeople: hasPermission(actorOf(request).role, 'regime.assess'),
    })
  })
  app.get('/needs-analysis.csv', { config: { permission: 'regime.needs-analysis' } }, async (request, reply) => {
    const csv = await regime.needsAnalysisCsv(actorOf(request))
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="needs-analysis-${actorOf(request).establishmentCode}.csv"`)
      .send(csv)
  })
  app.get('/needs-analysis/people', { config: { permission: 'regime.assess' } }, async (request, reply) => {
    if (!hasPermission(actorOf(request).role, 'regime.needs-analysis')) throw new Forbidden()
    const parsed = GapQuery.safeParse(request.query)
    if (!parsed.success) return reply.redirect('/needs-analysis', 303)
    const view = await regime.peopleBehindGap(actorOf(request), parsed.data.need, parsed.data.cohort)
    return reply.header('cache-control', 'no-store').page('regime/views/gap-people.njk', view)
  })
}
