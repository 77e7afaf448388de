import { z } from 'zod'
import { formPageOf, registerFormPage } from '../../../platform/form-page.ts'
import { PersonParams } from '../../../platform/person-page.ts'
import { assessmentDomains, categories, questionNames, type Answers } from '../rules.ts'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import { noticeOf, type RegimeRoutesDeps } from './shared.ts'
import { registerViewPage } from '../../../platform/view-page.ts'

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

type AssessmentFormView = Awaited<ReturnType<RegimeRoutesDeps['regime']['assessmentForm']>>

/** The form as the last assessment left it: a review, with its answers and wishes. */
function valuesFrom({ previous, activities }: AssessmentFormView): Record<string, unknown> {
  return {
    kind: previous ? 'review' : '',
    ...(previous?.answers ?? {}),
    healthContact: previous?.healthContact ?? '',
    wishes: previous?.wishes ?? '',
    ...Object.fromEntries(
      (previous?.wishedActivityIds ?? [])
        .slice(0, 3)
        .map((id, index) => [`wish${index + 1}`, activities.find((activity) => activity.id === id)?.code ?? '']),
    ),
  }
}

/** R1: a person's needs assessment, its versions, the JSON API over it, and who is due one. */
export function registerAssessmentRoutes(app: AreaRoutes, { regime }: RegimeRoutesDeps) {
  // -------------------------------------------------------------------------------------------------------
  // Needs assessment (R1)

  registerViewPage(app, {
    path: '/people/:prisonNumber/needs-assessment',
    params: PersonParams,
    permission: 'regime.assess',
    template: 'regime/views/assessment.njk',
    view: (actor, { prisonNumber }) => regime.viewAssessment(actor, prisonNumber),
    extras: (request, view) => ({
      domains: assessmentDomains,
      tabs: request.personTabs(view.person.prisonNumber, 'needs-assessment'),
      subPageTitle: request.t('regime.assessment.title'),
      notice: noticeOf(request),
    }),
  })

  registerFormPage(app, {
    path: '/people/:prisonNumber/needs-assessment/new',
    params: PersonParams,
    permission: 'regime.assess',
    show: formPageOf('regime/views/assessment-form.njk', async (request, { prisonNumber }, sentBack) => {
      const view = await regime.assessmentForm(actorOf(request), prisonNumber)
      return {
        person: view.person,
        domains: assessmentDomains,
        activitiesByCategory: categories
          .map((category) => ({
            category,
            activities: view.activities.filter((activity) => activity.category === category),
          }))
          .filter((group) => group.activities.length > 0),
        // A new assessment starts from the last one, as a review of it.
        ...(!sentBack && { values: valuesFrom(view) }),
        tabs: request.personTabs(view.person.prisonNumber, 'needs-assessment'),
        subPageTitle: request.t('regime.assessment.newTitle'),
      }
    }),
    form: AssessmentForm,
    messages: {
      kind: 'regime.assessment.error.kind',
      healthContact: 'regime.assessment.error.healthContact',
      wishes: 'regime.assessment.error.wishes',
      wish1: 'regime.assessment.error.wish',
      wish2: 'regime.assessment.error.wish',
      wish3: 'regime.assessment.error.wish',
    },
    save: async (actor, { prisonNumber }, form, request) => {
      const body = z.record(z.string(), z.unknown()).catch({}).parse(request.body)
      const answers = Object.fromEntries(
        questionNames.map((name) => [name, typeof body[name] === 'string' ? body[name] : '']),
      ) as Answers
      const view = await regime.assessmentForm(actor, prisonNumber)
      const codes = [form.wish1, form.wish2, form.wish3].filter((code) => code !== '')
      const wishedActivityIds = codes.map((code) => view.activities.find((activity) => activity.code === code)?.id)
      if (wishedActivityIds.some((id) => id === undefined))
        return [{ field: 'wish1', messageKey: 'regime.assessment.error.wish', values: {} }]
      return regime.saveAssessment(actor, prisonNumber, {
        kind: form.kind,
        answers,
        healthContact: form.healthContact,
        wishes: form.wishes,
        wishedActivityIds: [...new Set(wishedActivityIds as string[])],
      })
    },
    onePerField: true,
    next: ({ prisonNumber }) => `/people/${prisonNumber}/needs-assessment`,
    done: 'assessment',
  })
  registerViewPage(app, {
    path: '/people/:prisonNumber/needs-assessment/:version',
    params: VersionParams,
    permission: 'regime.assess',
    template: 'regime/views/assessment-version.njk',
    view: (actor, { prisonNumber, version }) => regime.viewAssessmentVersion(actor, prisonNumber, version),
    extras: (request, view, { version }) => ({
      domains: assessmentDomains,
      tabs: request.personTabs(view.person.prisonNumber, 'needs-assessment'),
      subPageTitle: request.t('regime.assessment.versionTitle', { version }),
    }),
  })

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

  registerViewPage(app, {
    path: '/needs-assessments',
    permission: 'regime.assess',
    template: 'regime/views/due.njk',
    view: (actor) => regime.dueAssessments(actor),
  })
}
