import { z } from 'zod'
import { formPageOf, registerFormPage } from '../../platform/form-page.ts'
import type { FormAnswer } from '../../platform/forms.ts'
import { DrawnField, settingsForm } from '../../platform/prison-settings.ts'
import type { NavigationItem, PersonTab } from '../../platform/navigation.ts'
import { doneOf } from '../../platform/notices.ts'
import { PageNumber, pageLinks } from '../../platform/pagination.ts'
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import { PersonParams } from '../../platform/person-page.ts'
import {
  keyCourses,
  organisationKinds,
  peerSchemes,
  staffStatuses,
  supervisionKinds,
  trainingCourses,
} from './rules.ts'
import type { PeerSupporterService, Refused, StaffService } from './service.ts'
import { type AreaRoutes, actorOf } from '../../platform/area.ts'
import { registerViewPage } from '../../platform/view-page.ts'

export const staffNavigation: readonly NavigationItem[] = [
  { messageKey: 'staff.navigation', href: '/staff', permission: 'staff.view' },
  { messageKey: 'peer.navigation', href: '/peer-supporters', permission: 'peer-supporters.view' },
]

/** P4: a person's peer supporter roles, on their record. */
export const peerSupportTab: PersonTab = {
  messageKey: 'peer.tab',
  path: 'peer-support',
  permission: 'peer-supporters.view',
}

const StaffParams = z.object({ staffUserId: z.string().max(40) })
const PeerParams = z.object({ id: z.string().max(40) })
const OrganisationParams = z.object({ organisationId: z.string().max(40) })

const StaffListQuery = z.object({
  search: z.string().max(100).optional().catch(undefined),
  page: PageNumber,
  organisation: z.string().max(40).optional().catch(undefined),
  gap: z.enum(['expired-or-missing', 'expiring-soon']).optional().catch(undefined),
  supervision: z.enum(['overdue']).optional().catch(undefined),
  without: z.enum(['acct', 'health-and-social-care']).optional().catch(undefined),
})

const text = (max: number) => z.string().max(max).optional().default('')
const dateFields = (name: string) => ({
  [`${name}-day`]: text(10),
  [`${name}-month`]: text(10),
  [`${name}-year`]: text(10),
})
const partsOf = (body: Record<string, string>, name: string) => ({
  day: body[`${name}-day`],
  month: body[`${name}-month`],
  year: body[`${name}-year`],
})

const TrainingBody = z.object({
  course: text(40),
  isJoint: text(10),
  ...dateFields('completedOn'),
  ...dateFields('expiresOn'),
})
const SupervisionBody = z.object({ kind: text(40), supervisor: text(200), ...dateFields('heldOn') })
const StatusBody = z.object({
  status: text(40),
  caseloadLimit: text(10),
  organisationId: text(40),
  ...dateFields('reactivationOn'),
})
const PeerBody = z.object({ prisonNumber: text(20), scheme: text(40), wingId: text(12), ...dateFields('startedOn') })
const EndBody = z.object({ ...dateFields('endedOn') })
const OrganisationBody = z.object({ name: text(400), kind: text(40), services: text(4000) })
const SettingsBody = z.object({ supervisionIntervalWeeks: text(10), drawn: DrawnField })

/**
 * The staff area's use cases answer a refused form as `{ problems }`, every problem at once: as the form
 * pipeline takes them, a list (nothing stored) or what was stored.
 */
function answerOf<Stored>(outcome: Refused | Stored): FormAnswer<Stored> {
  return typeof outcome === 'object' && outcome !== null && 'problems' in outcome ? outcome.problems : outcome
}

/** The status form as the staff member is now. */
function statusFormOf(member: {
  staffStatus: string
  organisationId: string | null
  caseloadLimit: number | null
  reactivationOn: string | null
}): Record<string, string> {
  const [year, month, day] = member.reactivationOn?.split('-') ?? ['', '', '']
  return {
    status: member.staffStatus,
    organisationId: member.organisationId ?? '',
    caseloadLimit: member.caseloadLimit === null ? '' : String(member.caseloadLimit),
    'reactivationOn-day': day ? String(Number(day)) : '',
    'reactivationOn-month': month ? String(Number(month)) : '',
    'reactivationOn-year': year ?? '',
  }
}

export function registerStaffRoutes(
  app: AreaRoutes,
  { staff, peerSupporters }: { staff: StaffService; peerSupporters: PeerSupporterService },
) {
  registerViewPage(app, {
    path: '/people/:prisonNumber/peer-support',
    params: PersonParams,
    permission: 'peer-supporters.view',
    template: 'staff/views/person-peer-support.njk',
    view: (actor, { prisonNumber }) => peerSupporters.viewPersonRoles(actor, prisonNumber),
    extras: (request, view) => ({ tabs: request.personTabs(view.person.prisonNumber, 'peer-support') }),
  })

  registerStaffListRoutes(app, staff)
  registerStaffRecordRoutes(app, staff)
  registerOrganisationRoutes(app, staff)
  registerPeerSupporterRoutes(app, peerSupporters)
}

/** P1, P2: the staff list, the staff settings, and one member's page. */
function registerStaffListRoutes(app: AreaRoutes, staff: StaffService) {
  app.get(
    '/staff',
    { schema: { querystring: StaffListQuery }, config: { permission: 'staff.view' } },
    async (request, reply) => {
      const query = request.query
      const list = await staff.viewStaffList(actorOf(request), {
        search: query.search,
        page: query.page,
        organisationId: query.organisation,
        gap: query.gap,
        supervisionOverdue: query.supervision === 'overdue',
        without: query.without,
      })
      const filters = {
        search: query.search?.trim(),
        organisation: query.organisation,
        gap: query.gap,
        supervision: query.supervision,
        without: query.without,
      }
      return reply.page('staff/views/staff-list.njk', {
        list,
        // The layout's title says which page of the list this is.
        page: list.page,
        pageCount: list.pageCount,
        pageLink: pageLinks('/staff', filters),
        search: query.search ?? '',
        keyCourses,
        organisationKinds,
        organisation: query.organisation ?? '',
        gap: query.gap ?? '',
        supervision: query.supervision ?? '',
        without: query.without ?? '',
        canChangeSettings: hasPermission(actorOf(request).role, 'staff.settings'),
      })
    },
  )

  // P2: how often staff at this prison are due supervision
  registerFormPage(app, {
    path: '/staff/settings',
    permission: 'staff.settings',
    show: formPageOf('staff/views/staff-settings.njk', async (request, _params, sentBack) => {
      const settings = await staff.staffSettings(actorOf(request))
      return {
        ...settingsForm(settings, sentBack, (saved) => ({
          supervisionIntervalWeeks: String(saved.supervisionIntervalWeeks),
        })),
        saved: !sentBack && request.done?.word === 'saved',
      }
    }),
    form: SettingsBody,
    messages: {},
    save: async (actor, _params, { drawn, ...form }) => answerOf(await staff.saveStaffSettings(actor, form, drawn)),
    next: () => '/staff/settings',
    done: 'saved',
  })

  app.get(
    '/staff/:staffUserId',
    { schema: { params: StaffParams }, config: { permission: 'staff.view' } },
    async (request, reply) => {
      const { staffUserId } = request.params
      const view = await staff.viewStaffMember(actorOf(request), staffUserId)
      return reply.page('staff/views/staff-member.njk', {
        ...view,
        done: doneOf(request, ['training', 'supervision', 'status']),
        canManage: hasPermission(actorOf(request).role, 'staff.manage'),
      })
    },
  )
}

/** P1, P2, K1: what is recorded about one member of staff: training, supervision and their status. */
function registerStaffRecordRoutes(app: AreaRoutes, staff: StaffService) {
  type Member = Awaited<ReturnType<StaffService['findStaffOrThrow']>>
  /**
   * A form about one member of staff, on a page of its own (`staff/views/<path>.njk`) with the choices it
   * offers: new (empty, or as the member is now) or again with what was typed and its problems. Once stored,
   * back to the member's page, saying what was done.
   */
  function registerMemberForm<Form>(form: {
    path: string
    view: string
    choices: () => Promise<Record<string, unknown>>
    valuesOf?: (member: Member) => Record<string, string>
    schema: z.ZodType<Form>
    dateInputs: readonly string[]
    save: (actor: Actor, staffUserId: string, form: Form) => Promise<Refused | null>
    done: string
  }) {
    registerFormPage(app, {
      path: `/staff/:staffUserId/${form.path}`,
      params: StaffParams,
      permission: 'staff.manage',
      show: formPageOf(`staff/views/${form.view}.njk`, async (request, { staffUserId }, sentBack) => {
        const member = await staff.findStaffOrThrow(actorOf(request), staffUserId)
        return {
          member,
          ...(await form.choices()),
          ...(form.valuesOf && !sentBack && { values: form.valuesOf(member) }),
        }
      }),
      form: form.schema,
      messages: {},
      dateInputs: form.dateInputs,
      save: async (actor, { staffUserId }, sent) => answerOf(await form.save(actor, staffUserId, sent)),
      next: ({ staffUserId }) => `/staff/${staffUserId}`,
      done: form.done,
    })
  }

  registerMemberForm({
    path: 'training/new',
    view: 'record-training',
    choices: async () => ({ courses: trainingCourses }),
    schema: TrainingBody,
    dateInputs: ['completedOn', 'expiresOn'],
    save: (actor, staffUserId, form) =>
      staff.recordTraining(actor, staffUserId, {
        course: form.course,
        isJoint: form.isJoint === 'yes',
        completedOn: partsOf(form, 'completedOn'),
        expiresOn: partsOf(form, 'expiresOn'),
      }),
    done: 'training',
  })

  registerMemberForm({
    path: 'supervision/new',
    view: 'record-supervision',
    choices: async () => ({ kinds: supervisionKinds }),
    schema: SupervisionBody,
    dateInputs: ['heldOn'],
    save: (actor, staffUserId, form) =>
      staff.recordSupervision(actor, staffUserId, {
        kind: form.kind,
        supervisor: form.supervisor,
        heldOn: partsOf(form, 'heldOn'),
      }),
    done: 'supervision',
  })

  registerMemberForm({
    path: 'status',
    view: 'change-status',
    choices: async () => ({ statuses: staffStatuses, organisations: await staff.listOrganisations() }),
    valuesOf: statusFormOf,
    schema: StatusBody,
    dateInputs: ['reactivationOn'],
    save: (actor, staffUserId, form) =>
      staff.changeStatus(actor, staffUserId, {
        status: form.status,
        caseloadLimit: form.caseloadLimit,
        organisationId: form.organisationId,
        reactivationOn: partsOf(form, 'reactivationOn'),
      }),
    done: 'status',
  })
}

/** P3: the prison service and partner organisations. */
function registerOrganisationRoutes(app: AreaRoutes, staff: StaffService) {
  app.get('/organisations', { config: { permission: 'staff.view' } }, async (request, reply) => {
    return reply.page('staff/views/organisations.njk', {
      organisations: await staff.viewOrganisations(actorOf(request)),
      done: doneOf(request, ['added', 'changed']),
      canManage: hasPermission(actorOf(request).role, 'staff.manage'),
      canChange: hasPermission(actorOf(request).role, 'organisations.manage'),
    })
  })

  registerFormPage(app, {
    path: '/organisations/new',
    permission: 'staff.manage',
    show: formPageOf('staff/views/organisation-form.njk', async () => ({
      organisation: null,
      kinds: organisationKinds,
    })),
    form: OrganisationBody,
    messages: {},
    save: async (actor, _params, form) => answerOf(await staff.addOrganisation(actor, form)),
    next: () => '/organisations',
    done: 'added',
  })

  registerFormPage(app, {
    path: '/organisations/:organisationId',
    params: OrganisationParams,
    permission: 'organisations.manage',
    show: formPageOf('staff/views/organisation-form.njk', async (_request, { organisationId }, sentBack) => {
      const organisation = await staff.findOrganisationOrThrow(organisationId)
      return { organisation, kinds: organisationKinds, ...(!sentBack && { values: organisation }) }
    }),
    form: OrganisationBody,
    messages: {},
    save: async (actor, { organisationId }, form) =>
      answerOf(await staff.changeOrganisation(actor, organisationId, form)),
    next: () => '/organisations',
    done: 'changed',
  })
}

/** P4: the peer supporters of the prison, added and ended. */
function registerPeerSupporterRoutes(app: AreaRoutes, peerSupporters: PeerSupporterService) {
  registerViewPage(app, {
    path: '/peer-supporters',
    permission: 'peer-supporters.view',
    template: 'staff/views/peer-supporters.njk',
    view: (actor) => peerSupporters.viewPeerSupporters(actor),
    extras: (request) => ({
      done: doneOf(request, ['added', 'ended']),
      canManage: hasPermission(actorOf(request).role, 'peer-supporters.manage'),
    }),
  })

  registerFormPage(app, {
    path: '/peer-supporters/new',
    permission: 'peer-supporters.manage',
    show: formPageOf('staff/views/add-peer-supporter.njk', async (request) => ({
      wings: await peerSupporters.wingsOf(actorOf(request)),
      schemes: peerSchemes,
    })),
    form: PeerBody,
    messages: {},
    dateInputs: ['startedOn'],
    save: async (actor, _params, form) =>
      answerOf(
        await peerSupporters.addPeerSupporter(actor, {
          prisonNumber: form.prisonNumber,
          scheme: form.scheme,
          wingId: form.wingId,
          startedOn: partsOf(form, 'startedOn'),
        }),
      ),
    next: () => '/peer-supporters',
    done: 'added',
  })

  registerFormPage(app, {
    path: '/peer-supporters/:id/end',
    params: PeerParams,
    permission: 'peer-supporters.manage',
    show: formPageOf('staff/views/end-peer-supporter.njk', async (request, { id }) => ({
      role: await peerSupporters.findCurrentOrThrow(actorOf(request), id),
    })),
    form: EndBody,
    messages: {},
    dateInputs: ['endedOn'],
    save: async (actor, { id }, form) =>
      answerOf(await peerSupporters.endPeerSupporter(actor, id, partsOf(form, 'endedOn'))),
    next: () => '/peer-supporters',
    done: 'ended',
  })
}
