// Which row stays selected when the results under it are replaced: the hits
// found by meaning arrive a moment after the ones found by words, and the row
// the user was looking at must not jump.

/** The index in `next` of the hit selected in `previous`, so the same result
 * stays selected; when it is gone, the same position; -1 for no rows. */
export function keepSelection(previous: { id: string }[], selected: number, next: { id: string }[]): number {
  if (next.length === 0) return -1;
  const id = previous[selected]?.id;
  const found = id === undefined ? -1 : next.findIndex((hit) => hit.id === id);
  if (found >= 0) return found;
  return Math.min(Math.max(selected, 0), next.length - 1);
}
