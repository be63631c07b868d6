/**
 * Filter values shaped so that every server can look them up through an index. FerretDB v1 (the
 * embedded default) pushes only equality on top-level fields down to its database; an `$in`,
 * a range or a sort is applied to whatever the equalities matched (docs/storage.md). So every
 * query names an equality that bounds it (a talk, a thread, a message), and a set of one is
 * asked for as plain equality. MongoDB answers both forms from the same index.
 */

/** `value` alone as an equality, several as `$in`. */
export function oneOrAnyOf<T>(values: readonly T[]): T | { $in: T[] } {
  const [only] = values;
  return values.length === 1 && only !== undefined ? only : { $in: [...values] };
}
