import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import diagnostics from 'node:diagnostics_channel'
import fc from 'fast-check'
import type { FastifyInstance, LightMyRequestResponse, RouteOptions } from 'fastify'
import { sql } from 'kysely'
import { buildApp } from '../app.ts'
import type { Db } from '../db/database.ts'
import { DEMO_PASSWORD } from '../demo/seed.ts'
import { myViewMessages } from '../areas/my-view/messages.ts'
import { CookieJar, csrfTokenFrom, testConfig } from '../../test/support/app.ts'
import { noticeWordOf } from '../../test/support/page-steps.ts'
import { journeyPeopleAtFirst } from '../../test/support/browser.ts'
import { openDemoSnapshot } from '../../test/support/demo-snapshot.ts'
import { formsOn, type HtmlField } from '../../test/support/html-forms.ts'
import { systemClock } from './clock.ts'
import { platformMessages } from './messages.ts'
import { hasPermission, roles, type Permission, type StaffRole } from './permissions.ts'

/**
 * Every form of the service, driven the way a careless browser, a stale page or a hostile script would:
 * each POST route is sent a body built from the form on its page, then that body broken one way at a time.
 * Whatever is sent, the answer is a 4xx that says what is wrong and stores nothing, or a 303 after a record
 * was stored and audited. Never a 5xx, and never "sent" for something that was not.
 */

type Ids = Record<string, string>
type Lookup = (db: Db) => Promise<Ids | undefined>

/** What a route needs to be driven: the ids in its address, the answers its form needs to be accepted. */
type Drive = {
  /** The values of the route's parameters, from the demo estate as it stands when the route's turn comes. */
  ids?: Lookup
  /** Answers a browser's user would give, some from the ids: the form's own defaults fill the rest. */
  answers?: Record<string, string> | ((ids: Ids) => Record<string, string>)
  /** Where the form is when it is not on the route's own address or one above it. */
  page?: string
  /** Who sends it, when not the first role that may. */
  username?: string | ((ids: Ids) => string)
  /**
   * The notice of a 303 that says nothing was stored because someone changed the record first (an honest
   * answer, not a success).
   */
  stale?: string
  /** A 303 that stores nothing by design, and why. */
  storesNothing?: string
  /** The route ends or changes the session it is sent on. */
  ownSession?: boolean
}

const northgate = 'NHI'
const today = systemClock.today()
const [year, month, day] = today.split('-') as [string, string, string]

const one = async (db: Db, query: ReturnType<typeof sql<Ids>>): Promise<Ids | undefined> =>
  (await query.execute(db)).rows[0]

/** A demo officer's account, for the administrator's forms; each form its own, so one does not undo another. */
const officerAccount =
  (nth: number): Lookup =>
  (db) =>
    one(
      db,
      sql`select id::text as id from staff_user where username like 'officer.nhi.%' and role = 'officer'
          order by username desc offset ${nth} limit 1`,
    )

/** One of the demo's worries from families at Northgate still to match; each form its own. */
const familyWorryToMatch =
  (nth: number): Lookup =>
  (db) =>
    one(
      db,
      sql`select id::text as id from family_worry where establishment_code = ${northgate} and person_id is null
          and malicious_at is null order by received_at offset ${nth} limit 1`,
    )

/** The subscriber the form to add one made (the routes are driven in the order they are registered). */
const webhookSubscription: Lookup = (db) =>
  one(db, sql`select id::text as id from webhook_subscription order by created_at limit 1`)

const personWithoutCarePlan: Lookup = (db) =>
  one(
    db,
    sql`select p.prison_number as "prisonNumber" from person p where p.establishment_code = ${northgate}
        and not exists (select 1 from care_plan c where c.person_id = p.id and c.closed_at is null)
        and not exists (select 1 from handover h where h.person_id = p.id and h.acknowledged_at is null and h.refused_at is null)
        and exists (select 1 from journey_stage s where s.person_id = p.id and s.ended_at is null
                    and s.stage not in ('release', 'transfer-out'))
        order by p.prison_number limit 1`,
  )
const openCarePlan: Lookup = (db) =>
  one(
    db,
    sql`select p.prison_number as "prisonNumber", c.id::text as id from care_plan c join person p on p.id = c.person_id
        where c.establishment_code = ${northgate} and c.closed_at is null order by c.opened_at desc limit 1`,
  )
const planWith =
  (table: 'care_plan_observation' | 'care_map_action' | 'care_plan_referral', param: string, open: string): Lookup =>
  (db) =>
    one(
      db,
      sql`select p.prison_number as "prisonNumber", c.id::text as id, x.id::text as ${sql.id(param)}
          from ${sql.table(table)} x join care_plan c on c.id = x.care_plan_id join person p on p.id = c.person_id
          where c.establishment_code = ${northgate} and c.closed_at is null and ${sql.raw(open)}
          order by c.opened_at desc limit 1`,
    )
const pendingHandover =
  (side: 'to' | 'from'): Lookup =>
  (db) =>
    one(
      db,
      sql`select h.id::text as "handoverId", h.to_establishment_code as "to" from handover h
          where ${sql.ref(`h.${side}_establishment_code`)} ${side === 'from' ? sql`=` : sql`<>`} ${northgate}
          and h.acknowledged_at is null and h.refused_at is null
          order by h.created_at desc limit 1`,
    )
/** The safer custody lead of the prison a handover is going to, who answers it. */
const receivingLead = (ids: Ids) => `demo.safercustody.${ids.to.toLowerCase()}`
const staffUser: Lookup = (db) =>
  one(
    db,
    sql`select u.id::text as "staffUserId" from staff_user u join staff_user_establishment e on e.staff_user_id = u.id
        where e.establishment_code = ${northgate} and u.username like 'demo.%' and u.role = 'officer' limit 1`,
  )
const activity: Lookup = (db) =>
  one(
    db,
    sql`select a.code, g.code as "group" from activity a join activity_group g on g.activity_id = a.id
        where a.establishment_code = ${northgate} and a.is_active and g.is_active order by a.code desc, g.code desc limit 1`,
  )
const scenario: Lookup = (db) =>
  one(db, sql`select id::text as id, '0' as index from scenario where establishment_code = ${northgate} limit 1`)
const group: Lookup = (db) =>
  one(
    db,
    sql`select g.id::text as "groupId" from activity_group g join activity a on a.id = g.activity_id
        where a.establishment_code = ${northgate} and g.is_active order by g.code limit 1`,
  )

/**
 * Every POST route, and how to drive it. A route missing here fails the test: a new form is covered the
 * day it is added, or its author says here why it cannot be.
 */
const drives: Record<string, Drive> = {
  'POST /sign-in': { answers: { username: 'demo.officer', password: DEMO_PASSWORD }, ownSession: true },
  'POST /my/sign-in': { answers: { username: 'demo.person', password: DEMO_PASSWORD }, ownSession: true },
  'POST /sign-out': { page: '/roll', ownSession: true, storesNothing: 'ends the session' },
  'POST /my/sign-out': { page: '/my', ownSession: true, storesNothing: 'ends the session' },
  'POST /establishment': {
    page: '/roll',
    username: 'demo.admin',
    ownSession: true,
    storesNothing: 'changes the prison of the session',
  },
  'POST /account/password': {
    // A user no other drive signs in as: after this their password is no longer the demo's.
    username: 'demo.director',
    answers: {
      currentPassword: DEMO_PASSWORD,
      newPassword: 'kettle river autumn lamp',
      confirmPassword: 'kettle river autumn lamp',
    },
    storesNothing: 'changes the password on the account; a second change needs the new one',
  },
  'POST /account/sessions/:id/end': {
    // The oldest of the driving user's sessions: the one this test's browser is using, or one before it.
    ids: (db) =>
      one(
        db,
        sql`select w.id::text as id from web_session w join staff_user s on s.id = w.staff_user_id
            where s.username = 'demo.officer' order by w.created_at limit 1`,
      ),
    page: '/account/sessions',
    username: 'demo.officer',
    ownSession: true,
    storesNothing: 'ends a session: the row goes, the audit entry stays',
  },
  'POST /notifications/read-all': { storesNothing: 'marks notifications read, when there are any' },
  'POST /raise-a-concern': {
    ids: personWithoutCarePlan,
    answers: (ids) => ({ prisonNumber: ids.prisonNumber }),
    storesNothing: 'finds the person and goes to their form',
  },
  'POST /people/:prisonNumber/concerns/new': {
    ids: personWithoutCarePlan,
    answers: {
      whatHappened: 'Talked about his court date and seemed low.',
      urgency: 'today',
      safeNow: 'yes',
      selfHarmRisk: 'no',
    },
  },
  'POST /concerns/:id/act': {
    ids: (db) =>
      one(
        db,
        sql`select id::text as id from concern where establishment_code = ${northgate} and acted_at is null limit 1`,
      ),
  },
  'POST /concern-settings': {},
  'POST /people/:prisonNumber/journey': { ids: personWithoutCarePlan, answers: { reason: 'Moved to the wing.' } },
  'POST /people/:prisonNumber/handover': {
    ids: personWithoutCarePlan,
    answers: { to: 'EWI', risks: 'Low mood at weekends.' },
  },
  // Sent from HMP Northgate (by the handover above, among others), and answered where it went.
  'POST /handovers/:handoverId/acknowledge': { ids: pendingHandover('to'), username: receivingLead },
  'POST /handovers/:handoverId/chase': { ids: pendingHandover('from') },
  'POST /handovers/:handoverId/refuse': {
    ids: pendingHandover('to'),
    username: receivingLead,
    answers: { refusalReason: 'The person is not here.' },
  },
  'POST /key-work-settings': {},
  'POST /people/:prisonNumber/dedicated-officer': { ids: personWithoutCarePlan },
  'POST /people/:prisonNumber/dedicated-officer/end': {
    ids: (db) =>
      one(
        db,
        sql`select p.prison_number as "prisonNumber" from dedicated_officer_allocation a join person p on p.id = a.person_id
            where p.establishment_code = ${northgate} and a.ended_at is null limit 1`,
      ),
  },
  'POST /people/:prisonNumber/dedicated-officer/specialist': {
    ids: personWithoutCarePlan,
    answers: { needsSpecialist: 'yes', reason: 'Speaks little English.' },
  },
  'POST /people/:prisonNumber/change-officer': {
    ids: personWithoutCarePlan,
    answers: { changeReason: 'They do not get on.' },
  },
  'POST /officer-change-requests/:id': {
    ids: (db) =>
      one(
        db,
        sql`select r.id::text as id from officer_change_request r join person p on p.id = r.person_id
            where p.establishment_code = ${northgate} and r.status = 'pending' limit 1`,
      ),
  },
  'POST /dedicated-officers': { stale: 'changed' },
  'POST /people/:prisonNumber/key-work/sessions': {
    ids: personWithoutCarePlan,
    answers: { minutes: '30', heldOn: today },
  },
  'POST /people/:prisonNumber/key-work/meetings': {
    ids: personWithoutCarePlan,
    answers: {
      meetingHeldOn: today,
      ...Object.fromEntries(
        [2, 3, 4].flatMap((row) => ['name', 'organisation', 'role'].map((column) => [`${column}${row}`, ''])),
      ),
      name1: 'Sam Jones',
      organisation1: 'Mental health in-reach',
      role1: 'Nurse',
    },
  },
  'POST /regime/offer/new': { answers: { code: 'FORM-TEST-1', name: 'Woodwork for beginners' } },
  'POST /regime/offer/:code/edit': { ids: activity },
  'POST /regime/offer/:code/retire': { ids: activity },
  'POST /regime/offer/:code/groups/new': { ids: activity, answers: { code: 'Z9' } },
  'POST /regime/offer/:code/groups/:group/edit': { ids: activity },
  'POST /regime/offer/:code/groups/:group/retire': { ids: activity },
  'POST /regime/usable-day': {},
  'POST /regime/framework': {},
  'POST /regime/framework/reset': { stale: 'framework-default' },
  'POST /people/:prisonNumber/non-associations': {
    ids: async (db) => {
      const [first, second] = (
        await sql<{ prisonNumber: string }>`select prison_number as "prisonNumber" from person
          where establishment_code = ${northgate} and cell_id is not null order by prison_number desc limit 2`.execute(
          db,
        )
      ).rows
      return first && second ? { prisonNumber: first.prisonNumber, other: second.prisonNumber } : undefined
    },
    answers: (ids) => ({ otherPrisonNumber: ids.other, comment: '' }),
  },
  'POST /non-associations/:id/close': {
    ids: (db) =>
      one(
        db,
        sql`select n.id::text as id from non_association n join person p on p.id = n.person_a_id
            where p.establishment_code = ${northgate} and n.closed_at is null limit 1`,
      ),
    answers: { closeReason: 'Both have moved on.' },
    stale: 'non-association-stale',
  },
  'POST /non-associations/cohort-separations': { answers: { cohortA: 'mainstream', cohortB: 'induction' } },
  'POST /non-associations/cohort-separations/remove': {},
  'POST /people/:prisonNumber/needs-assessment/new': { ids: personWithoutCarePlan },
  'POST /people/:prisonNumber/care-plans': {
    ids: personWithoutCarePlan,
    page: '/people/:prisonNumber/care-plans/new',
    answers: { reason: 'Said he did not want to go on.' },
  },
  'POST /people/:prisonNumber/care-plans/:id/immediate-action': { ids: openCarePlan },
  'POST /people/:prisonNumber/care-plans/:id/assessment': { ids: openCarePlan },
  'POST /people/:prisonNumber/care-plans/:id/review': { ids: openCarePlan },
  'POST /people/:prisonNumber/care-plans/:id/observations': { ids: openCarePlan },
  'POST /people/:prisonNumber/care-plans/:id/observations/:observationId/correct': {
    ids: planWith('care_plan_observation', 'observationId', 'x.corrects_id is null'),
    answers: { reason: 'Wrong time written down.' },
  },
  'POST /people/:prisonNumber/care-plans/:id/immediate-review': { ids: openCarePlan },
  'POST /people/:prisonNumber/care-plans/:id/constant-supervision': { ids: openCarePlan },
  'POST /people/:prisonNumber/care-plans/:id/pre-release-review': { ids: openCarePlan },
  'POST /people/:prisonNumber/care-plans/:id/actions': { ids: openCarePlan },
  'POST /people/:prisonNumber/care-plans/:id/actions/:actionId/complete': {
    ids: planWith('care_map_action', 'actionId', 'x.completed_at is null'),
  },
  'POST /people/:prisonNumber/care-plans/:id/family': { ids: openCarePlan },
  'POST /people/:prisonNumber/care-plans/:id/referrals': { ids: openCarePlan },
  'POST /people/:prisonNumber/care-plans/:id/referrals/:referralId/outcome': {
    ids: planWith('care_plan_referral', 'referralId', 'x.outcome is null'),
  },
  'POST /care-plan-settings': {},
  'POST /attendance/sessions/:groupId/:sessionOn/:slot': {
    ids: (db) =>
      one(
        db,
        sql`select a.group_id::text as "groupId", a.session_on::text as "sessionOn", a.slot from attendance a
            join activity_group g on g.id = a.group_id join activity x on x.id = g.activity_id
            where x.establishment_code = ${northgate} order by a.session_on desc limit 1`,
      ),
  },
  'POST /people/:prisonNumber/activities/completion': { ids: personWithoutCarePlan },
  'POST /people/:prisonNumber/activities/feedback': { ids: personWithoutCarePlan },
  'POST /scenarios': { answers: { name: 'More gym in the evenings' } },
  'POST /scenarios/:id': { ids: scenario },
  'POST /scenarios/:id/groups': { ids: scenario, answers: { code: 'evening-gym' } },
  'POST /scenarios/:id/groups/:index/remove': { ids: scenario },
  'POST /scenarios/:id/run': { ids: scenario },
  'POST /allocation/runs': {},
  'POST /allocation/runs/:runId/accept': {
    ids: (db) =>
      one(db, sql`select id::text as "runId" from allocation_run where establishment_code = ${northgate} limit 1`),
  },
  'POST /allocation/import': {},
  'POST /allocation/groups/:groupId/add': {
    ids: async (db) => {
      const found = await group(db)
      const person = await personWithoutCarePlan(db)
      return found && person ? { ...found, ...person } : undefined
    },
    answers: (ids) => ({ prisonNumber: ids.prisonNumber }),
  },
  'POST /allocation/groups/:groupId/remove': { ids: group },
  'POST /measures/work-out': { page: '/measures' },
  'POST /measures/:key/target': {
    ids: async () => ({ key: 'peer-supporters' }),
    answers: { target: '80' },
  },
  'POST /self-harm-incidents/new': {
    ids: personWithoutCarePlan,
    page: '/self-harm-incidents/new?prisonNumber=:prisonNumber',
    answers: { occurredAt: '10:30' },
  },
  'POST /people/:prisonNumber/death-in-custody': { ids: personWithoutCarePlan },
  'POST /my/officer/change': { answers: { reason: 'We do not get on.' } },
  'POST /my/worry': {},
  'POST /my/feedback': {},
  // Issue 13: a person's own account, given with a slip by the safer custody lead.
  'POST /people/:prisonNumber/own-account': { ids: personWithoutCarePlan, answers: { language: 'cy' } },
  'POST /my/password': {
    page: '/my',
    storesNothing: 'only for the first sign-in with a slip’s code: anyone else is sent back to their page',
  },
  'POST /costing/assumptions': {
    stale: 'unchanged',
    answers: {
      'staff-counted': '120',
      'key-work-sessions-due': '40',
      'incidents-fall-percent': '5',
      'incidents-fall-percent-source': 'Our own figures for last year.',
      'care-plan-days-fall-percent': '5',
      'care-plan-days-fall-percent-source': 'Our own figures for last year.',
    },
  },
  'POST /costing/unit-costs/:item': { ids: async () => ({ item: 'staff-hour' }) },
  'POST /staff/settings': {},
  'POST /staff/:staffUserId/training/new': { ids: staffUser },
  'POST /staff/:staffUserId/supervision/new': { ids: staffUser },
  'POST /staff/:staffUserId/status': {
    ids: staffUser,
    answers: { 'reactivationOn-day': '', 'reactivationOn-month': '', 'reactivationOn-year': '' },
  },
  'POST /organisations/new': { answers: { name: 'Samaritans North' } },
  'POST /organisations/:organisationId': {
    ids: (db) => one(db, sql`select id::text as "organisationId" from organisation limit 1`),
  },
  // Issue 13: account administration, by the demo administrator at Northgate.
  'POST /accounts/new': {
    answers: { displayName: 'Rhian Form', username: 'rhian.form', role: 'officer', managesOrganisationAccounts: '' },
  },
  // A form asking for the access the account has already says nothing changed, and stores nothing.
  'POST /accounts/:id/access': {
    ids: officerAccount(0),
    answers: { role: 'keyworker', managesOrganisationAccounts: '' },
    stale: 'access-unchanged',
  },
  'POST /accounts/:id/disable': { ids: officerAccount(1), stale: 'already-disabled' },
  'POST /accounts/:id/enable': { ids: officerAccount(1), stale: 'already-enabled' },
  'POST /accounts/:id/one-time-password': { ids: officerAccount(2) },
  // Issue 15: events out, by the demo administrator. The demo has no delivery, so a replay finds none to send.
  'POST /webhooks/new': { answers: { url: 'https://alerts.example.org/events' } },
  // Its events changed, so the form as it stands after is honestly unchanged.
  'POST /webhooks/:id/edit': {
    ids: webhookSubscription,
    answers: { eventTypes: 'waymark.concern.raised' },
    stale: 'unchanged',
  },
  'POST /webhooks/:id/disable': { ids: webhookSubscription, stale: 'unchanged' },
  'POST /webhooks/:id/enable': { ids: webhookSubscription, stale: 'unchanged' },
  'POST /webhooks/:id/rotate': { ids: webhookSubscription },
  'POST /webhooks/:id/deliveries/:deliveryId/replay': {
    ids: async (db) => {
      const subscription = await webhookSubscription(db)
      return subscription && { ...subscription, deliveryId: '1' }
    },
    stale: 'unchanged',
  },
  // Issue 14: a family's worry from the public page, and safer custody's work on the demo's worries to match.
  'POST /worried-about-someone': {
    answers: {
      prisonNumber: '',
      raiserPhone: '01632 960 001',
      raiserEmail: '',
      website: '',
      'dateOfBirth-year': '1990',
    },
  },
  'POST /worried-about-someone/follow-up': {},
  'POST /family-worries/phone-line': { page: '/family-worries', answers: { phone: '01632 960 123' } },
  'POST /family-worries/:id/match': { ids: familyWorryToMatch(0), answers: {} },
  'POST /family-worries/:id/care-plan': {
    ids: (db) =>
      one(
        db,
        sql`select id::text as id from family_worry where establishment_code = ${northgate} and person_id is not null
            and care_plan_linked_at is null limit 1`,
      ),
  },
  'POST /family-worries/:id/status': { ids: familyWorryToMatch(1), answers: { familyStatus: 'being-looked-at' } },
  'POST /family-worries/:id/malicious': { ids: familyWorryToMatch(2), answers: { reason: 'Sent to cause harm.' } },
  'POST /family-worries/:id/not-held-here': {
    ids: familyWorryToMatch(3),
    answers: { note: 'Not on the roll; the family say he is at HMP Cardiff.' },
  },
  'POST /peer-supporters/new': { ids: personWithoutCarePlan, answers: (ids) => ({ prisonNumber: ids.prisonNumber }) },
  'POST /peer-supporters/:id/end': {
    ids: (db) =>
      one(
        db,
        sql`select s.id::text as id from peer_supporter s join person p on p.id = s.person_id
            where p.establishment_code = ${northgate} and s.ended_on is null limit 1`,
      ),
  },
}

/** The first role, in this order, that may use a permission: the one a test signs in as. */
const roleOrder: readonly StaffRole[] = ['safercustody', 'admin', 'governor', ...roles]
function roleFor(permission: Permission): 'person' | StaffRole | null {
  if (permission === 'public') return null
  if (permission === 'my-view') return 'person'
  return roleOrder.find((role) => hasPermission(role, permission)) ?? null
}

/** Who is signed in, and what they send. */
type Browser = {
  jar: CookieJar
  get: (url: string) => Promise<LightMyRequestResponse>
  post: (url: string, body: Record<string, string | string[]>, asJson?: boolean) => Promise<LightMyRequestResponse>
}

async function browse(app: FastifyInstance, role: 'person' | StaffRole | null, as?: string): Promise<Browser> {
  const jar = new CookieJar()
  const get = async (url: string) => jar.take(await app.inject({ method: 'GET', url, cookies: jar.header }))
  const signInPage = role === 'person' ? '/my/sign-in' : '/sign-in'
  let tokenPage = await get(signInPage)
  if (role) {
    const username = as ?? (role === 'person' ? 'demo.person' : `demo.${role}`)
    const signedIn = jar.take(
      await app.inject({
        method: 'POST',
        url: signInPage,
        cookies: jar.header,
        payload: { username, password: DEMO_PASSWORD, _csrf: csrfTokenFrom(tokenPage.body) },
      }),
    )
    assert.equal(signedIn.statusCode, 303, `sign in as ${username}`)
    tokenPage = await get(signedIn.headers.location ?? '/')
    // The start page sends each role on to its own.
    while (tokenPage.statusCode === 303) tokenPage = await get(tokenPage.headers.location!)
  }
  const csrf = csrfTokenFrom(tokenPage.body)
  return {
    jar,
    get,
    post: async (url, body, asJson = false) =>
      jar.take(
        await app.inject({
          method: 'POST',
          url,
          cookies: jar.header,
          ...(asJson
            ? { payload: JSON.stringify({ _csrf: csrf, ...body }), headers: { 'content-type': 'application/json' } }
            : {
                payload: new URLSearchParams([
                  ['_csrf', csrf],
                  ...Object.entries(body).flatMap(([name, value]) =>
                    (Array.isArray(value) ? value : [value]).map((one): [string, string] => [name, one]),
                  ),
                ]).toString(),
                headers: { 'content-type': 'application/x-www-form-urlencoded' },
              }),
        }),
      ),
  }
}

/** A text a person might type in a field the route's table gives no answer for. */
function typed(field: HtmlField): string {
  if (/-day$/.test(field.name)) return day
  if (/-month$/.test(field.name)) return month
  if (/-year$/.test(field.name)) return year
  if (field.kind === 'number') return '1'
  if (/On$/.test(field.name)) return `${day}/${month}/${year}`
  if (/(Time|At)$/i.test(field.name)) return '10:00'
  return 'Seen on the wing and talked it through.'
}

/** What the page's form sends when its user answers every question. */
function answered(fields: readonly HtmlField[], answers: Record<string, string>): Record<string, string> {
  const body: Record<string, string> = {}
  for (const field of fields) {
    if (field.name === '_csrf') continue
    // The first real choice where none is made: a select's first option is often 'Choose…'.
    if (field.kind === 'radio' || field.kind === 'select' || field.kind === 'checkbox')
      body[field.name] = field.value || field.options.find((option) => option !== '') || ''
    else body[field.name] = field.value || (field.kind === 'hidden' ? '' : typed(field))
  }
  return { ...body, ...answers }
}

/** One way a body is broken. */
type Breakage =
  | {
      kind: 'missing' | 'duplicated' | 'empty' | 'nul' | 'unknown option' | 'over length' | 'wrong type'
      field: number
    }
  | { kind: 'many fields' }

const breakage: fc.Arbitrary<Breakage> = fc.oneof(
  fc.record({
    kind: fc.constantFrom(
      'missing' as const,
      'duplicated' as const,
      'empty' as const,
      'nul' as const,
      'unknown option' as const,
      'over length' as const,
      'wrong type' as const,
    ),
    field: fc.nat(),
  }),
  fc.constant({ kind: 'many fields' as const }),
)

function broken(
  body: Record<string, string>,
  fields: readonly HtmlField[],
  how: Breakage,
): { body: Record<string, unknown>; asJson: boolean; what: string } {
  if (how.kind === 'many fields') {
    const many: Record<string, string> = { ...body }
    for (let index = 0; index < 10_000; index++) many[`extra${index}`] = 'x'
    return { body: many, asJson: false, what: '10,000 fields' }
  }
  const names = Object.keys(body)
  if (names.length === 0) return { body: { unexpected: '\u0000' }, asJson: false, what: 'a NUL in a field no form has' }
  const name = names[how.field % names.length]
  const value = body[name]
  const field = fields.find((candidate) => candidate.name === name)
  const rest = Object.fromEntries(Object.entries(body).filter(([other]) => other !== name))
  switch (how.kind) {
    case 'missing':
      return { body: rest, asJson: false, what: `${name} missing` }
    case 'duplicated':
      return {
        body: { ...body, [name]: [value, field?.options.find((option) => option !== value) ?? 'yes'] },
        asJson: false,
        what: `${name} twice`,
      }
    case 'empty':
      return { body: { ...body, [name]: '' }, asJson: false, what: `${name} empty` }
    case 'nul':
      return { body: { ...body, [name]: `${value}\u0000 he said` }, asJson: false, what: `a NUL in ${name}` }
    case 'unknown option':
      return { body: { ...body, [name]: 'no-such-option' }, asJson: false, what: `${name} not one of its options` }
    case 'over length':
      return {
        body: { ...body, [name]: 'x'.repeat((field?.maxLength ?? 10_000) + 1) },
        asJson: false,
        what: `${name} over length`,
      }
    case 'wrong type':
      return { body: { ...body, [name]: { nested: [1, true] } }, asJson: true, what: `${name} an object, as JSON` }
  }
}

/** Rows written to each table, counted by triggers that roll back with whatever they count. */
async function countWrites(db: Db): Promise<void> {
  await sql`create table if not exists test_writes (key text primary key, writes bigint not null)`.execute(db)
  for (const [name, key] of [
    ['test_count_write', sql`tg_table_name || ':' || lower(tg_op)`],
    // An audit entry is counted by its action: reading a record is audited too, and stores nothing.
    ['test_count_audit', sql`'audit_event:insert:' || new.action`],
  ] as const)
    await sql`
      create or replace function ${sql.id(name)}() returns trigger language plpgsql as $$
      begin
        insert into test_writes values (${key}, 1) on conflict (key) do update set writes = test_writes.writes + 1;
        return null;
      end $$`.execute(db)
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'test_writes'`.execute(db)
  for (const { name } of tables.rows)
    await (
      name === 'audit_event'
        ? sql`create or replace trigger test_count_write after insert on audit_event
            for each row execute function test_count_audit()`
        : sql`create or replace trigger test_count_write after insert or update or delete on ${sql.table(name)}
            for each row execute function test_count_write()`
    ).execute(db)
}

async function writes(db: Db): Promise<Map<string, number>> {
  const rows = await sql<{ key: string; writes: string }>`select key, writes::text from test_writes`.execute(db)
  return new Map(rows.rows.map((row) => [row.key, Number(row.writes)]))
}

function written(before: Map<string, number>, now: Map<string, number>): string[] {
  return [...now].filter(([key, count]) => count !== (before.get(key) ?? 0)).map(([key]) => key)
}

/**
 * Writes any request may make: a session's sign-in and last-seen time, audit entries of what was read, and a
 * refused sign-in's record (its audit entry, and the failure the sign-in delay counts, kept by design).
 */
const incidental = (key: string) =>
  key === 'web_session:update' ||
  key === 'audit_event:insert:sign-in.refused' ||
  key === 'sign_in_failure:insert' ||
  // A family's worry refused at a limit is audited, with no one's details, so that a flood can be seen.
  key === 'audit_event:insert:family-worry.limited' ||
  /^audit_event:insert:.*[.-](viewed|listed)$/.test(key)

/** The error pages' headings: the staff pages', and the plain ones a person in custody gets on their own view. */
const errorTitles = new Set(
  [...Object.entries(platformMessages.en), ...Object.entries(myViewMessages.en)]
    .filter(([key]) => /^(error|my\.problem)\.\d+\.title$/.test(key))
    .map(([, text]) => text),
)

/** What the answer says is wrong: the error summary's first message, or the error page's heading and reason. */
function messageOf(response: LightMyRequestResponse): string {
  if (/json/.test(String(response.headers['content-type']))) {
    const { message } = response.json<{ message?: unknown }>()
    return typeof message === 'string' ? message : ''
  }
  const summary = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(response.body)?.[1]
  const first = summary && /<li>\s*(?:<a [^>]*>)?([^<]+)/.exec(summary)?.[1]?.trim()
  if (first) return first
  const heading = /<h1[^>]*>([^<]*)<\/h1>/.exec(response.body)?.[1]?.trim() ?? ''
  return errorTitles.has(heading) ? heading : ''
}

describe('every form of the service, on the demo estate', () => {
  let app: FastifyInstance
  let db: Db
  let close: () => Promise<void>
  const routes: RouteOptions[] = []
  /** What the app logged of a failed request, to say why a 5xx was one. */
  const failures: string[] = []

  before(async () => {
    const handle = await openDemoSnapshot({ seed: 1, today, peopleAtFirst: journeyPeopleAtFirst })
    db = handle.db
    await countWrites(db)
    const collect = (message: unknown) => {
      const { fastify } = message as { fastify: FastifyInstance }
      fastify.addHook('onRoute', (route) => void routes.push(route))
    }
    diagnostics.subscribe('fastify.initialization', collect)
    try {
      app = await buildApp({
        db,
        config: testConfig({ signInAttemptsPerMinute: 100_000, logLevel: 'error' }),
        logStream: { write: (line) => void failures.push(line) },
      })
      await app.ready()
    } finally {
      diagnostics.unsubscribe('fastify.initialization', collect)
    }
    close = async () => {
      await app.close()
      await handle.close()
    }
  })
  after(async () => close())

  // The forms of the service's pages; other systems' own addresses (a client's token, with no cookie and no
  // form page) answer JSON and are walked by the systems API's tests (areas/api).
  const postRoutes = () =>
    routes
      .filter((route) => route.method === 'POST' && (route.config as { csrf?: false }).csrf !== false)
      .map((route) => ({
        key: `POST ${route.url}`,
        url: route.url,
        permission: (route.config as { permission: Permission }).permission,
      }))

  it('knows how to drive every POST route the app has', () => {
    assert.deepEqual(
      postRoutes()
        .map((route) => route.key)
        .filter((key) => !(key in drives)),
      [],
    )
  })

  it('answers every POST route, sent its form broken in any way, with a 4xx that says why and stores nothing, or a 303 after a stored and audited record', async () => {
    const getRoutes = new Set(routes.filter((route) => route.method === 'GET').map((route) => route.url))
    const sessions = new Map<string, Browser>()
    const undriven: string[] = []
    const failed: string[] = []
    const refused: string[] = []
    for (const route of postRoutes()) {
      const drive = drives[route.key]
      if (!drive) continue
      const role = roleFor(route.permission)
      const ids = drive.ids ? await drive.ids(db) : {}
      if (!ids) {
        undriven.push(`${route.key}: nothing in the demo estate to send it to`)
        continue
      }
      const url = route.url.replace(/:(\w+)/g, (_whole, name: string) => encodeURIComponent(ids[name] ?? 'A0000AA'))
      const username = typeof drive.username === 'function' ? drive.username(ids) : drive.username
      const session = async () => {
        if (drive.ownSession) return browse(app, role, username)
        const key = username ?? role ?? 'public'
        let browser = sessions.get(key)
        if (!browser) sessions.set(key, (browser = await browse(app, role, username)))
        return browser
      }
      // The form is on the route's own page or one above it (a person's key work page holds its sessions' form).
      let fields: HtmlField[] | undefined
      const pages = drive.page ? [drive.page] : ancestors(route.url).filter((pattern) => getRoutes.has(pattern))
      for (const pattern of pages) {
        const page = await (await session()).get(pattern.replace(/:(\w+)/g, (_whole, name: string) => ids[name] ?? ''))
        const form = formsOn(page.body).find((candidate) => candidate.method === 'post' && candidate.action === url)
        if (form) {
          fields = form.fields
          break
        }
      }
      if (!fields)
        undriven.push(`${route.key}: no form found on ${pages.join(', ') || 'any page'}; driven with an empty body`)
      const valid = answered(
        fields ?? [],
        typeof drive.answers === 'function' ? drive.answers(ids) : (drive.answers ?? {}),
      )

      const send = async (body: Record<string, unknown>, asJson: boolean, what: string) => {
        const browser = await session()
        const before = await writes(db)
        // A hang is a failure too: on PGlite, a service that reads outside its own transaction waits for ever.
        let timer: NodeJS.Timeout | undefined
        const response = await Promise.race([
          browser.post(url, body as Record<string, string>, asJson),
          new Promise<never>((_resolve, reject) => {
            timer = setTimeout(() => reject(new Error(`${route.key} with ${what}: no answer in 30 seconds`)), 30_000)
          }),
        ]).finally(() => clearTimeout(timer))
        const changed = written(before, await writes(db))
        const context = `${route.key} with ${what}: ${response.statusCode} ${response.headers.location ?? ''}; wrote ${changed.join(', ') || 'nothing'}`
        assert.ok(response.statusCode < 500, `${context}\n${failures.splice(0).join('')}`)
        if (response.statusCode === 303) {
          if (drive.storesNothing) return response
          if (drive.stale !== undefined && noticeWordOf(response) === drive.stale) {
            assert.deepEqual(
              changed.filter((key) => !incidental(key)),
              [],
              `${context}: a 303 that says nothing was stored`,
            )
            return response
          }
          assert.ok(
            changed.some((key) => key.startsWith('audit_event:insert:')),
            `${context}: a 303 with no audit entry`,
          )
          assert.ok(
            changed.some((key) => !key.startsWith('audit_event:') && key !== 'web_session:update'),
            `${context}: a 303 with nothing stored`,
          )
        } else {
          assert.ok(response.statusCode >= 400, `${context}: neither a 303 nor a 4xx`)
          assert.notEqual(messageOf(response), '', `${context}: a ${response.statusCode} with no message`)
          assert.deepEqual(
            changed.filter((key) => !incidental(key)),
            [],
            `${context}: a refusal that stored something`,
          )
        }
        return response
      }

      try {
        const answer = await send(valid, false, 'its form answered')
        if (answer.statusCode !== 303) refused.push(`${route.key}: ${answer.statusCode} ${messageOf(answer)}`)
        await fc.assert(
          fc.asyncProperty(breakage, async (how) => {
            const { body, asJson, what } = broken(valid, fields ?? [], how)
            await send(body, asJson, what)
          }),
          {
            numRuns: 4,
            examples: [[{ kind: 'nul', field: 0 }], [{ kind: 'missing', field: 0 }], [{ kind: 'many fields' }]],
            // One counterexample says enough; shrinking it sends many more requests.
            endOnFailure: true,
          },
        )
      } catch (error) {
        const message =
          error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)
        failed.push(message)
        // A request that never answered holds PGlite's one connection: every later one would wait too.
        if (message.includes('no answer in')) break
      }
    }
    if (undriven.length > 0) console.log(`Driven partly or not at all:\n  ${undriven.join('\n  ')}`)
    if (refused.length > 0)
      console.log(`Refused even with the form answered (so only its refusals are tried):\n  ${refused.join('\n  ')}`)
    assert.deepEqual(failed, [])
  })
})

/** '/a/:b/c' gives '/a/:b/c', '/a/:b', '/a' and '/'. */
function ancestors(url: string): string[] {
  const parts = url.split('/').filter(Boolean)
  return [...parts.map((_part, index) => `/${parts.slice(0, parts.length - index).join('/')}`), '/']
}
