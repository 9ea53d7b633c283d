import Papa from 'papaparse';
import type { Queryable } from '../../db/client.ts';
import type { PacedOutput } from './output.ts';
import { countPack, evidencePages, type Evidence, type EvidencePack, type PackProgress } from './reader.ts';
import { sortableDateTime, type AnswerLine } from './words.ts';
import { presenceWords } from '../../../../src/shared/presence.ts';
import { DECISION_LABELS } from '../../../../src/shared/status.ts';

/** Excel reads a file without it as the local code page, and "°C" becomes "Â°C". */
const UTF8_BOM = '\uFEFF';

/**
 * OWASP CSV injection: a cell a spreadsheet would read as a formula gets a leading apostrophe.
 * Papaparse's own default pattern (`^[=+\-@\t\r].*$`) lets a multi-line cell through, since `.`
 * stops at a newline; this one looks at the first character only.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function headers(timeZone: string): string[] {
  return [
    'Evidence ID',
    'Kind',
    `Submitted at (${timeZone})`,
    'Author',
    'Unit',
    'Landing',
    'Template',
    'Template version',
    'Action refs',
    'Section',
    'Question',
    'Answer',
    'Note',
    'Failed',
    'Review decision',
    'Review reason',
    'Reviewed by',
    `Reviewed at (${timeZone})`,
    'Photo hashes',
    'Photos of the whole evidence',
    'Corrects evidence',
    'Location tag',
    'Photos blurred on the device',
  ];
}

/** What a row says of one answer; a note's own row has no item. */
type RowLine = Omit<AnswerLine, 'itemId' | 'failure'> & { itemId: string | null };

/** One row per answer; a note, or a check with no answers, gets one row of its own so it is never lost. */
function rowsOf(evidence: Evidence, timeZone: string): string[][] {
  const common = (line: RowLine) => [
    evidence.id,
    evidence.kind === 'note' ? 'Note' : 'Check',
    sortableDateTime(evidence.submittedAt, timeZone),
    evidence.authorName,
    evidence.unitName ?? '',
    evidence.landing ?? '',
    evidence.template?.title ?? '',
    evidence.template ? String(evidence.template.version) : '',
    // "; " rather than ", ": a published concern ref may itself hold a comma.
    evidence.actionRefs.join('; '),
    line.section,
    line.question,
    line.answer,
    line.note,
    line.failed ? 'yes' : 'no',
    evidence.review ? DECISION_LABELS[evidence.review.decision] : 'Not reviewed',
    evidence.review?.reason ?? '',
    evidence.review?.reviewerName ?? '',
    evidence.review ? sortableDateTime(evidence.review.reviewedAt, timeZone) : '',
    evidence.itemPhotos.filter((p) => p.itemId === line.itemId).map((p) => p.sha256).join(' '),
    evidence.photos.map((p) => p.sha256).join(' '),
    evidence.supersedes ?? '',
    evidence.kind === 'check' ? presenceWords(evidence.presence, evidence.unitName, (at) => sortableDateTime(new Date(at), timeZone)) : '',
    [...evidence.itemPhotos, ...evidence.photos].filter((p) => p.redacted).map((p) => p.sha256).join(' '),
  ];
  if (evidence.lines.length === 0) {
    return [common({ section: '', question: '', answer: '', note: evidence.note, failed: false, itemId: null })];
  }
  return evidence.lines.map((line) => common(line));
}

const unparse = (rows: string[][]) => Papa.unparse(rows, { newline: '\r\n', escapeFormulae: FORMULA_START });

/** Writes the pack as CSV, a page of evidence at a time, waiting for the client between pages. */
export async function writeCsv(db: Queryable, pack: EvidencePack, output: PacedOutput, progress?: PackProgress): Promise<void> {
  const { timeZone } = pack.establishment;
  // Counted only when someone is watching: a download in the request needs no total.
  const counts = progress ? await countPack(db, pack) : null;
  const total = counts ? counts.checks + counts.notes : 0;
  let done = 0;
  progress?.(0, total);
  output.write(`${UTF8_BOM}${unparse([headers(timeZone)])}\r\n`);
  for await (const page of evidencePages(db, pack)) {
    const rows = page.flatMap((evidence) => rowsOf(evidence, timeZone));
    output.write(`${unparse(rows)}\r\n`);
    done += page.length;
    progress?.(done, total);
    await output.settle();
  }
}
