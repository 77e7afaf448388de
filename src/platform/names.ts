/**
 * A name as typed and as recorded compare without case, accents, punctuation or extra spaces: "Siân O’Neill"
 * is "sian o neill", however it was keyed.
 */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^\p{Letter}\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ')
}

/** Whether a name holds what was typed to find it, word for word from any word's start: "o'neill" finds Siân O’Neill. */
export function nameHolds(name: string, typed: string): boolean {
  const wanted = nameKey(typed)
  return wanted === '' || ` ${nameKey(name)}`.includes(` ${wanted}`)
}
