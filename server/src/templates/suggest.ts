/**
 * Names close to a misspelt one, for "Did you mean" hints and quick fixes:
 * case-insensitive edit distance counting a swap of neighbours as one edit
 * ("titel" → "title").
 */

/** Up to `limit` candidates close enough to `name` to be what was meant, closest first. */
export function closestNames(name: string, candidates: readonly string[], limit = 3): string[] {
  const wanted = name.toLowerCase();
  const tolerance = Math.max(2, Math.floor(wanted.length / 3));
  return rank(wanted, candidates)
    .filter(({ candidate, distance }) => distance <= tolerance || sharedPrefix(wanted, candidate.toLowerCase()) >= Math.min(4, wanted.length))
    .slice(0, limit)
    .map(({ candidate }) => candidate);
}

/** Every candidate, closest to `name` first (ties keep their order). */
export function byCloseness(name: string, candidates: readonly string[]): string[] {
  return rank(name.toLowerCase(), candidates).map(({ candidate }) => candidate);
}

function rank(wanted: string, candidates: readonly string[]): { candidate: string; distance: number }[] {
  return candidates
    .filter((candidate) => candidate !== '')
    .map((candidate, index) => ({ candidate, index, distance: editDistance(wanted, candidate.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance || a.index - b.index);
}

function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  return i;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (before[j - 2] ?? 0) + 1);
      current.push(best);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}
