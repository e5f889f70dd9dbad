/**
 * Glue table VersionIds are integers in strings ("+1 per version"); they may exceed 2^53, so they are compared
 * and incremented as decimal strings, never through Number (Glue API, TableVersion.VersionId).
 */

const canonical = (id: string): string => id.replace(/^0+(?=\d)/, '');

/** A VersionId as Glue writes them: decimal digits only. */
export function isVersionId(id: string): boolean {
  return /^\d+$/.test(id);
}

/** Numeric order of two VersionIds: negative when a < b, 0 when equal, positive when a > b. */
export function compareVersionIds(a: string, b: string): number {
  const x = canonical(a);
  const y = canonical(b);
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The VersionId the next write of a table at `id` gets. */
export function nextVersionId(id: string): string {
  return (BigInt(canonical(id)) + 1n).toString();
}

/** `id` + `steps` (steps ≥ 0). */
export function versionIdAfter(id: string, steps: number): string {
  return (BigInt(canonical(id)) + BigInt(steps)).toString();
}

/** The VersionId just before `id` (Glue: "Each version is incremented by 1"); undefined before the first ("0"). */
export function versionIdBefore(id: string): string | undefined {
  const n = BigInt(canonical(id));
  return n === 0n ? undefined : (n - 1n).toString();
}
