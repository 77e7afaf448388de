import type { JourneyStageName } from '../../db/schema.ts'

/**
 * J1: the custody journey. Each stage has an accountable role and, while it is current, a named person;
 * "who is responsible for this person now?" always has an answer or is a gap the safer custody lead sees.
 */
export const journeyStages = [
  'reception',
  'first-night',
  'induction',
  'residential',
  'transfer-out',
  'transfer-in',
  'release',
] as const satisfies readonly JourneyStageName[]

export const accountableRoles = [
  'reception-officer',
  'first-night-officer',
  'induction-officer',
  'dedicated-officer',
] as const
export type AccountableRole = (typeof accountableRoles)[number]

/** Who answers for the person at each stage; nobody once they are released. */
export const accountableRoleOf: Record<JourneyStageName, AccountableRole | null> = {
  reception: 'reception-officer',
  'first-night': 'first-night-officer',
  induction: 'induction-officer',
  residential: 'dedicated-officer',
  'transfer-out': 'reception-officer',
  'transfer-in': 'reception-officer',
  release: null,
}

/**
 * The stages a person may move to from where they are (null: no journey recorded yet). A transfer out and
 * in is recorded by a handover the receiving prison acknowledges, never by hand, so neither is offered here.
 * Release starts a new custody episode at reception (a recall or a new sentence).
 */
const nextStages: Record<JourneyStageName | 'none', readonly JourneyStageName[]> = {
  none: ['reception', 'first-night', 'induction', 'residential'],
  reception: ['first-night', 'release'],
  'first-night': ['induction', 'release'],
  induction: ['residential', 'release'],
  residential: ['release'],
  'transfer-out': [],
  'transfer-in': ['first-night', 'induction', 'residential', 'release'],
  release: ['reception'],
}

/**
 * A stage whose named person can change without moving on (a shift ends, a gap is filled): the same stage
 * again, with the new person. On the wing the dedicated officer answers, and is allocated in key work.
 */
const renamable: readonly JourneyStageName[] = ['reception', 'first-night', 'induction', 'transfer-in']

export function allowedNextStages(current: JourneyStageName | null): readonly JourneyStageName[] {
  const next = nextStages[current ?? 'none']
  return current && renamable.includes(current) ? [current, ...next] : next
}

export function isAllowedTransition(current: JourneyStageName | null, next: JourneyStageName): boolean {
  return allowedNextStages(current).includes(next)
}

/** A stage that needs a named person when it begins: every stage but release. */
export function needsNamedPerson(stage: JourneyStageName): boolean {
  return accountableRoleOf[stage] !== null
}

export type NamedPerson = { staffUserId: string; displayName: string }

export type Responsibility =
  | { kind: 'responsible'; role: AccountableRole; person: NamedPerson }
  | { kind: 'released' }
  | { kind: 'gap'; gap: ResponsibilityGap }

export const responsibilityGapKinds = ['no-journey', 'no-named-person', 'no-dedicated-officer'] as const
export type ResponsibilityGap = (typeof responsibilityGapKinds)[number]

/**
 * J1: who is responsible now. On the wing it is the dedicated officer, whoever moved the person there;
 * at every other stage it is the person named when the stage began.
 */
export function responsibleNow(
  stage: JourneyStageName | null,
  namedPerson: NamedPerson | null,
  dedicatedOfficer: NamedPerson | null,
): Responsibility {
  if (stage === null) return { kind: 'gap', gap: 'no-journey' }
  const role = accountableRoleOf[stage]
  if (role === null) return { kind: 'released' }
  if (role === 'dedicated-officer')
    return dedicatedOfficer
      ? { kind: 'responsible', role, person: dedicatedOfficer }
      : { kind: 'gap', gap: 'no-dedicated-officer' }
  return namedPerson ? { kind: 'responsible', role, person: namedPerson } : { kind: 'gap', gap: 'no-named-person' }
}

export type GapCandidate = {
  stage: JourneyStageName | null
  namedPerson: NamedPerson | null
  dedicatedOfficer: NamedPerson | null
  /** When the gap could have begun: the current stage's start, or the reception date where no journey exists. */
  since: Date
}

/** J1: the people nobody is named for, the longest-waiting first. */
export function responsibilityGaps<T extends GapCandidate>(
  candidates: readonly T[],
): (T & { gap: ResponsibilityGap })[] {
  const gaps: (T & { gap: ResponsibilityGap })[] = []
  for (const candidate of candidates) {
    const responsibility = responsibleNow(candidate.stage, candidate.namedPerson, candidate.dedicatedOfficer)
    if (responsibility.kind === 'gap') gaps.push({ ...candidate, gap: responsibility.gap })
  }
  return gaps.sort((a, b) => a.since.getTime() - b.since.getTime())
}

/** J3: a move out of a young offender institution into the adult estate is a transition, not a transfer. */
export function handoverKind(fromFunction: string, toFunction: string): 'transfer' | 'youth-to-adult' {
  return fromFunction === 'young-offender' && toFunction !== 'young-offender' ? 'youth-to-adult' : 'transfer'
}

const dayMs = 24 * 60 * 60 * 1000

/**
 * J3: a handover neither acknowledged nor refused within the receiving prison's chase days is to chase,
 * and again that many days after each chase.
 */
export function isToChase(
  handover: { createdAt: Date; acknowledgedAt: Date | null; refusedAt: Date | null; lastChasedAt?: Date | null },
  chaseDays: number,
  now: Date,
): boolean {
  if (handover.acknowledgedAt || handover.refusedAt) return false
  const waitingSince = Math.max(handover.createdAt.getTime(), handover.lastChasedAt?.getTime() ?? 0)
  return now.getTime() - waitingSince >= chaseDays * dayMs
}

/** J4: the safety responsibilities of a prison, from the wing up to the governor, and the role that holds each. */
export const accountabilityMap = [
  { responsibility: 'reception', role: 'officer' },
  { responsibility: 'first-night', role: 'officer' },
  { responsibility: 'induction', role: 'officer' },
  { responsibility: 'dedicated-officer', role: 'keyworker' },
  { responsibility: 'safer-custody-lead', role: 'safercustody' },
  { responsibility: 'healthcare', role: 'healthcare' },
  { responsibility: 'duty-governor', role: 'governor' },
  { responsibility: 'governor', role: 'governor' },
] as const
