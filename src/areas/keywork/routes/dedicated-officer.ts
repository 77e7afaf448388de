import { z } from 'zod'
import { hasPermission } from '../../../platform/permissions.ts'
import { PersonParams } from '../../../platform/person-page.ts'
import { deallocationReasons, type Refusal } from '../rules.ts'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import { formPageOf, registerFormPage, registerFormPost } from '../../../platform/form-page.ts'
import { flagTexts, noticeOf, personPageFrame, withRefusalTexts, type KeyworkRoutesOptions } from './shared.ts'

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
  const showDedicatedOfficer = formPageOf(
    'keywork/views/dedicated-officer.njk',
    async (request, { prisonNumber }: { prisonNumber: string }) => {
      const actor = actorOf(request)
      const view = await keywork.viewDedicatedOfficer(actor, prisonNumber)
      return {
        ...view,
        ...personPageFrame(request, view, 'dedicated-officer', 'keywork.person.title'),
        flagTexts: flagTexts(request.t, view.flags),
        // Those who can take the person to choose from; the others listed apart with the reason they cannot.
        eligible: view.officers.filter((officer) => officer.refusal === null),
        ineligible: withRefusalTexts(
          request.t,
          view.officers.filter((officer) => officer.refusal !== null),
        ),
        deallocationReasons,
        canAllocate: hasPermission(actor.role, 'keywork.allocate'),
        canRaiseChangeRequest: hasPermission(actor.role, 'keywork.raise-change-request'),
        notice: noticeOf(request),
      }
    },
  )

  app.get(
    '/people/:prisonNumber/dedicated-officer',
    { schema: { params: PersonParams }, config: { permission: 'keywork.view' } },
    async (request, reply) => showDedicatedOfficer(request, reply, request.params),
  )

  registerFormPost(app, {
    path: '/people/:prisonNumber/dedicated-officer',
    params: PersonParams,
    permission: 'keywork.allocate',
    show: showDedicatedOfficer,
    form: AllocateForm,
    messages: { staffUserId: 'keywork.allocate.error.choose' },
    save: (actor, { prisonNumber }, form) => keywork.allocate(actor, prisonNumber, form.staffUserId),
    next: ({ prisonNumber }) => `/people/${prisonNumber}/dedicated-officer`,
    done: 'allocated',
  })

  registerFormPost(app, {
    path: '/people/:prisonNumber/dedicated-officer/end',
    params: PersonParams,
    permission: 'keywork.allocate',
    show: showDedicatedOfficer,
    form: DeallocateForm,
    messages: { reason: 'keywork.deallocate.error.reason' },
    save: (actor, { prisonNumber }, form) => keywork.deallocate(actor, prisonNumber, form.reason),
    next: ({ prisonNumber }) => `/people/${prisonNumber}/dedicated-officer`,
    done: 'deallocated',
  })
}

/** K1: a person with a high complexity of need, allocated by hand to a named specialist. */
export function registerSpecialistNeedRoutes(app: AreaRoutes, { keywork }: KeyworkRoutesOptions) {
  registerFormPage(app, {
    path: '/people/:prisonNumber/dedicated-officer/specialist',
    params: PersonParams,
    permission: 'keywork.allocate',
    show: formPageOf('keywork/views/specialist-need.njk', async (request, { prisonNumber }) => {
      const view = await keywork.viewSpecialistNeed(actorOf(request), prisonNumber)
      return { ...view, ...personPageFrame(request, view, 'dedicated-officer', 'keywork.specialist.title') }
    }),
    form: SpecialistForm,
    messages: specialistMessages,
    save: (actor, { prisonNumber }, form) =>
      keywork.decideSpecialistNeed(actor, prisonNumber, {
        needsSpecialist: form.needsSpecialist === 'yes',
        reason: form.reason,
      }),
    next: ({ prisonNumber }) => `/people/${prisonNumber}/dedicated-officer`,
    done: 'specialist',
  })
}
