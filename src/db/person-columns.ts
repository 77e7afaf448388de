/**
 * Issue 12: how another area's list names a person it reads through `person_summary as p`: prison number and
 * name, under the names every row of people uses. Spread into a select:
 * `.select(['x.id', ...personNameColumns])`.
 */
export const personNameColumns = [
  'p.prison_number as prisonNumber',
  'p.first_name as firstName',
  'p.last_name as lastName',
] as const
