/**
 * Roles are what a person does in the prison; permissions are what a route needs. Every route declares
 * one permission in its `config`, and a test walks the route table to prove none is missing.
 * Need-to-know: partner workers and monitors find a person by prison number or full name to raise a concern,
 * but never browse the roll, and never see protected characteristics or sensitive records.
 */
export const roles = [
  'officer',
  'keyworker',
  'safercustody',
  'healthcare',
  'chaplain',
  'activities',
  'governor',
  'partner',
  'monitor',
  'admin',
  'director',
] as const
/** The staff roles (and partners and monitors): everyone who signs in at /sign-in. */
export type StaffRole = (typeof roles)[number]
/**
 * C1: a person in custody, signed in at /my/sign-in to their own view. The narrowest role of all: it holds
 * only `my-view`, not even `signed-in`, and no grant below names it.
 */
export type Role = StaffRole | 'person'

export const permissions = [
  /** No sign-in needed: the sign-in page, the health check, the assets. */
  'public',
  /** Any signed-in user: sign out, change language, change establishment. */
  'signed-in',
  /**
   * Issue 15: the prison's other systems, with a bearer token and the HMPPS-style role the route names in
   * `config.apiRole` (platform/api-callers.ts); no one signed in to a page has it.
   */
  'api',
  'roll.view',
  'roll.export',
  'person.view',
  'person.view-characteristics',
  // Journey and responsibility (issue 5: J1, J3, J4)
  'journey.view',
  'journey.record-stage',
  'journey.view-gaps',
  'handover.manage',
  // Dedicated officers, key work and progress meetings (issue 5: K1-K4, J2)
  'keywork.view',
  'keywork.allocate',
  'keywork.record-session',
  'keywork.record-meeting',
  'keywork.raise-change-request',
  'keywork.review-change-request',
  'keywork.view-flags',
  'keywork.view-statistics',
  'keywork.settings',
  // Staff, partners, training, supervision and peer supporters (issue 5: P1-P4)
  'staff.view',
  'staff.manage',
  'staff.settings',
  'organisations.manage',
  // Issue 13: accounts, their roles and prisons; a person's own account, issued with a slip
  'accounts.manage',
  'person-accounts.issue',
  'peer-supporters.view',
  'peer-supporters.manage',
  // Concerns and the safer custody dashboard (issue 6: S1, S2)
  'concerns.raise',
  'concerns.view',
  'concerns.act',
  'concerns.close-self-harm-risk',
  'concerns.view-sensitive',
  'concerns.settings',
  'safer-custody.dashboard',
  // Issue 14: worries from family and friends, and the mail Waymark keeps in its embedded outbox
  'family-worries.view',
  'family-worries.raiser',
  'family-worries.settings',
  'mail.outbox',
  // Attendance, completion, feedback and their reports (issue 7: R7); scenario planning (R6)
  'attendance.view',
  'attendance.record',
  'attendance.reports',
  'scenarios.plan',
  // The regime: offer, frameworks, non-associations, needs assessment and analysis (issue 7: R1-R4, R8)
  'regime.view',
  'regime.manage-offer',
  'regime.assess',
  'regime.non-associations',
  'regime.needs-analysis',
  // Allocation runs, timetables, registers and movement lists (issue 7: R5)
  'allocation.run',
  'allocation.accept',
  'allocation.view-timetables',
  // ACCT-style care plans, families and referrals, and the ACCT alerts (issue 6: S3-S5)
  'care-plans.view-summary',
  'care-plans.view',
  'care-plans.open',
  'care-plans.record',
  'care-plans.review',
  'care-plans.lists',
  'care-plans.export-alerts',
  'care-plans.settings',
  // Measures for governors (issue 8: M1, M2)
  'measures.view',
  'measures.set-targets',
  'safety-figures.view',
  'safety-figures.record',
  'deaths-in-custody.record',
  // The person's own view (issue 8: C1): their pages only, for the role `person` only.
  'my-view',
  // Equality of access and outcomes (issue 8: M3): groups only, never a person, small numbers protected.
  'equality.view',
  // The cost of what works (issue 8: M4): counts and the prison's own unit costs, never a person.
  'costing.view',
  'costing.edit',
  // Issue 15: the subscribers Waymark sends its events to, their signing secrets and the delivery log.
  'webhooks.manage',
] as const
export type Permission = (typeof permissions)[number]

/**
 * Everyone who works in a prison. A group director oversees several prisons from outside them: the figures,
 * never the roll, a person's record or the lists behind a figure, so the grants to everyone leave them out.
 */
const everyone: readonly Role[] = roles.filter((role) => role !== 'director')
/** Everyone employed in the prison itself: not partners, monitors, group directors or people in custody. */
const prisonStaff: readonly Role[] = roles.filter((role) => !['partner', 'monitor', 'director'].includes(role))
const grants: Record<Exclude<Permission, 'public' | 'signed-in' | 'api'>, readonly Role[]> = {
  // Need-to-know: the whole roll, with dates of birth and cells, is for prison staff. Partner workers and
  // monitors find the one person their work is about, by number or full name, to raise a concern.
  'roll.view': ['officer', 'keyworker', 'safercustody', 'healthcare', 'chaplain', 'activities', 'governor', 'admin'],
  'roll.export': ['safercustody', 'activities', 'governor', 'admin'],
  'person.view': everyone,
  'person.view-characteristics': ['officer', 'keyworker', 'safercustody', 'healthcare', 'governor', 'admin'],
  'journey.view': everyone,
  'journey.record-stage': ['officer', 'keyworker', 'safercustody', 'admin'],
  'journey.view-gaps': ['safercustody', 'governor', 'admin'],
  'handover.manage': ['safercustody', 'governor', 'admin'],
  'keywork.view': ['officer', 'keyworker', 'safercustody', 'healthcare', 'chaplain', 'activities', 'governor', 'admin'],
  'keywork.allocate': ['safercustody', 'governor', 'admin'],
  'keywork.record-session': ['officer', 'keyworker', 'safercustody'],
  'keywork.record-meeting': ['officer', 'keyworker', 'safercustody', 'healthcare', 'chaplain'],
  // Whoever hears a person ask for a new officer records it; only safer custody decides (K2).
  'keywork.raise-change-request': ['officer', 'keyworker', 'safercustody', 'healthcare', 'chaplain', 'partner'],
  'keywork.review-change-request': ['safercustody', 'governor'],
  'keywork.view-flags': ['officer', 'keyworker', 'safercustody', 'healthcare'],
  'keywork.view-statistics': ['safercustody', 'governor', 'admin', 'monitor'],
  'keywork.settings': ['governor', 'admin'],
  'staff.view': ['safercustody', 'governor', 'admin'],
  'staff.manage': ['safercustody', 'governor', 'admin'],
  'staff.settings': ['governor', 'admin'],
  // P3: an organisation is shared by every prison, so renaming one changes it for all of them: administrators
  // only. A prison's staff.manage adds the partners it works with, and puts its own partners' people in them.
  'organisations.manage': ['admin'],
  // Issue 13: administrators manage the accounts at their prisons; a partner lead (a partner an administrator
  // has named) manages their own organisation's workers, which the accounts service checks.
  'accounts.manage': ['admin', 'partner'],
  // Issue 13: reception and wing staff give a person their own account, and a new code when they forget it.
  'person-accounts.issue': ['officer', 'keyworker', 'safercustody', 'governor', 'admin'],
  'peer-supporters.view': [...prisonStaff, 'monitor'],
  'peer-supporters.manage': ['safercustody', 'activities', 'admin'],
  // S1: anyone who meets a person raises a concern; the open list and the detail are for those who act on it.
  'concerns.raise': everyone,
  'concerns.view': ['officer', 'keyworker', 'safercustody', 'healthcare', 'governor', 'admin'],
  'concerns.act': ['officer', 'keyworker', 'safercustody', 'healthcare', 'governor'],
  // S3: a concern of suicide or self-harm risk set aside with no further action is a manager's decision.
  'concerns.close-self-harm-risk': ['safercustody', 'governor'],
  // S2: a sensitive concern's detail is for safer custody and healthcare only.
  'concerns.view-sensitive': ['safercustody', 'healthcare'],
  'concerns.settings': ['safercustody', 'governor', 'admin'],
  // Monitors oversee: they see the counts, not the lists behind them.
  'safer-custody.dashboard': ['safercustody', 'governor', 'admin', 'monitor', 'director'],
  // Issue 14: a family's worry reaches safer custody, or the governors on duty when no safer custody lead is (F1:
  // someone on duty acts on it at once); who sent it and how to reach them is for safer custody alone (need to
  // know), who also keep the line families ring; an administrator reads the embedded mode's outbox.
  'family-worries.view': ['safercustody', 'governor'],
  'family-worries.raiser': ['safercustody'],
  'family-worries.settings': ['safercustody'],
  'mail.outbox': ['admin'],
  // R7: a person's activities, attendance and own feedback; not for partners and monitors (need-to-know).
  'attendance.view': prisonStaff,
  // Whoever runs or escorts a session takes its register: wing officers, instructors, the chaplaincy.
  'attendance.record': ['officer', 'keyworker', 'chaplain', 'activities'],
  // Quality and impact reports name people (time out of cell per person): managers and governors only.
  'attendance.reports': ['activities', 'governor', 'admin'],
  // R6: what-ifs on the regime, for those who decide it.
  'scenarios.plan': ['activities', 'governor', 'admin'],
  // The offer is no one's personal record: everyone may read it, partners included (they deliver part of it).
  'regime.view': everyone,
  'regime.manage-offer': ['activities', 'governor', 'admin'],
  // R1: those who meet a person at reception and induction assess them; the health flag is a pointer, not detail.
  'regime.assess': ['officer', 'keyworker', 'safercustody', 'activities', 'admin'],
  // R4: who must be kept apart is for those who move people and place them in groups.
  'regime.non-associations': ['officer', 'keyworker', 'safercustody', 'activities', 'governor', 'admin'],
  // R8: commissioning evidence; the people behind a gap need regime.assess as well.
  'regime.needs-analysis': ['activities', 'governor', 'admin', 'monitor'],
  // R5: activities managers run the allocator and review; a manager (activities or governor) accepts a timetable
  // and changes it by hand. Partners and monitors see no one's timetable (need-to-know).
  'allocation.run': ['activities', 'governor'],
  'allocation.accept': ['activities', 'governor'],
  'allocation.view-timetables': prisonStaff,
  // S3: partner workers attend reviews and take referrals: they see that a plan is open and when it is next
  // reviewed, not its observations, triggers or care map. Monitors see the dashboard counts only.
  'care-plans.view-summary': [
    'officer',
    'keyworker',
    'safercustody',
    'healthcare',
    'chaplain',
    'governor',
    'admin',
    'partner',
  ],
  'care-plans.view': ['officer', 'keyworker', 'safercustody', 'healthcare', 'chaplain', 'governor', 'admin'],
  // S3: everyone with contact with people in custody can open a plan: chaplaincy, and the orderly officer on
  // duty (a governor) among them. Partners raise a concern, which safer custody must act on.
  'care-plans.open': ['officer', 'keyworker', 'safercustody', 'healthcare', 'chaplain', 'governor'],
  'care-plans.record': ['officer', 'keyworker', 'safercustody', 'healthcare'],
  'care-plans.review': ['officer', 'keyworker', 'safercustody', 'healthcare'],
  'care-plans.lists': ['officer', 'keyworker', 'safercustody', 'healthcare', 'governor', 'admin'],
  'care-plans.export-alerts': ['safercustody', 'governor', 'admin'],
  'care-plans.settings': ['governor', 'admin'],
  // M1: the figures of what works are the prison's, not anyone's record: managers and monitors see them; the
  // records behind each figure stay behind their own permissions. Only a governor sets the prison's targets.
  'measures.view': ['safercustody', 'activities', 'governor', 'admin', 'monitor', 'director'],
  'measures.set-targets': ['governor'],
  // M2: the figures are for oversight (monitors and group directors included, without names); staff who see an
  // incident record it.
  'safety-figures.view': ['safercustody', 'governor', 'admin', 'monitor', 'director'],
  'safety-figures.record': ['officer', 'keyworker', 'safercustody', 'healthcare'],
  // A death in custody is recorded, and the named list read, by safer custody and the governors who answer for it.
  'deaths-in-custody.record': ['safercustody', 'governor'],
  'my-view': ['person'],
  // M3: the figures name no one and hide small numbers, so oversight (monitors) sees them beside those who act.
  'equality.view': ['safercustody', 'activities', 'governor', 'admin', 'monitor', 'director'],
  // M4: those who make the case for what works read the costing; the governor sets the prison's costs.
  'costing.view': ['safercustody', 'governor', 'admin', 'director'],
  'costing.edit': ['governor', 'admin'],
  // Issue 15: a subscriber receives events from every prison, so only administrators register one.
  'webhooks.manage': ['admin'],
}

/** A staff account's role; `person` is never a staff account's. */
export function isRole(value: string): value is StaffRole {
  return (roles as readonly string[]).includes(value)
}

export function hasPermission(role: Role, permission: Permission): boolean {
  if (permission === 'public') return true
  // C1: a person in custody reaches none of the staff service, not even its menu, notifications or start page.
  if (permission === 'signed-in') return role !== 'person'
  if (permission === 'api') return false
  return grants[permission].includes(role)
}

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && (permissions as readonly string[]).includes(value)
}

/** The signed-in user, as services see them: plain values, so the CLI and jobs can act as one too. */
export type Actor = {
  id: string
  username: string
  displayName: string
  role: Role
  /** The establishment the user is working in now. */
  establishmentCode: string
  /** Its name, for the header; absent where the caller is not a signed-in user (the CLI, tests). */
  establishmentName?: string
  /** Every establishment the user may work in. */
  establishmentCodes: readonly string[]
  /** Their names, for the header's switch between them; absent where the caller is not a signed-in user. */
  establishments?: readonly { code: string; name: string }[]
  /** C1: for a person in custody signed in to their own view, who they are; absent for everyone else. */
  person?: { id: string; prisonNumber: string }
  /** Issue 13: signed in with a one-time password from an administrator: nothing else until they choose one. */
  mustChangePassword?: true
  /** Issue 13: a partner an administrator has named to manage their own organisation's accounts. */
  managesOrganisationAccounts?: true
}
