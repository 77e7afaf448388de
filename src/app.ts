import { randomBytes } from 'node:crypto'
import Fastify, { type FastifyInstance } from 'fastify'
import type { Config } from './config.ts'
import type { Db } from './db/database.ts'
import { createAudit } from './platform/audit.ts'
import { systemClock, type Clock } from './platform/clock.ts'
import { createTranslator } from './platform/i18n.ts'
import { platformMessages } from './platform/messages.ts'
import { registerPlatform } from './platform/plugin.ts'
import { registerPlatformRoutes } from './platform/routes.ts'
import { setStaffPasswordHash } from './areas/staff/service.ts'
import { createSessions } from './platform/sessions.ts'
import type { Sleep } from './platform/sign-in-delay.ts'
import { createViewEnvironment } from './platform/views.ts'
import { areaPlugin } from './platform/area.ts'
import { createJobs, type JobHandlers, type Sweep } from './platform/jobs.ts'
import { createEvents } from './platform/events.ts'
import { createNotifications } from './platform/notifications.ts'
import { registerNotificationRoutes } from './platform/notification-routes.ts'
import { peopleMessages } from './areas/people/messages.ts'
import { overviewTab, peopleNavigation, registerPeopleRoutes } from './areas/people/routes.ts'
import { createPeopleService } from './areas/people/service.ts'
import { createPeerSupporterService, createStaffService } from './areas/staff/service.ts'
import { staffMessages } from './areas/staff/messages.ts'
import { peerSupportTab, registerStaffRoutes, staffNavigation } from './areas/staff/routes.ts'
import { accountsMessages } from './areas/staff/accounts/messages.ts'
import { accountsNavigation, registerAccountRoutes } from './areas/staff/accounts/routes.ts'
import { createAccountsService } from './areas/staff/accounts/service.ts'
import { createKeyworkService } from './areas/keywork/service.ts'
import { keyworkMessages } from './areas/keywork/messages.ts'
import { keyworkNavigation, keyworkTabs, registerKeyworkRoutes } from './areas/keywork/routes.ts'
import { journeyMessages } from './areas/journey/messages.ts'
import { journeyNavigation, journeyTab, registerJourneyRoutes } from './areas/journey/routes.ts'
import { createJourneyService } from './areas/journey/service.ts'
import { regimeMessages } from './areas/regime/messages.ts'
import { regimeNavigation, regimeTabs, registerRegimeRoutes } from './areas/regime/routes.ts'
import { createRegimeService } from './areas/regime/service.ts'
import { concernsMessages } from './areas/concerns/messages.ts'
import {
  concernsNavigation,
  concernsTab,
  raiseConcernNavigation,
  registerConcernsRoutes,
} from './areas/concerns/routes.ts'
import { createConcernLinks, createConcernsService } from './areas/concerns/service.ts'
import { createAllocationService } from './areas/allocation/service.ts'
import { allocationMessages } from './areas/allocation/messages.ts'
import { allocationNavigation, registerAllocationRoutes, timetableTab } from './areas/allocation/routes.ts'
import { carePlanMessages } from './areas/care-plans/messages.ts'
import { carePlanNavigation, carePlanTab, registerCarePlanRoutes } from './areas/care-plans/routes.ts'
import { carePlanHeaderAlertsOf, createCarePlanService } from './areas/care-plans/service.ts'
import { attendanceMessages } from './areas/attendance/messages.ts'
import { attendanceNavigation, attendanceTab, registerAttendanceRoutes } from './areas/attendance/routes.ts'
import { createAttendanceService } from './areas/attendance/service.ts'
import { scenariosMessages } from './areas/scenarios/messages.ts'
import { registerScenariosRoutes, scenariosNavigation } from './areas/scenarios/routes.ts'
import { createScenariosService } from './areas/scenarios/service.ts'
import { measuresMessages } from './areas/measures/messages.ts'
import { deathInCustodyAction, measuresNavigation, registerMeasuresRoutes } from './areas/measures/routes.ts'
import { createMeasuresService, deathHeaderAlertsOf } from './areas/measures/service.ts'
import { myViewMessages } from './areas/my-view/messages.ts'
import { registerMyViewRoutes } from './areas/my-view/routes.ts'
import { personAccountsMessages } from './areas/my-view/accounts/messages.ts'
import { ownAccountTab, registerPersonAccountRoutes } from './areas/my-view/accounts/routes.ts'
import { createPersonAccountsService } from './areas/my-view/accounts/service.ts'
import { createMyViewService } from './areas/my-view/service.ts'
import { equalityMessages } from './areas/equality/messages.ts'
import { equalityNavigation, registerEqualityRoutes } from './areas/equality/routes.ts'
import { createEqualityService } from './areas/equality/service.ts'
import { costingMessages } from './areas/costing/messages.ts'
import { costingNavigation, registerCostingRoutes } from './areas/costing/routes.ts'
import { createCostingService } from './areas/costing/service.ts'
import { familiesMessages } from './areas/families/messages.ts'
import { familiesNavigation, familiesPublicFrame, registerFamiliesRoutes } from './areas/families/routes.ts'
import { createFamiliesService, createFamilyWorryCounts } from './areas/families/service.ts'
import { webhooksMessages } from './areas/webhooks/messages.ts'
import { registerWebhookRoutes, webhooksNavigation } from './areas/webhooks/routes.ts'
import { createWebhooksService } from './areas/webhooks/service.ts'
import { createMailOutbox } from './platform/mail.ts'
import { mailOutboxNavigation, registerMailOutboxRoutes } from './platform/mail-routes.ts'
import { apiMessages } from './areas/api/messages.ts'
import { registerApiRoutes } from './areas/api/routes.ts'
import { createApiService } from './areas/api/service.ts'
import { registerPeopleApiRoutes } from './areas/people/api-routes.ts'
import { registerJourneyApiRoutes } from './areas/journey/api-routes.ts'
import { registerCarePlanApiRoutes } from './areas/care-plans/api-routes.ts'
import { registerConcernsApiRoutes } from './areas/concerns/api-routes.ts'
import { registerAllocationApiRoutes } from './areas/allocation/api-routes.ts'
import { registerAttendanceApiRoutes } from './areas/attendance/api-routes.ts'
import { registerMeasuresApiRoutes } from './areas/measures/api-routes.ts'
import { registerKeyworkApiRoutes } from './areas/keywork/api-routes.ts'

export type AppDependencies = {
  db: Db
  config: Config
  clock?: Clock
  /** A pino destination for the JSON log; tests pass one to read what was logged. */
  logStream?: { write: (line: string) => void }
  /** How the sign-in delay waits; tests pass one that moves their clock on instead of waiting. */
  sleep?: Sleep
  /** Built by the caller when it needs them too (the server's background worker); otherwise built here. */
  services?: Services
}

export const allMessages = [
  platformMessages,
  peopleMessages,
  journeyMessages,
  staffMessages,
  accountsMessages,
  personAccountsMessages,
  keyworkMessages,
  concernsMessages,
  regimeMessages,
  carePlanMessages,
  attendanceMessages,
  scenariosMessages,
  allocationMessages,
  measuresMessages,
  myViewMessages,
  equalityMessages,
  costingMessages,
  familiesMessages,
  apiMessages,
  webhooksMessages,
]

/** The one composition root: builds the services once and hands each area what it needs. */
export function createServices({
  db,
  clock = systemClock,
  publicSite = { addressSecret: randomBytes(32).toString('hex'), publicUrl: 'http://localhost:3000' },
  apiTokenIssuer = null,
}: {
  db: Db
  clock?: Clock
  /**
   * Issue 14: what the public worry page needs of the deployment: the secret that keys each sender's address
   * (shared by every process, so one limit holds across them) and the address its messages link to.
   */
  publicSite?: { addressSecret: string; publicUrl: string }
  /** Issue 15: the OAuth 2 server whose tokens the API accepts beside Waymark's own (`API_TOKEN_ISSUER`). */
  apiTokenIssuer?: Config['apiTokenIssuer']
}) {
  const audit = createAudit(clock)
  // What every area's service is built on: the database, the prison's clock and the audit trail.
  const base = { db, clock, audit }
  const jobs = createJobs({ db, clock })
  // Areas tell each other of a change by an event in its transaction, delivered by the job queue.
  const events = createEvents({ db, clock, jobs })
  const notifications = createNotifications({ clock })
  // S3: the ACCT alert in the header of a person's pages; every area needs people, so the alerts are plain
  // reads of care plans' and measures' own records, not their services (built after people).
  const people = createPeopleService({
    ...base,
    alerts: [
      { permission: 'care-plans.view-summary', alertsOf: (personId) => carePlanHeaderAlertsOf(db, personId) },
      // M2: a death in custody, for everyone who may follow the person's journey.
      { permission: 'journey.view', alertsOf: (personId) => deathHeaderAlertsOf(db, personId) },
    ],
  })
  const staff = createStaffService(base)
  const peerSupporters = createPeerSupporterService({ ...base, people })
  const keywork = createKeyworkService({ ...base, people, staff, events })
  // S3, J3: a care plan opened from a concern acts on it in the plan's transaction, and a transfer's handover
  // carries the open concerns in its own: concerns' links to both are built first, from concerns' records
  // alone, and the concerns service (which counts care plans and asks journey who is responsible) comes after.
  const concernLinks = createConcernLinks(base)
  const carePlans = createCarePlanService({
    ...base,
    people,
    staff,
    keywork,
    notifications,
    concerns: concernLinks,
    events,
  })
  // S3: leaving custody (a release, a death) ends the person's plan in progress and stops its alerts.
  for (const listener of carePlans.listeners) events.listen(listener)
  const journey = createJourneyService({ ...base, people, staff, keywork, carePlans, concerns: concernLinks, events })
  const concerns = createConcernsService({
    ...base,
    people,
    staff,
    peerSupporters,
    journey,
    notifications,
    carePlans,
    familyWorries: createFamilyWorryCounts({ db }),
    events,
  })
  // S1: an officer's allocation ending or starting hands the person's concerns still to act on to whoever is
  // responsible now.
  for (const listener of concerns.listeners) events.listen(listener)
  const regime = createRegimeService({ ...base, people, staff, notifications })
  const allocation = createAllocationService({ ...base, people, jobs, notifications, events })
  const attendance = createAttendanceService({ ...base, people })
  const scenarios = createScenariosService({ ...base, allocation, attendance })
  // M1, M2: every figure is asked of the area that keeps its records.
  const measures = createMeasuresService({
    ...base,
    people,
    staff,
    peerSupporters,
    keywork,
    attendance,
    regime,
    carePlans,
    journey,
    // M2: a flagged transfer watch is told to the group directors on duty at the prison.
    notifications,
    events,
  })
  // C1: the person's own view reads and writes only through the areas that own each record.
  const myView = createMyViewService({ ...base, people, allocation, keywork, concerns, attendance, carePlans })
  // C1: leaving custody (a release, a death) closes the person's own view; a transfer ends its sessions.
  for (const listener of myView.listeners) events.listen(listener)
  const personAccounts = createPersonAccountsService({ ...base, people })
  const equality = createEqualityService({ ...base, people, allocation, keywork, concerns, attendance, carePlans })
  // M4: the cost of what works asks each count of the area that keeps it, and the figures of the measures.
  const costing = createCostingService({ ...base, people, staff, keywork, measures, carePlans })
  // Issue 14: a worry from family or friends becomes a concern once matched; the mail stays in the outbox.
  const mail = createMailOutbox({ clock })
  const families = createFamiliesService({
    ...base,
    concerns,
    carePlans,
    staff,
    notifications,
    events,
    mail,
    ...publicSite,
  })
  for (const listener of families.listeners) events.listen(listener)
  // Issue 15: the systems that may call the API, and the tokens Waymark issues them.
  const api = createApiService({ ...base, issuer: publicSite.publicUrl, externalIssuer: apiTokenIssuer })
  // Issue 15: events out, to the subscribers administrators register, from the outbox.
  const webhooks = createWebhooksService({ ...base, jobs })
  for (const listener of webhooks.listeners) events.listen(listener)
  events.writeWith(webhooks.writtenWithEvents)
  return {
    api,
    audit,
    jobs,
    events,
    notifications,
    people,
    staff,
    peerSupporters,
    keywork,
    journey,
    allocation,
    concerns,
    regime,
    carePlans,
    attendance,
    scenarios,
    measures,
    myView,
    personAccounts,
    equality,
    costing,
    mail,
    families,
    webhooks,
  }
}

export type Services = ReturnType<typeof createServices>

/**
 * The background work every area hands the worker: job handlers by queue, and periodic sweeps (escalations,
 * overdue alerts). `waymark serve` runs them; tests call a worker's `tick` themselves.
 */
export function backgroundWork(services: Services): { handlers: JobHandlers; sweeps: Sweep[] } {
  return {
    handlers: {
      ...services.allocation.jobHandlers(),
      ...services.events.handlers(),
      ...services.webhooks.jobHandlers(),
    },
    sweeps: [
      services.concerns.escalationSweep,
      services.families.escalationSweep,
      services.carePlans.observationSweep,
      services.regime.overdueAssessmentSweep,
      services.measures.figuresSweep,
      services.measures.transferWatchSweep,
      services.webhooks.deliverySweep,
    ],
  }
}

/**
 * Fastify's own hop count trusts nothing (it cannot check the nearest peer), so a count becomes the rule it
 * stands for: the nearest `hops` addresses are proxies, and the next one along X-Forwarded-For is the client.
 */
function trustedProxies(setting: Config['trustProxy']): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting === 'number') return (_address, hop) => hop < setting
  return setting
}

export async function buildApp({
  db,
  config,
  clock = systemClock,
  logStream,
  sleep,
  services: givenServices,
}: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(logStream ? { stream: logStream } : {}),
      // Log the route pattern, never the URL: URLs carry prison numbers and search terms.
      serializers: {
        req: (request: { method: string; id: string; routeOptions?: { url?: string } }) => ({
          method: request.method,
          route: request.routeOptions?.url ?? '(no route)',
          id: request.id,
        }),
        res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
      },
    },
    trustProxy: trustedProxies(config.trustProxy),
  })
  const services =
    givenServices ??
    createServices({
      db,
      clock,
      publicSite: { addressSecret: config.cookieSecret, publicUrl: config.publicUrl },
      apiTokenIssuer: config.apiTokenIssuer,
    })
  const sessions = createSessions({
    db,
    clock,
    audit: services.audit,
    policy: { idleMinutes: config.sessionIdleMinutes, absoluteHours: config.sessionAbsoluteHours },
    sleep,
    setPasswordHash: setStaffPasswordHash,
  })
  const translator = createTranslator(allMessages, { strict: config.environment !== 'production' })
  const views = createViewEnvironment({ watch: false })

  await registerPlatform(app, {
    config,
    sessions,
    translator,
    views,
    apiCallers: services.api.callers,
    // Pages open to anyone, in a frame of their own that their errors keep.
    publicFrames: [familiesPublicFrame],
    // A person's record: each area's tabs, in the order they show after the overview.
    personPage: {
      tabs: [
        overviewTab,
        concernsTab,
        carePlanTab,
        journeyTab,
        ...keyworkTabs,
        peerSupportTab,
        ...regimeTabs,
        timetableTab,
        attendanceTab,
        ownAccountTab,
      ],
      actions: [deathInCustodyAction],
    },
    // The menu: a few parts of the service, each opening a row of its own pages. An area's new page goes
    // in its area's list; a new area goes in the section its users would look in.
    navigation: [
      { messageKey: 'navigation.people', items: peopleNavigation },
      { messageKey: 'concerns.navigation.raise', items: raiseConcernNavigation },
      {
        messageKey: 'navigation.safety',
        items: [...concernsNavigation, ...familiesNavigation, ...carePlanNavigation, ...journeyNavigation],
      },
      { messageKey: 'navigation.keywork', items: keyworkNavigation },
      {
        messageKey: 'navigation.regime',
        items: [...regimeNavigation, ...allocationNavigation, ...attendanceNavigation, ...scenariosNavigation],
      },
      {
        messageKey: 'navigation.staff',
        items: [...staffNavigation, ...accountsNavigation, ...mailOutboxNavigation, ...webhooksNavigation],
      },
      {
        messageKey: 'measures.navigation.section',
        items: [...measuresNavigation, ...equalityNavigation, ...costingNavigation],
      },
    ],
  })
  registerPlatformRoutes(app, { db, sessions, config, audit: services.audit })
  registerNotificationRoutes(app, { db, notifications: services.notifications })
  registerMailOutboxRoutes(app, { db, mail: services.mail, audit: services.audit })
  // Each area is an encapsulated plugin: what it registers stays inside it (platform/area.ts).
  await app.register(areaPlugin(registerPeopleRoutes), { people: services.people })
  await app.register(areaPlugin(registerStaffRoutes), {
    staff: services.staff,
    peerSupporters: services.peerSupporters,
  })
  await app.register(areaPlugin(registerAccountRoutes), {
    accounts: createAccountsService({ db, audit: services.audit, localSignIn: config.localSignIn }),
    secureCookies: config.secureCookies,
  })
  await app.register(areaPlugin(registerJourneyRoutes), { journey: services.journey })
  await app.register(areaPlugin(registerKeyworkRoutes), { keywork: services.keywork })
  await app.register(areaPlugin(registerConcernsRoutes), { concerns: services.concerns })
  await app.register(areaPlugin(registerRegimeRoutes), { regime: services.regime })
  await app.register(areaPlugin(registerCarePlanRoutes), { carePlans: services.carePlans, clock })
  await app.register(areaPlugin(registerAttendanceRoutes), { attendance: services.attendance })
  await app.register(areaPlugin(registerScenariosRoutes), { scenarios: services.scenarios })
  await app.register(areaPlugin(registerAllocationRoutes), { allocation: services.allocation })
  await app.register(areaPlugin(registerMeasuresRoutes), { measures: services.measures })
  await app.register(areaPlugin(registerMyViewRoutes), { myView: services.myView, sessions, config })
  await app.register(areaPlugin(registerPersonAccountRoutes), {
    personAccounts: services.personAccounts,
    secureCookies: config.secureCookies,
  })
  await app.register(areaPlugin(registerEqualityRoutes), { equality: services.equality })
  await app.register(areaPlugin(registerCostingRoutes), { costing: services.costing })
  // Issue 15: tokens, the API's document and reference, and each area's routes for other systems.
  await app.register(areaPlugin(registerApiRoutes), { api: services.api })
  await app.register(areaPlugin(registerPeopleApiRoutes), { people: services.people })
  await app.register(areaPlugin(registerJourneyApiRoutes), { journey: services.journey })
  await app.register(areaPlugin(registerCarePlanApiRoutes), { carePlans: services.carePlans })
  await app.register(areaPlugin(registerConcernsApiRoutes), { concerns: services.concerns })
  await app.register(areaPlugin(registerAllocationApiRoutes), { allocation: services.allocation })
  await app.register(areaPlugin(registerAttendanceApiRoutes), { attendance: services.attendance })
  await app.register(areaPlugin(registerMeasuresApiRoutes), { measures: services.measures })
  await app.register(areaPlugin(registerKeyworkApiRoutes), { keywork: services.keywork })
  await app.register(areaPlugin(registerFamiliesRoutes), {
    families: services.families,
    secureCookies: config.secureCookies,
  })
  await app.register(areaPlugin(registerWebhookRoutes), {
    webhooks: services.webhooks,
    secureCookies: config.secureCookies,
  })
  return app
}
