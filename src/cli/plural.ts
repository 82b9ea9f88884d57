/** The noun a count needs: `step` for 1, `steps` otherwise (irregular plurals given). */
export function noun(n: number, singular: string, plural = `${singular}s`): string {
  return n === 1 ? singular : plural;
}

/** A count with its noun: `1 step`, `2 steps`, `0 histories`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${noun(n, singular, plural)}`;
}
