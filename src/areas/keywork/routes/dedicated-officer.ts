import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { fieldErrors, schemaErrors, type FieldError } from '../../../platform/forms.ts'
import { hasPermission } from '../../../platform/permissions.ts'
import { PersonParams } from '../../../platform/person-page.ts'
import { deallocationReasons, type Refusal } from '../rules.ts'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import { flagTexts, labelled, noticeOf, type KeyworkRoutesOptions } from './shared.ts'

const AllocateForm = z.object({ staffUserId: z.string().uuid() })
const DeallocateForm = z.object({ reason: z.enum(deallocationReasons) })
const SpecialistForm = z.object({
  needsSpecialist: z.enum(['yes', 'no']),
  reason: z.string().trim().min(1).max(1000),
})
const specialistMessages: Record<string, Refusal> = {
  needsSpecialist: { field: 'needsSpecialist', messageKey: 'keywork.specialist.error.choose', values: {} },
  reason: { field: 'reason', messageKey: 'keywork.specialist.error.reason', values: {} },
}

/** K1-K3: a person's dedicated officer. */
export function registerDedicatedOfficerRoutes(app: AreaRoutes, { keywork }: KeyworkRoutesOptions) {
  async function showDedicatedOfficer(
    request: FastifyRequest,
    reply: FastifyReply,
    prisonNumber: string,
    extra: { errors?: FieldError[]; values?: unknown } = {},
  ) {
    const actor = actorOf(request)
    const view = await keywork.viewDedicatedOfficer(actor, prisonNumber)
    return reply.header('cache-control', 'no-store').page('keywork/views/dedicated-officer.njk', {
      ...view,
      ...labelled(view.policy, request.language),
      flagTexts: flagTexts(request.t, view.flags),
      // Eligible officers first; the others stay listed with the reason they cannot take the person.
      officers: view.officers
        .map((officer) => ({
          ...officer,
          refusalText: officer.refusal ? request.t(officer.refusal.messageKey, officer.refusal.values) : null,
        }))
        .sort((a, b) => Number(a.refusal !== null) - Number(b.refusal !== null)),
      deallocationReasons,
      canAllocate: hasPermission(actor.role, 'keywork.allocate'),
      canRaiseChangeRequest: hasPermission(actor.role, 'keywork.raise-change-request'),
      tabs: request.personTabs(view.person.prisonNumber, 'dedicated-officer'),
      subPageTitle: request.t('keywork.person.title'),
      errors: extra.errors ?? [],
      values: extra.values ?? {},
      notice: noticeOf(request),
    })
  }

  app.get(
    '/people/:prisonNumber/dedicated-officer',
    { schema: { params: PersonParams }, config: { permission: 'keywork.view' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      return showDedicatedOfficer(request, reply, prisonNumber)
    },
  )

  app.get(
    '/api/people/:prisonNumber/dedicated-officer',
    { schema: { params: PersonParams }, config: { permission: 'keywork.view' } },
    async (request) => {
      const { prisonNumber } = request.params
      return keywork.viewDedicatedOfficer(actorOf(request), prisonNumber)
    },
  )

  app.post(
    '/people/:prisonNumber/dedicated-officer',
    { schema: { params: PersonParams }, config: { permission: 'keywork.allocate' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const form = AllocateForm.safeParse(request.body)
      const refusal = form.success
        ? await keywork.allocate(actorOf(request), prisonNumber, form.data.staffUserId)
        : { field: 'staffUserId', messageKey: 'keywork.allocate.error.choose', values: {} }
      if (refusal)
        return showDedicatedOfficer(request, reply.code(400), prisonNumber, {
          errors: fieldErrors(request.t, [refusal]),
          values: request.body,
        })
      return reply.redirect(`/people/${prisonNumber}/dedicated-officer?done=allocated`, 303)
    },
  )

  app.post(
    '/people/:prisonNumber/dedicated-officer/end',
    { schema: { params: PersonParams }, config: { permission: 'keywork.allocate' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const form = DeallocateForm.safeParse(request.body)
      const refusal = form.success
        ? await keywork.deallocate(actorOf(request), prisonNumber, form.data.reason)
        : { field: 'reason', messageKey: 'keywork.deallocate.error.reason', values: {} }
      if (refusal)
        return showDedicatedOfficer(request, reply.code(400), prisonNumber, {
          errors: fieldErrors(request.t, [refusal]),
          values: request.body,
        })
      return reply.redirect(`/people/${prisonNumber}/dedicated-officer?done=deallocated`, 303)
    },
  )
}

/** K1: a person with a high complexity of need, allocated by hand to a named specialist. */
export function registerSpecialistNeedRoutes(app: AreaRoutes, { keywork }: KeyworkRoutesOptions) {
  async function showSpecialistNeed(
    request: FastifyRequest,
    reply: FastifyReply,
    prisonNumber: string,
    extra: { errors?: FieldError[]; values?: unknown } = {},
  ) {
    const actor = actorOf(request)
    const view = await keywork.viewSpecialistNeed(actor, prisonNumber)
    return reply.header('cache-control', 'no-store').page('keywork/views/specialist-need.njk', {
      ...view,
      ...labelled(view.policy, request.language),
      tabs: request.personTabs(view.person.prisonNumber, 'dedicated-officer'),
      subPageTitle: request.t('keywork.specialist.title'),
      errors: extra.errors ?? [],
      values: extra.values ?? {},
    })
  }
  app.get(
    '/people/:prisonNumber/dedicated-officer/specialist',
    { schema: { params: PersonParams }, config: { permission: 'keywork.allocate' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      return showSpecialistNeed(request, reply, prisonNumber)
    },
  )
  app.post(
    '/people/:prisonNumber/dedicated-officer/specialist',
    { schema: { params: PersonParams }, config: { permission: 'keywork.allocate' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const form = SpecialistForm.safeParse(request.body)
      const refusal = form.success
        ? await keywork.decideSpecialistNeed(actorOf(request), prisonNumber, {
            needsSpecialist: form.data.needsSpecialist === 'yes',
            reason: form.data.reason,
          })
        : null
      const errors = form.success
        ? fieldErrors(request.t, refusal ? [refusal] : [])
        : schemaErrors(request.t, form.error, specialistMessages)
      if (errors.length > 0)
        return showSpecialistNeed(request, reply.code(400), prisonNumber, { errors, values: request.body })
      return reply.redirect(`/people/${prisonNumber}/dedicated-officer?done=specialist`, 303)
    },
  )
}
