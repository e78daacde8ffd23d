/** A contraction's `schema.table` or bare `table`, as the ticket validated it. */
export function splitTableName(qualified: string): { schema: string | null; table: string } {
  const dot = qualified.indexOf(".");
  return dot === -1 ? { schema: null, table: qualified } : { schema: qualified.slice(0, dot), table: qualified.slice(dot + 1) };
}
