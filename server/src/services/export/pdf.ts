import PDFDocument from 'pdfkit';
import { MAX_STORED_PHOTO_BYTES } from '../../../../src/shared/mutations.ts';
import { REDACTED_PHOTO_WORDS, sniffImage } from '../../../../src/shared/photos.ts';
import { localDateOf } from '../../../../src/shared/schedules.ts';
import type { BlobStore } from '../../blobs.ts';
import type { Queryable } from '../../db/client.ts';
import type { PacedOutput } from './output.ts';
import {
  actionPages,
  auditPages,
  countPack,
  evidencePages,
  type ActionSummary,
  type AuditTrailEntry,
  type Evidence,
  type EvidencePack,
  type EvidencePhoto,
  type PackCounts,
  type PackProgress,
} from './reader.ts';
import { landingPlace, placeName, presenceWords } from '../../../../src/shared/presence.ts';
import { signOffChangeWords, signOffWords } from '../../../../src/shared/api/sign-off.ts';
import { localDateTime, localTime, longDate, statusWords } from './words.ts';
import { DECISION_LABELS } from '../../../../src/shared/status.ts';

const MM = 72 / 25.4;
const MARGIN = 20 * MM;
/** Photos print about 8 cm high (less if the page width is the limit): big enough to see what was photographed. */
const PHOTO_HEIGHT = 80 * MM;
/** A photo with its caption and hash below it. */
const PHOTO_BLOCK = PHOTO_HEIGHT + 36;
/** Failure and note lines sit under their question, set in a little. */
const ANSWER_INSET = 12;

const COLOUR = { text: '#0b0c0c', secondary: '#505a5f', failure: '#d4351c', accepted: '#00703c' };

interface Style {
  font: 'Helvetica' | 'Helvetica-Bold' | 'Helvetica-Oblique';
  size: number;
  colour: string;
}

const STYLE = {
  title: { font: 'Helvetica-Bold', size: 26, colour: COLOUR.text },
  h1: { font: 'Helvetica-Bold', size: 18, colour: COLOUR.text },
  h2: { font: 'Helvetica-Bold', size: 14, colour: COLOUR.text },
  h3: { font: 'Helvetica-Bold', size: 11.5, colour: COLOUR.text },
  body: { font: 'Helvetica', size: 10.5, colour: COLOUR.text },
  strong: { font: 'Helvetica-Bold', size: 10.5, colour: COLOUR.text },
  note: { font: 'Helvetica-Oblique', size: 10.5, colour: COLOUR.text },
  secondary: { font: 'Helvetica', size: 9, colour: COLOUR.secondary },
  failure: { font: 'Helvetica-Bold', size: 10.5, colour: COLOUR.failure },
  accepted: { font: 'Helvetica-Bold', size: 10.5, colour: COLOUR.accepted },
  footer: { font: 'Helvetica', size: 8, colour: COLOUR.secondary },
} satisfies Record<string, Style>;

// The standard PDF fonts (no font file to ship) encode text as WinAnsi: Latin-1 plus these.
const WIN_ANSI_EXTRAS = new Set([
  0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e, 0x192, 0x2c6, 0x2dc, 0x2013, 0x2014, 0x2018, 0x2019, 0x201a, 0x201c, 0x201d,
  0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122,
]);
const encodable = (code: number) => (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(code);

/**
 * Text the standard fonts can show: accents outside Latin-1 are dropped ("ł" stays "?", "ő" becomes
 * "o"), control characters become spaces. Without this pdfkit writes bytes that show as garbage.
 */
export function pdfText(text: string): string {
  let out = '';
  for (const char of text.replace(/\r\n?/g, '\n')) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\n') out += char;
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += ' ';
    else if (encodable(code)) out += char;
    else {
      const plain = char.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += plain && Array.from(plain).every((c) => encodable(c.codePointAt(0) ?? 0)) ? plain : '?';
    }
  }
  return out;
}

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

async function readPhoto(blobs: BlobStore, sha256: string): Promise<Buffer | null> {
  const stream = await blobs.get(sha256);
  if (!stream) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Photos are stored at most this big; anything larger is not one of ours and is not embedded.
    if (size > MAX_STORED_PHOTO_BYTES) {
      stream.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The document being written: pdfkit plus the page furniture and the pauses that keep memory flat. */
class PackDocument {
  private readonly doc: PDFKit.PDFDocument;
  private current: Style = STYLE.body;
  private pageNumber = 0;
  private readonly ended: Promise<void>;

  constructor(
    private readonly pack: EvidencePack,
    private readonly output: PacedOutput,
  ) {
    this.doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      // The first page is added below, once the footer listener is in place.
      autoFirstPage: false,
      info: {
        Title: pdfText(`Evidence pack: ${pack.plan.title}`),
        Author: pdfText(pack.requestedBy),
        Subject: pdfText(`${pack.establishment.name}, ${pack.scopeTitle}, ${pack.from} to ${pack.to}`),
        Creator: 'Wingcheck',
        CreationDate: pack.asOf,
      },
    });
    // pdfkit writes each page as it is finished and each photo as it is drawn; they go straight on.
    this.doc.on('data', (chunk: Buffer) => {
      output.write(chunk);
    });
    this.ended = new Promise((resolve, reject) => {
      this.doc.on('end', resolve);
      this.doc.on('error', reject);
    });
    this.doc.on('pageAdded', () => {
      this.stampFooter();
    });
    this.doc.addPage();
  }

  private get contentWidth(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  private use(style: Style): void {
    this.current = style;
    this.doc.font(style.font).fontSize(style.size).fillColor(style.colour);
  }

  /**
   * Runs when pdfkit starts a page, even in the middle of wrapping a long paragraph: writes the
   * footer below the bottom margin, then puts the style and position back as the text expects.
   */
  private stampFooter(): void {
    this.pageNumber += 1;
    const { doc, pack } = this;
    const style = this.current;
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    this.use(STYLE.footer);
    const words = `${pack.establishment.name} · Evidence pack · ${shorten(pack.plan.title, 60)} · ${pack.scopeTitle} · Page ${this.pageNumber}`;
    doc.text(pdfText(words), MARGIN, doc.page.height - MARGIN / 2 - STYLE.footer.size, { lineBreak: false });
    doc.page.margins.bottom = bottom;
    this.use(style);
    doc.x = doc.page.margins.left;
    doc.y = doc.page.margins.top;
  }

  newPage(): void {
    this.doc.addPage();
  }

  /** Starts a new page unless `height` still fits on this one. */
  keepTogether(height: number): void {
    if (this.doc.y + height > this.doc.page.maxY()) this.newPage();
  }

  /** A paragraph across the page, or `inset` points in from the left. */
  text(text: string, style: Style = STYLE.body, options: PDFKit.Mixins.TextOptions = {}, inset = 0): void {
    this.use(style);
    this.doc.text(pdfText(text), this.doc.page.margins.left + inset, undefined, { width: this.contentWidth - inset, ...options });
  }

  /** A question and its answer side by side, as a printed checklist reads, kept on one page. */
  answerRow(question: string, answer: string, answerStyle: Style): void {
    const { doc } = this;
    const left = doc.page.margins.left;
    const gap = 12;
    const questionWidth = Math.round(this.contentWidth * 0.68);
    const answerWidth = this.contentWidth - questionWidth - gap;
    const [questionText, answerText] = [pdfText(question), pdfText(answer)];
    this.use(STYLE.body);
    const questionHeight = doc.heightOfString(questionText, { width: questionWidth });
    this.use(answerStyle);
    const answerHeight = doc.heightOfString(answerText, { width: answerWidth });
    const height = Math.max(questionHeight, answerHeight);
    this.keepTogether(height + 2);
    const top = doc.y;
    this.use(STYLE.body);
    doc.text(questionText, left, top, { width: questionWidth });
    this.use(answerStyle);
    doc.text(answerText, left + questionWidth + gap, top, { width: answerWidth });
    doc.x = left;
    doc.y = top + height + 2;
  }

  heading(text: string, style: Style): void {
    this.keepTogether(style.size * 4);
    this.gap(style.size * 0.4);
    this.text(text, style, { paragraphGap: style.size * 0.3 });
  }

  /** "Label: value", the label in bold. */
  field(label: string, value: string): void {
    this.use(STYLE.strong);
    this.doc.text(pdfText(`${label}: `), this.doc.page.margins.left, undefined, { width: this.contentWidth, continued: true });
    this.use(STYLE.body);
    this.doc.text(pdfText(value));
  }

  gap(points: number): void {
    this.doc.y += points;
  }

  async photo(blobs: BlobStore, photo: EvidencePhoto, caption: string): Promise<void> {
    const bytes = await readPhoto(blobs, photo.sha256);
    this.keepTogether(PHOTO_BLOCK);
    const kind = bytes ? sniffImage(bytes.subarray(0, 64)) : 'unknown';
    if (!bytes || (kind !== 'jpeg' && kind !== 'png')) {
      this.text(`${caption}: ${bytes ? 'not a JPEG or PNG, so not shown here' : 'missing from the photo store'}.`, STYLE.failure);
    } else {
      try {
        this.doc.image(bytes, this.doc.page.margins.left, undefined, { fit: [this.contentWidth, PHOTO_HEIGHT], align: 'center' });
        this.gap(4);
        this.text(caption, STYLE.secondary);
      } catch {
        // pdfkit throws strings for damaged images; the pack goes on without this one.
        this.text(`${caption}: the file is damaged and cannot be shown.`, STYLE.failure);
      }
    }
    this.text(`SHA-256 ${photo.sha256}`, STYLE.secondary, { paragraphGap: 8 });
    // A photo is the biggest piece: let the client take it before reading the next.
    await this.output.settle();
  }

  async finish(): Promise<void> {
    this.doc.end();
    await this.ended;
  }
}

function writeCover(pdf: PackDocument, pack: EvidencePack, counts: PackCounts): void {
  const zone = pack.establishment.timeZone;
  pdf.gap(60);
  pdf.text('Evidence pack', STYLE.title, { paragraphGap: 12 });
  pdf.text(pack.establishment.name, STYLE.h1, { paragraphGap: 24 });
  pdf.field('Plan', `${pack.plan.title} (version ${pack.plan.version})`);
  pdf.field('Scope', pack.scopeTitle);
  if (pack.scopeText) pdf.text(pack.scopeText, STYLE.body, { paragraphGap: 6 });
  pdf.field('Evidence submitted', `${longDate(pack.from)} to ${longDate(pack.to)} (${zone})`);
  pdf.field('Generated', `${localDateTime(pack.asOf, zone)} by ${pack.requestedBy}`);
  // A checkpoint of the audit chain outside the database: an admin verifying against it later
  // proves no entry up to it (evidence, reviews, status changes) was changed or removed since.
  pdf.field('Audit checkpoint', `entry ${pack.auditHead.seq}, ${pack.auditHead.hash || 'none yet'}`);
  pdf.gap(12);
  pdf.text('In this pack', STYLE.h3, { paragraphGap: 4 });
  pdf.field('Actions', String(counts.actions));
  pdf.field('Checks', String(counts.checks));
  pdf.field('Notes', String(counts.notes));
  pdf.field('Photos', String(counts.photos));
  const unreviewed = counts.checks + counts.notes - counts.accepted - counts.returned;
  pdf.field('Reviews', `${counts.accepted} accepted, ${counts.returned} returned, ${unreviewed} not reviewed`);
  pdf.gap(12);
  pdf.text(
    'Evidence is shown as it stood when the pack was generated: evidence received and review decisions made after that time are not '
    + 'included. Failed answers and readings outside their acceptable range are marked FAILED.',
    STYLE.secondary,
  );
}

function writeAction(pdf: PackDocument, action: ActionSummary, pack: EvidencePack, today: string): void {
  pdf.keepTogether(70);
  pdf.text(`${action.ref}: ${statusWords(action, today)}`, STYLE.h3, { paragraphGap: 2 });
  pdf.text(action.text, STYLE.body, { paragraphGap: 2 });
  const last = action.lastEvidenceAt ? localDateTime(action.lastEvidenceAt, pack.establishment.timeZone) : 'none';
  pdf.text(
    `Owner: ${action.owner ?? 'not set'} · Target: ${action.target ?? 'not set'} · Evidence in this pack: ${action.evidence} · Last evidence: ${last}`,
    STYLE.secondary,
    { paragraphGap: action.signOff ? 2 : 10 },
  );
  if (action.signOff) {
    const changed = signOffChangeWords(action.signOff);
    const signedAt = localDateTime(new Date(action.signOff.signedAt), pack.establishment.timeZone);
    pdf.text(signOffWords(action.signOff, signedAt), STYLE.body, { paragraphGap: changed ? 2 : 10 });
    if (changed) pdf.text(changed, STYLE.failure, { paragraphGap: 10 });
  }
}

function evidenceTitle(evidence: Evidence): string {
  if (evidence.kind === 'note') return 'Note';
  return evidence.template ? `${evidence.template.title} (version ${evidence.template.version})` : 'Check';
}

async function writeEvidence(
  pdf: PackDocument,
  blobs: BlobStore,
  evidence: Evidence,
  place: { n: number; total: number },
  zone: string,
): Promise<void> {
  pdf.newPage();
  pdf.text(`Evidence ${place.n} of ${place.total}: ${evidenceTitle(evidence)}`, STYLE.h2, { paragraphGap: 6 });
  pdf.field('Submitted', `${localDateTime(evidence.submittedAt, zone)} by ${evidence.authorName}`);
  if (evidence.unitName) pdf.field('Where', placeName(evidence.unitName, evidence.landing === null ? null : landingPlace(evidence.landing)));
  if (evidence.kind === 'check') pdf.field('Location tag', presenceWords(evidence.presence, evidence.unitName, (at) => localTime(new Date(at), zone)));
  pdf.field('Actions', evidence.actionRefs.join('; ') || 'none');
  pdf.field('Evidence ID', evidence.id);
  if (evidence.supersedes) pdf.field('Corrects', evidence.supersedes);
  const { review } = evidence;
  if (review) {
    const words = `${DECISION_LABELS[review.decision]} by ${review.reviewerName} on ${localDateTime(review.reviewedAt, zone)}`;
    pdf.text(`Review: ${words}${review.reason ? `. Reason: ${review.reason}` : ''}`, review.decision === 'accepted' ? STYLE.accepted : STYLE.failure);
  } else {
    pdf.field('Review', 'not reviewed yet');
  }
  pdf.gap(6);
  if (evidence.kind === 'note') pdf.text(evidence.note, STYLE.body, { paragraphGap: 6 });
  let section = '';
  for (const line of evidence.lines) {
    if (line.section && line.section !== section) {
      section = line.section;
      pdf.heading(section, STYLE.h3);
    }
    pdf.answerRow(line.question, line.answer, line.failed ? STYLE.failure : STYLE.strong);
    if (line.failed) pdf.text(`FAILED: ${line.failure ?? 'Failed'}`, STYLE.failure, { paragraphGap: 1 }, ANSWER_INSET);
    if (line.note) pdf.text(`Note: ${line.note}`, STYLE.note, { paragraphGap: 1 }, ANSWER_INSET);
    pdf.gap(4);
  }
  const photos = [...evidence.itemPhotos, ...evidence.photos];
  if (photos.length === 0) return;
  // The heading goes with the first photo, never alone at the foot of a page.
  pdf.keepTogether(PHOTO_BLOCK + STYLE.h3.size * 3);
  pdf.heading('Photos', STYLE.h3);
  const questions = new Map(evidence.lines.map((l) => [l.itemId, l.question]));
  for (const [index, photo] of photos.entries()) {
    const of = photo.itemId ? `, for “${questions.get(photo.itemId) ?? photo.itemId}”` : '';
    const redacted = photo.redacted ? ` (${REDACTED_PHOTO_WORDS})` : '';
    await pdf.photo(blobs, photo, `Photo ${index + 1} of ${photos.length}${of}${redacted}`);
  }
}

const detailWords = (value: unknown) => (value === null ? 'none' : typeof value === 'string' ? value : JSON.stringify(value));

function writeAuditEntry(pdf: PackDocument, entry: AuditTrailEntry, zone: string): void {
  pdf.keepTogether(36);
  pdf.text(`#${entry.seq} · ${localDateTime(entry.at, zone)} · ${entry.actor ?? 'System'} · ${entry.action}`, STYLE.strong, { paragraphGap: 1 });
  const details = Object.entries(entry.details).map(([key, value]) => `${key}: ${detailWords(value)}`);
  const what = `${entry.entityType}${entry.entityId ? ` ${entry.entityId}` : ''}`;
  pdf.text([what, ...details].join(' · '), STYLE.secondary, { paragraphGap: 6 }, ANSWER_INSET);
}

/**
 * Writes the pack as a PDF: cover, action summary, each piece of evidence from a new page with its
 * answers, notes, photos and review, and the audit trail. Read page by page and streamed as written.
 */
export async function writePdf(
  db: Queryable,
  blobs: BlobStore,
  pack: EvidencePack,
  output: PacedOutput,
  progress: PackProgress = () => undefined,
): Promise<void> {
  const zone = pack.establishment.timeZone;
  const counts = await countPack(db, pack);
  const total = counts.checks + counts.notes;
  progress(0, total);
  const pdf = new PackDocument(pack, output);
  writeCover(pdf, pack, counts);

  pdf.newPage();
  pdf.text('Actions', STYLE.h1, { paragraphGap: 8 });
  const today = localDateOf(pack.asOf, zone);
  let actions = 0;
  for await (const page of actionPages(db, pack)) {
    for (const action of page) writeAction(pdf, action, pack, today);
    actions += page.length;
    await output.settle();
  }
  if (actions === 0) pdf.text('This scope has no actions.', STYLE.body);

  let n = 0;
  for await (const page of evidencePages(db, pack)) {
    for (const evidence of page) {
      n += 1;
      await writeEvidence(pdf, blobs, evidence, { n, total }, zone);
      progress(n, total);
      await output.settle();
    }
  }
  if (n === 0) {
    pdf.newPage();
    pdf.text('Evidence', STYLE.h1, { paragraphGap: 8 });
    pdf.text(`No evidence was submitted for this scope between ${longDate(pack.from)} and ${longDate(pack.to)}.`);
  }

  pdf.newPage();
  pdf.text('Appendix: audit trail', STYLE.h1, { paragraphGap: 8 });
  pdf.text(
    'Changes to the actions in this pack made between the dates above, and every review decision on its evidence, '
    + 'from the establishment’s tamper-evident audit log, in the order they were recorded.',
    STYLE.secondary,
    { paragraphGap: 8 },
  );
  let entries = 0;
  for await (const page of auditPages(db, pack)) {
    for (const entry of page) writeAuditEntry(pdf, entry, zone);
    entries += page.length;
    await output.settle();
  }
  if (entries === 0) pdf.text('Nothing was recorded.', STYLE.body);
  await pdf.finish();
}
