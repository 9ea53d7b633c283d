/**
 * The version of the sync protocol (docs/sync-protocol.md): bump it for a change an older server
 * or client could misread. Apart from mutations.ts so the device's first bundle carries no zod.
 *
 * 1: photos one per request (`PUT /api/blobs/:sha256`), then pushes of mutations.
 * 2: the same pushes and mutations; photos in batches (`POST /api/blobs/batch`) after asking the
 *    server which it lacks (`POST /api/blobs/missing`). A server speaking 2 still takes 1.
 * 3: as 2, plus explanations of missed checks: the `gap.explain` mutation, and `gap` changes in a
 *    pull that says it speaks 3 (older apps are never sent a change they cannot read).
 * 4: as 3, and a photo reference may say `redacted: true` (blurred on the device); a pull that says
 *    it speaks 4 gets `redacted` on every photo, an older one photo references as they were.
 * 5: as 4, and `action.set-status` to "complete" may carry `signedName`, the typed signature of the
 *    sign-off (without it, the account's name signs).
 */
export const PROTOCOL_VERSION = 5;

/** The oldest protocol a server of this version still takes; older, or newer than PROTOCOL_VERSION, is answered 426. */
export const OLDEST_PROTOCOL = 1;
