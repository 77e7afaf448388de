// ---------------------------------------------------------------------------------------------------------
// Non-associations (R4)

export const nonAssociationReasons = [
  'bullying',
  'gang-related',
  'organised-crime',
  'legal-request',
  'threat',
  'violence',
  'other',
] as const
export const nonAssociationLevels = ['cell', 'landing', 'wing', 'regime'] as const

/** The table keeps each pair once, the lower id first. */
export function orderedPair(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a]
}
