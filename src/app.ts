import Fastify, { type FastifyInstance } from 'fastify'
import type { Config } from './config.ts'
import type { Db } from './db/database.ts'
import { createAudit } from './platform/audit.ts'
import { systemClock, type Clock } from './platform/clock.ts'
import { createTranslator } from './platform/i18n.ts'
import { platformMessages } from './platform/messages.ts'
import { registerPlatform } from './platform/plugin.ts'
import { registerPlatformRoutes } from './platform/routes.ts'
import { createSessions } from './platform/sessions.ts'
import { createViewEnvironment } from './platform/views.ts'
import { peopleMessages } from './areas/people/messages.ts'
import { overviewTab, peopleNavigation, registerPeopleRoutes } from './areas/people/routes.ts'
import type { PersonTab } from './platform/navigation.ts'
import { createPeopleService } from './areas/people/service.ts'
import { createPeerSupporterService, createStaffService } from './areas/staff/service.ts'
import { staffMessages } from './areas/staff/messages.ts'
import { peerSupportTab, registerStaffRoutes, staffNavigation } from './areas/staff/routes.ts'
import { createKeyworkService } from './areas/keywork/service.ts'
import { keyworkMessages } from './areas/keywork/messages.ts'
import { keyworkNavigation, keyworkTabs, registerKeyworkRoutes } from './areas/keywork/routes.ts'
import { journeyMessages } from './areas/journey/messages.ts'
import { journeyNavigation, journeyTab, registerJourneyRoutes } from './areas/journey/routes.ts'
import { createJourneyService } from './areas/journey/service.ts'
import { regimeMessages } from './areas/regime/messages.ts'
import { regimeNavigation, regimeTabs, registerRegimeRoutes } from './areas/regime/routes.ts'
import { createRegimeService } from './areas/regime/service.ts'

export type AppDependencies = {
  db: Db
  config: Config
  clock?: Clock
  /** A pino destination for the JSON log; tests pass one to read what was logged. */
  logStream?: { write: (line: string) => void }
}

export const allMessages = [platformMessages, peopleMessages, journeyMessages, staffMessages, keyworkMessages, regimeMessages]

/** The one composition root: builds the services once and hands each area what it needs. */
export function createServices({ db, clock = systemClock }: { db: Db; clock?: Clock }) {
  const audit = createAudit(clock)
  const people = createPeopleService({ db, clock, audit })
  const staff = createStaffService({ db, clock, audit })
  const peerSupporters = createPeerSupporterService({ db, clock, audit, people })
  const keywork = createKeyworkService({ db, clock, audit, people, staff })
  const journey = createJourneyService({ db, clock, audit, people, staff, keywork })
  const regime = createRegimeService({ db, clock, audit, people, staff })
  return { audit, people, staff, peerSupporters, keywork, journey, regime }
}

export async function buildApp({
  db,
  config,
  clock = systemClock,
  logStream,
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
    trustProxy: config.environment === 'production',
  })
  const services = createServices({ db, clock })
  const sessions = createSessions({
    db,
    clock,
    audit: services.audit,
    policy: { idleMinutes: config.sessionIdleMinutes, absoluteHours: config.sessionAbsoluteHours },
  })
  const translator = createTranslator(allMessages, { strict: config.environment !== 'production' })
  const views = createViewEnvironment({ watch: false })

  await registerPlatform(app, {
    config,
    sessions,
    translator,
    views,
    navigation: [...peopleNavigation, ...journeyNavigation, ...staffNavigation, ...keyworkNavigation, ...regimeNavigation],
  })
  registerPlatformRoutes(app, { db, sessions, config })
  const personTabs: PersonTab[] = [overviewTab, journeyTab, ...keyworkTabs, peerSupportTab, ...regimeTabs]
  registerPeopleRoutes(app, { people: services.people, personTabs })
  registerStaffRoutes(app, { staff: services.staff, peerSupporters: services.peerSupporters, personTabs })
  registerJourneyRoutes(app, { journey: services.journey, personTabs })
  registerKeyworkRoutes(app, { keywork: services.keywork, personTabs })
  registerRegimeRoutes(app, { regime: services.regime, personTabs })
  return app
}
