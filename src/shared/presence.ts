import type { CheckPresence } from './api/sync.ts';

/** A landing's tag's place, as printed after the unit's name: "landing 2s". */
export const landingPlace = (landing: string) => `landing ${landing}`;

/** How a tag's place reads on the sheet and in review: "A Wing", "A Wing, landing 2s", "A Wing, Servery". */
export const placeName = (unitName: string, place: string | null) => (place === null ? unitName : `${unitName}, ${place}`);

/**
 * A check's presence in words, the same on every screen and in every pack: "Scanned at A Wing,
 * landing 2s 08:05", "Not scanned: the tag is missing", or "Location not recorded" (a check from
 * an app before location tags). `time` writes an instant as the reader's clock time.
 */
export function presenceWords(
  presence: CheckPresence | null,
  unitName: string | null,
  time: (instant: string) => string,
): string {
  if (presence === null) return 'Location not recorded';
  if (presence.method === 'none') return `Not scanned: ${presence.reason}`;
  return `Scanned at ${placeName(unitName ?? 'the unit', presence.place)} ${time(presence.scannedAt)}`;
}
