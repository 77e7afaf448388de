/**
 * Whether an id from an address or a form is a UUID, as every record's id is: one that is not is, to the
 * pages, a record that is not there (a 404), never a query PostgreSQL refuses with an error.
 */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
}
