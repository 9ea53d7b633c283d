/**
 * The text of a location tag's QR code (server/src/services/location-tags.ts signs it):
 * `wct1.<unit id>.<place, base64url of UTF-8, empty for the unit itself>.<sheet version>.<signature>`.
 * Read on the device to say which unit and place a scanned tag is for (the signature only the
 * server can check), and by the server before it checks the signature.
 */
export const TAG_PREFIX = 'wct1';

export interface TagToken {
  unitId: string;
  place: string | null;
  version: number;
  signature: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

function fromBase64Url(text: string): string | null {
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

export function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The parts of a tag's text, or null if it is not a Wingcheck location tag at all. */
export function readTagToken(text: string): TagToken | null {
  const parts = text.trim().split('.');
  if (parts.length !== 5) return null;
  const [prefix, unitId = '', placePart = '', versionPart = '', signature = ''] = parts;
  const version = Number(versionPart);
  if (prefix !== TAG_PREFIX || !UUID.test(unitId) || !BASE64URL.test(placePart) || !BASE64URL.test(signature)) return null;
  if (!/^\d{1,9}$/.test(versionPart) || version < 1) return null;
  const place = placePart === '' ? null : fromBase64Url(placePart);
  if (placePart !== '' && place === null) return null;
  return { unitId, place, version, signature };
}
