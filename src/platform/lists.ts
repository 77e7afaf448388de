/**
 * The `count` items with the lowest value, lowest first (those with no value last; equal values in the order
 * given): for a long list that summarises first by what most needs seeing to.
 */
export function lowestFirst<Item>(
  items: readonly Item[],
  valueOf: (item: Item) => number | null,
  count: number,
): Item[] {
  const value = (item: Item) => valueOf(item) ?? Infinity
  // Array sort is stable, and two items with no value compare as equal (Infinity - Infinity is NaN, read as 0).
  return [...items].sort((a, b) => value(a) - value(b)).slice(0, count)
}
