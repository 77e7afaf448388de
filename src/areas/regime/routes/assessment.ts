import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { fieldErrors, schemaErrors, type FieldError } from '../../../platform/forms.ts'
import { PersonParams } from '../../../platform/person-page.ts'
import { assessmentDomains, categories, questionNames, type Answers, type Refusal } from '../rules.ts'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import { noticeOf, onePerField, type RegimeRoutesDeps } from './shared.ts'

const VersionParams = z.object({
  prisonNumber: z.string().max(20),
  version: z.coerce.number().int().min(1).max(10_000),
})

const AssessmentForm = z.object({
  kind: z.enum(['reception', 'induction', 'review']),
  healthContact: z.string().trim().max(120).default(''),
  wishes: z.string().trim().max(2000).default(''),
  wish1: z.string().max(40).default(''),
  wish2: z.string().max(40).default(''),
  wish3: z.string().max(40).default(''),
})

/** R1: a person's needs assessment, its versions, the JSON API over it, and who is due one. */
export function registerAssessmentRoutes(app: AreaRoutes, { regime }: RegimeRoutesDeps) {
  // -------------------------------------------------------------------------------------------------------
  // Needs assessment (R1)

  app.get(
    '/people/:prisonNumber/needs-assessment',
    { schema: { params: PersonParams }, config: { permission: 'regime.assess' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const view = await regime.viewAssessment(actorOf(request), prisonNumber)
      return reply.page('regime/views/assessment.njk', {
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
    return reply.page('regime/views/assessment-form.njk', {
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
      return reply.page('regime/views/assessment-version.njk', {
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
    return reply.page('regime/views/due.njk', view)
  })
}
