import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely'
import type { Db } from './database.ts'
import * as platform from './migrations/0001-platform.ts'
import * as rollOrderIndex from './migrations/0002-roll-order-index.ts'
import * as journeyKeyworkStaff from './migrations/0003-journey-keywork-staff.ts'
import * as jobsNotifications from './migrations/0004-jobs-notifications.ts'
import * as regime from './migrations/0005-regime.ts'
import * as concerns from './migrations/0006-concerns.ts'
import * as carePlans from './migrations/0007-care-plans.ts'
import * as allocationRuns from './migrations/0008-allocation-runs.ts'
import * as needsAssessment from './migrations/0009-needs-assessment.ts'
import * as attendanceScenarios from './migrations/0010-attendance-scenarios.ts'
import * as measures from './migrations/0011-measures.ts'
import * as personAccounts from './migrations/0012-person-accounts.ts'
import * as specialistNeedStaffPolicyStageReasons from './migrations/0013-specialist-need-staff-policy-stage-reasons.ts'
import * as costing from './migrations/0014-costing.ts'
import * as transferWatchDeaths from './migrations/0015-transfer-watch-deaths.ts'
import * as sweepPeriods from './migrations/0016-sweep-periods.ts'
import * as officerLabelWelsh from './migrations/0017-officer-label-welsh.ts'
import * as signInFailures from './migrations/0018-sign-in-failures.ts'
import * as eventOutbox from './migrations/0019-event-outbox.ts'
import * as acctPolicy from './migrations/0020-acct-policy.ts'
import * as concernSelfHarmRisk from './migrations/0021-concern-self-harm-risk.ts'
import * as sessionSignedInWith from './migrations/0022-session-signed-in-with.ts'
import * as sessionDevice from './migrations/0023-session-device.ts'
import * as accountAdministration from './migrations/0024-account-administration.ts'
import * as personAccountCodes from './migrations/0025-person-account-codes.ts'
import * as riskNamesWelsh from './migrations/0026-risk-names-welsh.ts'
import * as familyWorries from './migrations/0027-family-worries.ts'
import * as personAndStaffSummaries from './migrations/0028-person-and-staff-summaries.ts'
import * as activityAllocationGroupHistory from './migrations/0029-activity-allocation-group-history.ts'
import * as apiClients from './migrations/0030-api-clients.ts'
import * as webhooks from './migrations/0031-webhooks.ts'
import * as externalApiClients from './migrations/0033-external-api-clients.ts'
import * as webhookPrisons from './migrations/0034-webhook-prisons.ts'
import * as webhookDeliveryPrison from './migrations/0035-webhook-delivery-prison.ts'
import * as concernFamilyAskedNotNamed from './migrations/0036-concern-family-asked-not-named.ts'
import * as familyWorryEscalated from './migrations/0037-family-worry-escalated.ts'
import * as familyWorryNotHeldHere from './migrations/0038-family-worry-not-held-here.ts'
import * as mailOutboxWithoutFollowUpCodes from './migrations/0039-mail-outbox-without-follow-up-codes.ts'

/**
 * Migrations are listed here rather than read from the folder, so the order is explicit and the list is
 * checked by the type checker. Forward-only: there are no `down` functions; a mistake is fixed by a new one.
 */
const migrations: Record<string, Migration> = {
  '0001-platform': platform,
  '0002-roll-order-index': rollOrderIndex,
  '0003-journey-keywork-staff': journeyKeyworkStaff,
  '0004-jobs-notifications': jobsNotifications,
  '0005-regime': regime,
  '0006-concerns': concerns,
  '0007-care-plans': carePlans,
  '0008-allocation-runs': allocationRuns,
  '0009-needs-assessment': needsAssessment,
  '0010-attendance-scenarios': attendanceScenarios,
  '0011-measures': measures,
  '0012-person-accounts': personAccounts,
  '0013-specialist-need-staff-policy-stage-reasons': specialistNeedStaffPolicyStageReasons,
  '0014-costing': costing,
  '0015-transfer-watch-deaths': transferWatchDeaths,
  '0016-sweep-periods': sweepPeriods,
  '0017-officer-label-welsh': officerLabelWelsh,
  '0018-sign-in-failures': signInFailures,
  '0019-event-outbox': eventOutbox,
  '0020-acct-policy': acctPolicy,
  '0021-concern-self-harm-risk': concernSelfHarmRisk,
  '0022-session-signed-in-with': sessionSignedInWith,
  '0023-session-device': sessionDevice,
  '0024-account-administration': accountAdministration,
  '0025-person-account-codes': personAccountCodes,
  '0026-risk-names-welsh': riskNamesWelsh,
  '0027-family-worries': familyWorries,
  '0028-person-and-staff-summaries': personAndStaffSummaries,
  '0029-activity-allocation-group-history': activityAllocationGroupHistory,
  '0030-api-clients': apiClients,
  '0031-webhooks': webhooks,
  '0033-external-api-clients': externalApiClients,
  '0034-webhook-prisons': webhookPrisons,
  '0035-webhook-delivery-prison': webhookDeliveryPrison,
  '0036-concern-family-asked-not-named': concernFamilyAskedNotNamed,
  '0037-family-worry-escalated': familyWorryEscalated,
  '0038-family-worry-not-held-here': familyWorryNotHeldHere,
  '0039-mail-outbox-without-follow-up-codes': mailOutboxWithoutFollowUpCodes,
}

const provider: MigrationProvider = { getMigrations: async () => migrations }

export class MigrationError extends Error {}

/** Brings the schema up to date; throws with the failing migration's name if one fails. */
export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  return migrated(new Migrator({ db, provider, allowUnorderedMigrations: false }).migrateToLatest())
}

/** Brings the schema up to the migration named and no further: for a test of what a later one does to rows. */
export async function migrateUpTo(db: Db, name: string): Promise<MigrationResultSet> {
  return migrated(new Migrator({ db, provider, allowUnorderedMigrations: false }).migrateTo(name))
}

async function migrated(running: Promise<MigrationResultSet>): Promise<MigrationResultSet> {
  const outcome = await running
  if (outcome.error) {
    const failed = outcome.results?.find((result) => result.status === 'Error')
    throw new MigrationError(
      `Migration ${failed?.migrationName ?? '(unknown)'} failed: ${outcome.error instanceof Error ? outcome.error.message : JSON.stringify(outcome.error)}`,
      {
        cause: outcome.error,
      },
    )
  }
  return outcome
}
