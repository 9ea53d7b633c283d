/**
 * Rows whose cells ran together on one line (the tabs between them lost, as when a PDF's text is
 * copied): each numbered line is a row, a line starting with spaces a row with an empty
 * reference. Its cells are told apart from the end, by what each holds: the dates, the owner's
 * role title before them, an agreement word, and the concern before the first sentence written as
 * a response. Cells that held paragraphs or lists keep them (`<p>`, `<ul>`), so the parser lines
 * actions up with dates as in any table.
 */
import { isDateCell, isRoleCell } from './columns.ts';
import { plainText, sentences } from './html.ts';
import { TARGET } from './targets.ts';

const TRAILING_TARGET = new RegExp(`(?:^|\\s)(${TARGET})\\s*$`, 'i');
const ROW_START = /^(\d{1,3}(?:\.\d{1,3})*)\.?\s+(?=\S)/;
const AGREEMENT_WORDS = /(?:^|[.!?)>]\s*|\s)(Partly Agreed|Not Agreed|Agreed)(?:\s+(?=[A-Z<])|\s*$)/;
/** A response says what will be or has been done; a finding what was found or should be. */
const RESPONSE_VOICE = /\b(will|we|has been|have been|is being|are being|is now|are now)\b/i;
const HEADER_WORDS = [
  /\b(rec(ommendation)?\.? no|ref(erence)?)\b/i,
  /\b(response|action)/i,
  /\b(owner|lead|responsib)/i,
  /\b(target|timescale|date|deadline)/i,
];
/** A header row run together: short, naming a reference, the actions, and an owner or a date. */
const isHeaderLine = (line: string) => plainText(line).length <= 200 && HEADER_WORDS.filter((re) => re.test(line)).length >= 3;
const SEPARATOR = /^[\s\-–—]*$/;

/** A paragraph or list as the cell held it, or plain text between them. */
interface Segment {
  html: boolean;
  text: string;
}

/**
 * A paragraph or list with its closing tag, a tag left open (cells are often cut mid-list), or
 * text. One pass over the tags: each opening tag runs to the next closing tag of its kind.
 */
function segmentsOf(text: string): Segment[] {
  const tags = [...text.matchAll(/<(\/?)([a-z][a-z0-9]*)\b[^>]*>/gi)];
  const closing = new Map<string, number[]>();
  for (const tag of tags) {
    if (!tag[1]) continue;
    const name = tag[2]?.toLowerCase() ?? '';
    const list = closing.get(name) ?? [];
    list.push(tag.index);
    closing.set(name, list);
  }
  const segments: Segment[] = [];
  const next = new Map<string, number>();
  let at = 0;
  const plain = (end: number) => {
    if (text.slice(at, end).trim()) segments.push({ html: false, text: text.slice(at, end) });
  };
  for (const tag of tags) {
    if (tag.index < at) continue;
    const name = tag[2]?.toLowerCase() ?? '';
    plain(tag.index);
    const closes = closing.get(name) ?? [];
    let k = next.get(name) ?? 0;
    while (k < closes.length && (closes[k] ?? 0) < tag.index) k += 1;
    next.set(name, k);
    const close = closes[k];
    const block = !tag[1] && ['p', 'ul', 'ol'].includes(name) && close !== undefined;
    const end = block ? text.indexOf('>', close) + 1 : tag.index + tag[0].length;
    segments.push({ html: true, text: text.slice(tag.index, end) });
    at = end;
  }
  plain(text.length);
  return segments;
}

/** Words a role title is made of: capitalised words, initials, and a few joining words. */
const TITLE_WORD = /^(?:[A-Z0-9(&/–-]|(?:and|of|for|the|in|&)$)/;
const ARTICLE = /^(?:the|a|an|this|these|that|it|we|our|their)\b/i;
/** A role title: a name or two, every word capitalised or joining, not starting with an article. */
export const isRole = (text: string) => {
  const words = text.split(/\s+/).filter(Boolean);
  return words.length > 0 && words.length <= 14 && isRoleCell(text) && /^[A-Z]/.test(text) && !ARTICLE.test(text)
    && words.every((w) => TITLE_WORD.test(w));
};

/** The role title that ends `text` (after a sentence cut off by a page break): its longest title-like tail. */
function trailingTitle(text: string): string {
  const words = text.split(/\s+/).filter(Boolean);
  let from = words.length;
  while (from > 0 && TITLE_WORD.test(words[from - 1] ?? '')) from -= 1;
  while (from < words.length && !/^[A-Z]/.test(words[from] ?? '')) from += 1;
  const title = words.slice(from).join(' ');
  return isRole(title) ? title : '';
}
const join = (segments: readonly Segment[]) => segments.map((s) => s.text.trim()).join(' ').trim();

/** The dates at the end: paragraphs that are dates, or dates at the end of plain text. */
function takeTargets(segments: Segment[]): string[] {
  const targets: string[] = [];
  for (let last = segments.at(-1); last; last = segments.at(-1)) {
    if (last.html) {
      if (!/^<p\b/i.test(last.text) || !isDateCell(last.text)) break;
      targets.unshift(plainText(last.text));
      segments.pop();
      continue;
    }
    let rest = last.text.trim();
    const found: string[] = [];
    for (let m = TRAILING_TARGET.exec(rest); m?.[1]; m = TRAILING_TARGET.exec(rest)) {
      found.unshift(m[1]);
      rest = rest.slice(0, m.index).trim();
    }
    targets.unshift(...found);
    if (rest) {
      last.text = rest;
      break;
    }
    segments.pop();
    if (!found.length) break;
  }
  return targets;
}

/** The owner before the dates: paragraphs that are role titles, or a title after plain text's last sentence. */
function takeOwners(segments: Segment[], cutTitles: boolean): string[] {
  const owners: string[] = [];
  for (let last = segments.at(-1); last; last = segments.at(-1)) {
    if (last.html) {
      if (!/^<p\b/i.test(last.text) || !isRole(plainText(last.text))) break;
      owners.unshift(plainText(last.text));
      segments.pop();
      continue;
    }
    const text = last.text.trim();
    const stop = Math.max(...['. ', '! ', '? ', ') '].map((end) => text.lastIndexOf(end)));
    // Plain text after a paragraph or after the response's last sentence, or else the title that
    // ends a sentence a page break cut off ("... a comprehensive format for Governor").
    const afterStop = stop >= 0 ? text.slice(stop + 2).trim() : segments.length > 1 ? text : '';
    const title = isRole(afterStop) ? afterStop : cutTitles ? trailingTitle(text) : '';
    if (title && title !== text.slice(0, title.length)) {
      owners.unshift(title);
      last.text = text.slice(0, text.length - title.length).trim();
    } else if (title) {
      owners.unshift(title);
      segments.pop();
    }
    break;
  }
  return owners;
}

/**
 * Concern and response: split at an agreement word, or before the first part written as a
 * response. `concernFirst`: the text starts in the concern column, so with no response in it, it
 * is all concern.
 */
interface ConcernAndResponse {
  concern: string;
  agreement: string;
  response: string;
}

function splitConcern(segments: readonly Segment[], concernFirst = false): ConcernAndResponse {
  for (const [i, segment] of segments.entries()) {
    if (segment.html) continue;
    const agreed = AGREEMENT_WORDS.exec(segment.text);
    if (agreed?.[1]) {
      const at = agreed.index + agreed[0].indexOf(agreed[1]);
      return {
        concern: join([...segments.slice(0, i), { html: false, text: segment.text.slice(0, at) }]),
        agreement: agreed[1],
        response: join([{ html: false, text: segment.text.slice(at + agreed[1].length) }, ...segments.slice(i + 1)]),
      };
    }
  }
  // Paragraphs as they stand, plain text by sentence.
  const units = segments.flatMap((segment) =>
    (segment.html ? [segment] : sentences(segment.text).map((text) => ({ html: false, text }))));
  const first = units.findIndex((unit) => RESPONSE_VOICE.test(plainText(unit.text)));
  if (first < 0 && concernFirst) return { concern: join(units), agreement: '', response: '' };
  if (first <= 0) return { concern: '', agreement: '', response: join(units) };
  return { concern: join(units.slice(0, first)), agreement: '', response: join(units.slice(first)) };
}

interface Split {
  cells: string[];
  certain: boolean;
}

/** A row with no reference that names itself part of the concern: "Recommendation: ...", "Key concern ...". */
export const CONCERN_GOES_ON = /^(?:<[^>]*>\s*)*(?:(?:key |priority )?concern|recommendation)\b/i;

/**
 * `indent`: how many empty cells a row with no reference starts with, where each lost tab became
 * the same run of spaces: one, and it starts in the concern column; more, in the actions. With no
 * indent to go by, a row carries on the concern only if it says so.
 */
function splitRow(text: string, numbered: boolean, indent: number): Split {
  const segments = segmentsOf(text);
  const targets = takeTargets(segments);
  const owners = takeOwners(segments, numbered);
  const concernFirst = !numbered && (indent === 1 || (indent === 0 && CONCERN_GOES_ON.test(text)));
  const { concern, agreement, response } = numbered || concernFirst
    ? splitConcern(segments, concernFirst)
    : { concern: '', agreement: '', response: join(segments) };
  // The response's paragraphs were lost with the tabs where it is plain text: where its sentences
  // are exactly as many as its dates, each sentence is an action with its date; otherwise one text.
  const said = segments.every((s) => !s.html) ? sentences(response) : [];
  const actions = targets.length > 1 && said.length === targets.length ? said.map((t) => `<p>${t}</p>`).join(' ') : response;
  const paragraphsOf = (values: string[]) => (values.length > 1 ? values.map((v) => `<p>${v}</p>`).join(' ') : (values[0] ?? ''));
  return {
    cells: [concern, agreement, actions, paragraphsOf(owners), paragraphsOf(targets)],
    certain: Boolean(owners.length && targets.length && (concern || agreement || !numbered)),
  };
}

const mostCommon = (values: readonly number[]): number => {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 1;
};

/** A short title on a row of its own, no sentence and no date: a section ("Key concerns"). */
const isSection = (text: string) => text.length <= 80 && !/[.!?:]$/.test(plainText(text)) && !isDateCell(text) && !text.includes('<');

/** Numbered rows whose cells ran together, most of them ending in a date; null when the text is not that. */
export function runTogetherRows(lines: readonly string[]): { rows: string[][]; uncertain: string[] } | null {
  const numbered = lines.filter((line) => ROW_START.test(line.trim()) && !isHeaderLine(line));
  const dated = numbered.filter((line) => TRAILING_TARGET.test(plainText(line))).length;
  if (numbered.length < 2 || dated < numbered.length * 0.6) return null;
  // How many spaces each lost tab became: the run after most rows' reference.
  const after = numbered.map((line) => /^\S+( +)/.exec(line.trim())?.[1]?.length ?? 1);
  const width = mostCommon(after);
  const rows: string[][] = [];
  const uncertain: string[] = [];
  let open: { ref: string; text: string; indent: number } | null = null;
  let started = false;
  const close = () => {
    if (!open) return;
    const { cells, certain } = splitRow(open.text, open.ref !== '', open.indent);
    if (!certain && open.ref) uncertain.push(open.ref);
    rows.push([open.ref, ...cells]);
    open = null;
  };
  for (const raw of lines) {
    const line = raw.trim();
    const start = ROW_START.exec(line);
    if (line && isHeaderLine(line)) {
      // The header, in whatever words, says nothing the rows do not: it is replaced by one.
      close();
      started = true;
    } else if (start?.[1]) {
      close();
      started = true;
      open = { ref: start[1], text: line.slice(start[0].length), indent: 0 };
    } else if (!line || SEPARATOR.test(line)) {
      close();
    } else if (started && /^\s/.test(raw)) {
      // Indented: the row's first cells were empty, a continuation of the row above or a section.
      close();
      if (isSection(line)) rows.push(['', line, '', '', '', '']);
      else open = { ref: '', text: line, indent: Math.round((raw.length - raw.trimStart().length) / width) };
    } else if (open) {
      open.text = `${open.text} ${line}`; // the row wrapped onto the next line
    } else rows.push([line]);
  }
  close();
  const header = ['Ref', 'Concern', 'Agreement', 'Action', 'Owner', 'Target date'];
  const first = rows.findIndex((row) => row.length > 1);
  return { rows: [...rows.slice(0, first), header, ...rows.slice(first)], uncertain };
}
