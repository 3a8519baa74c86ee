// Keyset paging in SQL: the page after a row is the rows whose (sort key, tie-break) come after
// that row's, so a page costs an index seek whatever its depth (OFFSET would read and drop every
// row before it). Columns are named by the caller's own allow-list, never taken from input.
export type KeyValue = string | number;

export interface Keyset {
  /** The sort column (NOT NULL), from a fixed list. */
  column: string;
  descending: boolean;
  /** A unique column that breaks ties (e.g. the primary key). */
  tie: string;
  /** The last row of the previous page: its sort key and tie-break. */
  after?: [KeyValue, KeyValue];
}

/** The WHERE part (empty when on the first page), its parameters, and the ORDER BY. */
export function keysetSql(k: Keyset): { where: string; params: KeyValue[]; orderBy: string } {
  const cmp = k.descending ? '<' : '>';
  const dir = k.descending ? 'DESC' : 'ASC';
  const orderBy = k.column === k.tie ? `${k.tie} ${dir}` : `${k.column} ${dir}, ${k.tie} ${dir}`;
  if (!k.after) return { where: '', params: [], orderBy };
  if (k.column === k.tie) return { where: `${k.tie} ${cmp} ?`, params: [k.after[1]], orderBy };
  return { where: `(${k.column} ${cmp} ? OR (${k.column} = ? AND ${k.tie} ${cmp} ?))`, params: [k.after[0], k.after[0], k.after[1]], orderBy };
}
