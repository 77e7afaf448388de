/**
 * The demo writes tens of thousands of rows to some tables. One INSERT of them all would pass PostgreSQL's limit
 * of 65,535 parameters to a statement, so they go in batches of `size` rows, in order, one statement each.
 */
export async function inBatches<Row>(
  rows: readonly Row[],
  size: number,
  insert: (batch: Row[]) => Promise<unknown>,
): Promise<void> {
  for (let start = 0; start < rows.length; start += size) await insert(rows.slice(start, start + size))
}
