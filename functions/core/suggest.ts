/** "Did you mean": the candidate nearest a misspelt name, when one is near enough to be the name meant. */

/** Levenshtein distance (insert, delete, substitute: 1 each), case-sensitive. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidate nearest `wanted` (case-insensitive), if at most a third of its length away (at least 1, at most 3
 * edits: "ordres" → "orders", not "x" → "orders"); ties go to the first candidate in order. Candidates are bounded
 * by the caller (a database's tables, an object's keys); names longer than 255 characters are not compared.
 */
export function closestName(wanted: string, candidates: Iterable<string>): string | undefined {
  const target = wanted.toLowerCase();
  if (target.length > 255) return undefined;
  const budget = Math.min(3, Math.max(1, Math.floor(target.length / 3)));
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    if (candidate.length > 255 || Math.abs(candidate.length - target.length) > budget) continue;
    const distance = editDistance(target, candidate.toLowerCase());
    if (distance <= budget && (best === undefined || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}
