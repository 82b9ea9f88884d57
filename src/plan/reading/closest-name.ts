const LONGEST_SUGGESTED = 256;

/** The candidate a misspelt name most likely meant, or null when none is close enough to suggest. */
export function closestName(name: string, candidates: readonly string[]): string | null {
  // The edit distance is quadratic, and no name we know is this long: a megabyte-long key gets no suggestion.
  if (name.length > LONGEST_SUGGESTED) return null;
  const wanted = simplify(name);
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, simplify(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === null) return null;
  // A third of the longer name: "retries" still finds "maxRetries", "name" does not find "id".
  const allowed = Math.max(1, Math.floor(Math.max(name.length, best.length) / 3));
  return bestDistance <= allowed ? best : null;
}

/** ` (did you mean "x"?)` after a misspelt name, or nothing when no candidate is close. */
export function suggestion(name: string, candidates: readonly string[]): string {
  return didYouMean(closestName(name, candidates));
}

/** ` (did you mean "x"?)` for a guess already made, or nothing without one. */
export function didYouMean(guess: string | null): string {
  return guess === null ? '' : ` (did you mean "${guess}"?)`;
}

// Case and separators are the commonest slips (depends_on, TimeoutMs), so they cost nothing.
function simplify(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '');
}

function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      let distance = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
      // Two neighbours typed the wrong way round ("strat" for "start") is one slip, not two.
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, beforePrevious[j - 2]! + 1);
      }
      current.push(distance);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length]!;
}
