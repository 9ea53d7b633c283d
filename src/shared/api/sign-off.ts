import { z } from 'zod';

/**
 * The head of residence's sign-off of a completed action, bound to the evidence it rests on:
 * `evidenceDigest` is the SHA-256 over the accepted checks' record hashes at signing. The server
 * works it out again when it is read: `evidenceNow` says whether the evidence is still the same.
 */
export const SignOff = z.object({
  signedName: z.string(),
  /** The role they signed in ("Head of residence"). */
  role: z.string(),
  signedAt: z.string(),
  evidenceDigest: z.string(),
  /** Accepted checks it rests on. */
  evidenceCount: z.number().int(),
  evidenceNow: z.enum(['unchanged', 'changed']),
  /** Since sign-off: accepted checks added, and ones no longer accepted or altered. */
  added: z.number().int(),
  removed: z.number().int(),
});
export type SignOff = z.infer<typeof SignOff>;

/** How the sign-off reads, on screen and in the pack. */
export function signOffWords(s: SignOff, when: string): string {
  return `Signed off by ${s.signedName}, ${s.role}, ${when}, on ${s.evidenceCount === 1 ? '1 accepted check' : `${s.evidenceCount} accepted checks`}`
    + ` (evidence SHA-256 ${s.evidenceDigest}).`;
}

/** What changed in the evidence since sign-off, or null if nothing did. */
export function signOffChangeWords(s: SignOff): string | null {
  if (s.evidenceNow === 'unchanged') return null;
  const parts = [
    ...(s.added > 0 ? [`${s.added} accepted since`] : []),
    ...(s.removed > 0 ? [`${s.removed} no longer accepted or altered`] : []),
  ];
  return `The evidence has changed since it was signed off${parts.length > 0 ? `: ${parts.join(', ')}` : ''}.`;
}
