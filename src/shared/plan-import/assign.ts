/** Someone an action can be assigned to. */
export interface Assignable {
  id: string;
  displayName: string;
  jobTitle: string | null;
}

export interface Suggestion {
  userId: string | null;
  /** job-title: one person holds the owner's title; ambiguous: several do; no-match; no-owner. */
  reason: 'job-title' | 'ambiguous' | 'no-match' | 'no-owner';
  /** Everyone holding the first title that matched anyone. */
  candidates: string[];
}

const normalise = (title: string) =>
  title.toLowerCase().replace(/&/g, ' and ').replace(/[^a-z0-9 ]+/g, ' ').replace(/\s+/g, ' ').trim().replace(/^the /, '');

/** The job titles an owner cell names: "Governor / Education Provider" -> both, in order. */
export function ownerTitles(owner: string): string[] {
  return owner
    .split(/\s*\/\s*|\s*,\s*|\s+and\s+/i)
    .map(normalise)
    .filter(Boolean);
}

/**
 * Who should own an action, from the job title the plan names: the one person with that title
 * (the first title that anyone holds, for cells naming several). Several people with the title is
 * left for the admin to choose; so is no match. Never a guess on a partial match.
 */
export function suggestAssignee(owner: string | null, people: readonly Assignable[]): Suggestion {
  if (!owner?.trim()) return { userId: null, reason: 'no-owner', candidates: [] };
  for (const title of ownerTitles(owner)) {
    const holders = people.filter((p) => p.jobTitle !== null && normalise(p.jobTitle) === title);
    if (holders.length === 1) return { userId: holders[0]?.id ?? null, reason: 'job-title', candidates: holders.map((h) => h.id) };
    if (holders.length > 1) return { userId: null, reason: 'ambiguous', candidates: holders.map((h) => h.id) };
  }
  return { userId: null, reason: 'no-match', candidates: [] };
}
