import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { NavigationItem, PersonTab } from '../../platform/navigation.ts'
import { hasPermission } from '../../platform/permissions.ts'
import { PersonParams } from '../../platform/person-page.ts'
import {
  keyCourses,
  organisationKinds,
  peerSchemes,
  staffStatuses,
  supervisionKinds,
  trainingCourses,
  type FieldProblem,
} from './rules.ts'
import type { PeerSupporterService, StaffService } from './service.ts'
import { type AreaRoutes, actorOf } from '../../platform/area.ts'

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
  organisation: z.string().max(40).optional().catch(undefined),
  gap: z.enum(['expired-or-missing', 'expiring-soon']).optional().catch(undefined),
  supervision: z.enum(['overdue']).optional().catch(undefined),
  without: z.enum(['acct', 'health-and-social-care']).optional().catch(undefined),
  done: z.enum(['training', 'supervision', 'status']).optional().catch(undefined),
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

/** Problems as the layout's error summary and the fields show them, in the user's language. */
function errorsOf(request: FastifyRequest, problems: FieldProblem[]) {
  return problems.map((problem) => ({
    field: problem.field,
    message: request.t(problem.messageKey),
    text: request.t(problem.messageKey),
    href: `#${problem.field}${/On$/.test(problem.field) ? '-day' : ''}`,
  }))
}

const trainingForm = { view: 'record-training', choices: { courses: trainingCourses } }
const supervisionForm = { view: 'record-supervision', choices: { kinds: supervisionKinds } }

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
  app.get(
    '/people/:prisonNumber/peer-support',
    { schema: { params: PersonParams }, config: { permission: 'peer-supporters.view' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const view = await peerSupporters.viewPersonRoles(actorOf(request), prisonNumber)
      return reply.page('staff/views/person-peer-support.njk', {
        ...view,
        tabs: request.personTabs(view.person.prisonNumber, 'peer-support'),
      })
    },
  )

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
        organisationId: query.organisation,
        gap: query.gap,
        supervisionOverdue: query.supervision === 'overdue',
        without: query.without,
      })
      return reply.page('staff/views/staff-list.njk', {
        list,
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
  const SettingsBody = z.object({ supervisionIntervalWeeks: text(10) })
  const showSettings = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string> | null,
    problems: FieldProblem[] = [],
    saved = false,
  ) => {
    const settings = await staff.staffSettings(actorOf(request))
    return reply.page('staff/views/staff-settings.njk', {
      values: values ?? { supervisionIntervalWeeks: String(settings.supervisionIntervalWeeks) },
      errors: errorsOf(request, problems),
      saved,
    })
  }
  app.get('/staff/settings', { config: { permission: 'staff.settings' } }, async (request, reply) => {
    const { done } = z.object({ done: z.enum(['saved']).optional().catch(undefined) }).parse(request.query)
    return showSettings(request, reply, null, [], done === 'saved')
  })
  app.post('/staff/settings', { config: { permission: 'staff.settings' } }, async (request, reply) => {
    const body = SettingsBody.parse(request.body ?? {})
    const refusal = await staff.saveStaffSettings(actorOf(request), body)
    if (refusal) return showSettings(request, reply.code(400), body, refusal.problems)
    return reply.redirect('/staff/settings?done=saved', 303)
  })

  app.get(
    '/staff/:staffUserId',
    { schema: { params: StaffParams, querystring: StaffListQuery }, config: { permission: 'staff.view' } },
    async (request, reply) => {
      const { staffUserId } = request.params
      const { done } = request.query
      const view = await staff.viewStaffMember(actorOf(request), staffUserId)
      return reply.page('staff/views/staff-member.njk', {
        ...view,
        done,
        canManage: hasPermission(actorOf(request).role, 'staff.manage'),
      })
    },
  )
}

/** P1, P2, K1: what is recorded about one member of staff: training, supervision and their status. */
function registerStaffRecordRoutes(app: AreaRoutes, staff: StaffService) {
  type Member = Awaited<ReturnType<StaffService['findStaffOrThrow']>>
  /** A form about one staff member: empty, as the member is now, or again with what was typed and its problems. */
  const showMemberForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    staffUserId: string,
    form: {
      view: string
      choices: Record<string, unknown>
      values: Record<string, string> | ((member: Member) => Record<string, string>)
      problems?: FieldProblem[]
    },
  ) => {
    const member = await staff.findStaffOrThrow(actorOf(request), staffUserId)
    return reply.page(`staff/views/${form.view}.njk`, {
      member,
      ...form.choices,
      values: typeof form.values === 'function' ? form.values(member) : form.values,
      errors: errorsOf(request, form.problems ?? []),
    })
  }

  app.get(
    '/staff/:staffUserId/training/new',
    { schema: { params: StaffParams }, config: { permission: 'staff.manage' } },
    async (request, reply) => {
      const { staffUserId } = request.params
      return showMemberForm(request, reply, staffUserId, { ...trainingForm, values: {} })
    },
  )

  app.post(
    '/staff/:staffUserId/training/new',
    { schema: { params: StaffParams }, config: { permission: 'staff.manage' } },
    async (request, reply) => {
      const { staffUserId } = request.params
      const body = TrainingBody.parse(request.body ?? {}) as Record<string, string>
      const refusal = await staff.recordTraining(actorOf(request), staffUserId, {
        course: body.course ?? '',
        isJoint: body.isJoint === 'yes',
        completedOn: partsOf(body, 'completedOn'),
        expiresOn: partsOf(body, 'expiresOn'),
      })
      if (refusal)
        return showMemberForm(request, reply.code(400), staffUserId, {
          ...trainingForm,
          values: body,
          problems: refusal.problems,
        })
      return reply.redirect(`/staff/${staffUserId}?done=training`, 303)
    },
  )

  app.get(
    '/staff/:staffUserId/supervision/new',
    { schema: { params: StaffParams }, config: { permission: 'staff.manage' } },
    async (request, reply) => {
      const { staffUserId } = request.params
      return showMemberForm(request, reply, staffUserId, { ...supervisionForm, values: {} })
    },
  )

  app.post(
    '/staff/:staffUserId/supervision/new',
    { schema: { params: StaffParams }, config: { permission: 'staff.manage' } },
    async (request, reply) => {
      const { staffUserId } = request.params
      const body = SupervisionBody.parse(request.body ?? {}) as Record<string, string>
      const refusal = await staff.recordSupervision(actorOf(request), staffUserId, {
        kind: body.kind ?? '',
        supervisor: body.supervisor ?? '',
        heldOn: partsOf(body, 'heldOn'),
      })
      if (refusal)
        return showMemberForm(request, reply.code(400), staffUserId, {
          ...supervisionForm,
          values: body,
          problems: refusal.problems,
        })
      return reply.redirect(`/staff/${staffUserId}?done=supervision`, 303)
    },
  )

  const showStatusForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    staffUserId: string,
    values: Record<string, string> | null,
    problems: FieldProblem[] = [],
  ) =>
    showMemberForm(request, reply, staffUserId, {
      view: 'change-status',
      choices: { statuses: staffStatuses, organisations: await staff.listOrganisations() },
      values: values ?? statusFormOf,
      problems,
    })

  app.get(
    '/staff/:staffUserId/status',
    { schema: { params: StaffParams }, config: { permission: 'staff.manage' } },
    async (request, reply) => {
      const { staffUserId } = request.params
      return showStatusForm(request, reply, staffUserId, null)
    },
  )

  app.post(
    '/staff/:staffUserId/status',
    { schema: { params: StaffParams }, config: { permission: 'staff.manage' } },
    async (request, reply) => {
      const { staffUserId } = request.params
      const body = StatusBody.parse(request.body ?? {}) as Record<string, string>
      const refusal = await staff.changeStatus(actorOf(request), staffUserId, {
        status: body.status ?? '',
        caseloadLimit: body.caseloadLimit ?? '',
        organisationId: body.organisationId ?? '',
        reactivationOn: partsOf(body, 'reactivationOn'),
      })
      if (refusal) return showStatusForm(request, reply.code(400), staffUserId, body, refusal.problems)
      return reply.redirect(`/staff/${staffUserId}?done=status`, 303)
    },
  )
}

/** P3: the prison service and partner organisations. */
function registerOrganisationRoutes(app: AreaRoutes, staff: StaffService) {
  app.get('/organisations', { config: { permission: 'staff.view' } }, async (request, reply) => {
    const { done } = z.object({ done: z.enum(['added', 'changed']).optional().catch(undefined) }).parse(request.query)
    return reply.page('staff/views/organisations.njk', {
      organisations: await staff.viewOrganisations(actorOf(request)),
      done,
      canManage: hasPermission(actorOf(request).role, 'staff.manage'),
      canChange: hasPermission(actorOf(request).role, 'organisations.manage'),
    })
  })

  const showOrganisationForm = (
    request: FastifyRequest,
    reply: FastifyReply,
    organisation: { id: string; name: string } | null,
    values: Record<string, string>,
    problems: FieldProblem[] = [],
  ) =>
    reply.page('staff/views/organisation-form.njk', {
      organisation,
      kinds: organisationKinds,
      values,
      errors: errorsOf(request, problems),
    })

  app.get('/organisations/new', { config: { permission: 'staff.manage' } }, async (request, reply) =>
    showOrganisationForm(request, reply, null, {}),
  )

  app.post('/organisations/new', { config: { permission: 'staff.manage' } }, async (request, reply) => {
    const body = OrganisationBody.parse(request.body ?? {})
    const outcome = await staff.addOrganisation(actorOf(request), body)
    if ('problems' in outcome) return showOrganisationForm(request, reply.code(400), null, body, outcome.problems)
    return reply.redirect('/organisations?done=added', 303)
  })

  app.get(
    '/organisations/:organisationId',
    { schema: { params: OrganisationParams }, config: { permission: 'organisations.manage' } },
    async (request, reply) => {
      const { organisationId } = request.params
      const organisation = await staff.findOrganisationOrThrow(organisationId)
      return showOrganisationForm(request, reply, organisation, organisation)
    },
  )

  app.post(
    '/organisations/:organisationId',
    { schema: { params: OrganisationParams }, config: { permission: 'organisations.manage' } },
    async (request, reply) => {
      const { organisationId } = request.params
      const body = OrganisationBody.parse(request.body ?? {})
      const refusal = await staff.changeOrganisation(actorOf(request), organisationId, body)
      if (refusal) {
        const organisation = await staff.findOrganisationOrThrow(organisationId)
        return showOrganisationForm(request, reply.code(400), organisation, body, refusal.problems)
      }
      return reply.redirect('/organisations?done=changed', 303)
    },
  )
}

/** P4: the peer supporters of the prison, added and ended. */
function registerPeerSupporterRoutes(app: AreaRoutes, peerSupporters: PeerSupporterService) {
  app.get('/peer-supporters', { config: { permission: 'peer-supporters.view' } }, async (request, reply) => {
    const { done } = z.object({ done: z.enum(['added', 'ended']).optional().catch(undefined) }).parse(request.query)
    const view = await peerSupporters.viewPeerSupporters(actorOf(request))
    return reply.page('staff/views/peer-supporters.njk', {
      ...view,
      done,
      canManage: hasPermission(actorOf(request).role, 'peer-supporters.manage'),
    })
  })

  const showAddForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string>,
    problems: FieldProblem[] = [],
  ) => {
    const wings = await peerSupporters.wingsOf(actorOf(request))
    return reply.page('staff/views/add-peer-supporter.njk', {
      wings,
      schemes: peerSchemes,
      values,
      errors: errorsOf(request, problems),
    })
  }

  app.get('/peer-supporters/new', { config: { permission: 'peer-supporters.manage' } }, async (request, reply) =>
    showAddForm(request, reply, {}),
  )

  app.post('/peer-supporters/new', { config: { permission: 'peer-supporters.manage' } }, async (request, reply) => {
    const body = PeerBody.parse(request.body ?? {}) as Record<string, string>
    const refusal = await peerSupporters.addPeerSupporter(actorOf(request), {
      prisonNumber: body.prisonNumber ?? '',
      scheme: body.scheme ?? '',
      wingId: body.wingId ?? '',
      startedOn: partsOf(body, 'startedOn'),
    })
    if (refusal) return showAddForm(request, reply.code(400), body, refusal.problems)
    return reply.redirect('/peer-supporters?done=added', 303)
  })

  const showEndForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    values: Record<string, string>,
    problems: FieldProblem[] = [],
  ) => {
    const role = await peerSupporters.findCurrentOrThrow(actorOf(request), id)
    return reply.page('staff/views/end-peer-supporter.njk', { role, values, errors: errorsOf(request, problems) })
  }

  app.get(
    '/peer-supporters/:id/end',
    { schema: { params: PeerParams }, config: { permission: 'peer-supporters.manage' } },
    async (request, reply) => {
      const { id } = request.params
      return showEndForm(request, reply, id, {})
    },
  )

  app.post(
    '/peer-supporters/:id/end',
    { schema: { params: PeerParams }, config: { permission: 'peer-supporters.manage' } },
    async (request, reply) => {
      const { id } = request.params
      const body = EndBody.parse(request.body ?? {}) as Record<string, string>
      const refusal = await peerSupporters.endPeerSupporter(actorOf(request), id, partsOf(body, 'endedOn'))
      if (refusal) return showEndForm(request, reply.code(400), id, body, refusal.problems)
      return reply.redirect('/peer-supporters?done=ended', 303)
    },
  )
}
