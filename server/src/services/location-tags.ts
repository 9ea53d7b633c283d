/**
 * Location tags: proof that a check was done where it says. An admin prints a sheet of QR codes,
 * one per unit, per landing and per other tagged place, and puts them up on the wing; the person doing a check scans
 * the tag there, with no signal needed. A tag's text is a token the server signed with the
 * establishment's tag key (HMAC-SHA256), binding it to the establishment, the unit and the place,
 * so it is verified when the check is pushed: a forged tag, another unit's, or one from a sheet
 * since replaced is refused. A photo of a tag is a copy of its text, so a tag is a strong sign,
 * not a proof, of presence; replacing the sheet (a new key version) revokes every earlier copy.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { encode } from 'uqr';
import { landingPlace, placeName } from '../../../src/shared/presence.ts';
import { readTagToken, TAG_PREFIX, toBase64Url } from '../../../src/shared/tag-token.ts';
import { auditAs, type Actor } from '../audit-request.ts';
import type { Db, Queryable } from '../db/client.ts';

/** 16 bytes of HMAC: forging one is 2^128 guesses, and the QR code stays small enough to scan from a tablet at arm's length. */
const MAC_BYTES = 16;

export interface TagKey {
  establishmentId: string;
  /** Hex; null until the first sheet is printed. */
  key: string | null;
  version: number;
}

export interface TagPlace {
  unitId: string;
  unitName: string;
  /** Where on the unit, as printed after its name ("landing 2s", "Servery"), or null for the unit as a whole. */
  place: string | null;
}

function mac(key: string, establishmentId: string, unitId: string, place: string | null, version: number): Buffer {
  return createHmac('sha256', Buffer.from(key, 'hex'))
    .update(JSON.stringify([establishmentId, unitId.toLowerCase(), place, version]))
    .digest()
    .subarray(0, MAC_BYTES);
}

/** The text a tag's QR code carries. */
export function signTag(tagKey: TagKey & { key: string }, place: Pick<TagPlace, 'unitId' | 'place'>): string {
  const { key, establishmentId, version } = tagKey;
  const signature = mac(key, establishmentId, place.unitId, place.place, version).toString('base64url');
  return [TAG_PREFIX, place.unitId.toLowerCase(), place.place === null ? '' : toBase64Url(place.place), String(version), signature].join('.');
}

export type TagVerdict = { ok: true; place: string | null } | { ok: false; reason: string };

const NOT_OURS = 'The location tag scanned is not one of this establishment’s tags (it may be damaged or copied wrongly): scan the tag on the wing again, or say why it could not be scanned.';

/** Whether `token` is a current tag of the establishment for `unitId`, and which place it names. */
export function verifyTag(token: string, tagKey: TagKey, unitId: string): TagVerdict {
  const read = readTagToken(token);
  if (!read || tagKey.key === null) return { ok: false, reason: NOT_OURS };
  if (read.version < tagKey.version) {
    return { ok: false, reason: 'The location tag scanned was revoked when new tags were printed for this establishment: scan the new tag on the wing.' };
  }
  const expected = mac(tagKey.key, tagKey.establishmentId, read.unitId, read.place, read.version);
  const given = Buffer.from(read.signature, 'base64url');
  const genuine = read.version === tagKey.version && given.length === expected.length && timingSafeEqual(given, expected);
  if (!genuine) return { ok: false, reason: NOT_OURS };
  if (read.unitId !== unitId.toLowerCase()) return { ok: false, reason: 'The location tag scanned is for another unit than the one this check is for.' };
  return { ok: true, place: read.place };
}

/** The establishment's tag key as stored (none before the first sheet). */
export async function tagKeyOf(db: Queryable, establishmentId: string): Promise<TagKey> {
  const [row] = await db.query<{ tag_key: string | null; tag_key_version: number }>(
    'SELECT tag_key, tag_key_version FROM establishments WHERE id = $1',
    [establishmentId],
  );
  return { establishmentId, key: row?.tag_key ?? null, version: row?.tag_key_version ?? 0 };
}

/**
 * A key to print with: the current one, or a new one (a new version, which revokes every tag
 * printed before) when `renew` is set or none was made yet. Audited when made.
 */
export async function keyToPrint(db: Db, actor: Actor, renew: boolean): Promise<TagKey & { key: string }> {
  return db.transaction(async (tx) => {
    const { establishmentId } = actor.auth;
    // Locked: two admins printing at once agree on one key.
    const [row] = await tx.query<{ tag_key: string | null; tag_key_version: number }>(
      'SELECT tag_key, tag_key_version FROM establishments WHERE id = $1 FOR UPDATE',
      [establishmentId],
    );
    if (row?.tag_key && !renew) return { establishmentId, key: row.tag_key, version: row.tag_key_version };
    const key = randomBytes(32).toString('hex');
    const version = (row?.tag_key_version ?? 0) + 1;
    await tx.query('UPDATE establishments SET tag_key = $2, tag_key_version = $3 WHERE id = $1', [establishmentId, key, version]);
    await auditAs(tx, actor, { action: 'tags.issue', entityType: 'establishment', entityId: establishmentId, details: { version } });
    return { establishmentId, key, version };
  });
}

/** Every place a tag is printed for: each unit in use, then each of its landings, then its other tagged places. */
async function tagPlaces(db: Queryable, establishmentId: string): Promise<TagPlace[]> {
  const units = await db.query<{ id: string; name: string; landings: string[]; places: string[] }>(
    'SELECT id::text AS id, name, landings, places FROM units WHERE establishment_id = $1 AND archived_at IS NULL ORDER BY name',
    [establishmentId],
  );
  return units.flatMap((unit) => [
    { unitId: unit.id, unitName: unit.name, place: null },
    ...unit.landings.map((landing) => ({ unitId: unit.id, unitName: unit.name, place: landingPlace(landing) })),
    ...unit.places.map((place) => ({ unitId: unit.id, unitName: unit.name, place })),
  ]);
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 40;
const COLUMNS = 2;
const ROWS = 4;
const QR_SIZE = 130;
/** Below each page's heading. */
const TOP = MARGIN + 50;
const CELL = { width: (A4.width - 2 * MARGIN) / COLUMNS, height: (A4.height - TOP - MARGIN) / ROWS };

/**
 * Where the sheet prints its `index`th tag (0-based, in the order of tagPlaces): the page (from 1),
 * and its QR code's top-left corner and size, in points.
 */
export function tagPosition(index: number): { page: number; x: number; y: number; size: number } {
  const slot = index % (COLUMNS * ROWS);
  return {
    page: Math.floor(index / (COLUMNS * ROWS)) + 1,
    x: MARGIN + (slot % COLUMNS) * CELL.width,
    y: TOP + Math.floor(slot / COLUMNS) * CELL.height,
    size: QR_SIZE,
  };
}

/** Draws one QR code with its module grid as filled squares (crisp at any print size), top-left at x, y. */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number): void {
  const { data, size } = encode(text, { ecc: 'M', border: 0 });
  const module = QR_SIZE / size;
  for (let row = 0; row < size; row += 1) {
    const line = data[row] ?? [];
    for (let column = 0; column < size; column += 1) {
      if (line[column]) doc.rect(x + column * module, y + row * module, module, module);
    }
  }
  doc.fill('#000000');
}

/** The printable tag sheet as PDF bytes: a QR code per unit and landing, its name in text beside it. */
export async function tagSheet(db: Db, actor: Actor): Promise<{ pdf: Buffer; version: number; tags: number }> {
  const key = await keyToPrint(db, actor, false);
  const places = await tagPlaces(db, actor.auth.establishmentId);
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: `Location tags: ${actor.auth.establishmentName}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const printed = actor.now.toISOString().slice(0, 10);
  const heading = (page: number) => {
    doc.font('Helvetica-Bold').fontSize(14).fillColor('#000000').text(`${actor.auth.establishmentName}: location tags`, MARGIN, MARGIN);
    doc.font('Helvetica').fontSize(9).text(
      `Sheet ${key.version}, printed ${printed}, page ${page}. Put each tag up where it says; a check scans the one where it is done. `
      + 'Tags from earlier sheets no longer work.',
      { width: A4.width - 2 * MARGIN },
    );
  };
  const cellWidth = CELL.width;
  let page = 1;
  heading(page);
  if (places.length === 0) doc.moveDown().fontSize(12).text('There are no units yet: add them on the Units screen, then print the tags.');
  places.forEach((place, index) => {
    const { x, y, page: onPage } = tagPosition(index);
    if (onPage > page) {
      doc.addPage();
      page = onPage;
      heading(page);
    }
    drawQr(doc, signTag(key, place), x, y);
    doc.font('Helvetica-Bold').fontSize(12).fillColor('#000000')
      .text(placeName(place.unitName, place.place), x + QR_SIZE + 10, y + 10, { width: cellWidth - QR_SIZE - 20 });
    doc.font('Helvetica').fontSize(8).text(`Wingcheck location tag, sheet ${key.version}`, { width: cellWidth - QR_SIZE - 20 });
  });
  doc.end();
  await done;
  return { pdf: Buffer.concat(chunks), version: key.version, tags: places.length };
}
