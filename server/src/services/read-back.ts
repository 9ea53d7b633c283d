/**
 * The row a write has just made, read back through the entity's own list query (so the answer is
 * shaped as every other read of it). Missing means the database lost it: a server fault, not the caller's.
 */
export async function readBack<T>(rows: Promise<readonly T[]>, what: string): Promise<T> {
  const [row] = await rows;
  if (!row) throw new Error(`${what} was just written but cannot be read back`);
  return row;
}
