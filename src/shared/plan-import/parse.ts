import { AGREEMENT, headerColumns, isDateCell, isRoleCell, REF, SEPARATOR, type Column } from './columns.ts';
import { flatTextToGrid } from './flat.ts';
import { blocks, paragraphs, plainText, sentences, type Block } from './html.ts';
import {
  lessCertain,
  PlanParseError,
  warned,
  type PlanWarning,
  type ActionReading,
  type ParsedRecommendation,
  type PlanPreview,
  type PreviewAction,
  type PreviewRecommendation,
} from './schema.ts';
import { readTarget, splitOwners, splitTargets } from './targets.ts';

/** One row's actions with the owners and dates printed beside them (plus rows that only add dates). */
interface Group {
  blocks: Block[];
  owners: string[];
  targets: string[];
  row: number;
  /** Put back together across a page break: text joined to the row above, or a row finished on the next page. */
  rejoined?: boolean;
}

interface RecBuilder {
  ref: string;
  section: string | null;
  texts: string[];
  agreement: ParsedRecommendation['agreement'];
  directedTo: string | null;
  groups: Group[];
}

/** A table's columns, where its rows begin, and whether a header said so or the rows' content did. */
interface Layout {
  /** The first row of the table's body. */
  start: number;
  width: number;
  columns: Map<Column, number>;
  /** The columns were read from the cells' content, not from a header row. */
  inferred: boolean;
}

function findHeader(rows: string[][]): Layout | null {
  for (const [index, row] of rows.entries()) {
    const columns = headerColumns(row);
    if (columns) return { start: index + 1, width: row.length, columns, inferred: false };
  }
  return null;
}

/**
 * With no header row (it was an image, or lost in conversion), the table is found and its columns
 * named by what their cells hold: references ("1", "2.3"), agreement words, dates, short role
 * titles, and the longer text of concerns and actions (concerns before actions, as every
 * published plan orders them). Null when the rows do not look like an action table.
 */
function inferLayout(rows: string[][]): Layout | null {
  const widths = new Map<number, number>();
  for (const row of rows) if (row.length >= 3) widths.set(row.length, (widths.get(row.length) ?? 0) + 1);
  const [width] = [...widths.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0]).map(([w]) => w);
  if (width === undefined) return null;
  const body = rows.flatMap((row, index) => (row.length >= width - 1 ? [{ row, index }] : []));
  const filled = (c: number) => body.map(({ row }) => ({ raw: row[c] ?? '', text: plainText(row[c] ?? '') })).filter((cell) => cell.text);
  const share = (c: number, test: (cell: { raw: string; text: string }) => boolean) => {
    const cells = filled(c);
    return cells.length === 0 ? 0 : cells.filter(test).length / cells.length;
  };
  const indices = Array.from({ length: width }, (_, c) => c);
  const best = (candidates: number[], score: (c: number) => number, least = 0.6): number | undefined => {
    const scored = candidates.map((c) => ({ c, s: score(c) })).filter(({ s }) => s >= least);
    return scored.sort((a, b) => b.s - a.s || a.c - b.c)[0]?.c;
  };
  const columns = new Map<Column, number>();
  const taken = () => new Set(columns.values());
  const free = () => indices.filter((c) => !taken().has(c));
  const isRef = ({ text }: { text: string }) => REF.test(text);
  const ref = best(indices, (c) => (filled(c).filter(isRef).length >= 2 ? share(c, isRef) : 0));
  if (ref === undefined) return null;
  columns.set('ref', ref);
  const agreement = best(free(), (c) => share(c, ({ text }) => AGREEMENT.test(text)));
  if (agreement !== undefined) columns.set('agreement', agreement);
  const target = best(free(), (c) => share(c, ({ raw }) => isDateCell(raw)));
  if (target !== undefined) columns.set('target', target);
  const averageLength = (c: number) => {
    const cells = filled(c);
    return cells.length === 0 ? 0 : cells.reduce((n, { text }) => n + text.length, 0) / cells.length;
  };
  const owner = best(free(), (c) => share(c, ({ text }) => isRoleCell(text)) - averageLength(c) / 1000);
  if (owner !== undefined) columns.set('owner', owner);
  const texts = free().filter((c) => filled(c).length > 0);
  if (texts.length === 0) return null;
  // With one text column, it holds the actions. With two, they are told apart by how they are
  // written: an inspectorate's finding is in the past ("were", "was") and its recommendation says
  // what "should" happen, while a response says what "will" be done. Where the words do not
  // decide, concerns come first, as published plans order them.
  const voice = (c: number) => {
    const text = filled(c).map(({ text: t }) => t.toLowerCase()).join(' ');
    const count = (re: RegExp) => text.match(re)?.length ?? 0;
    const future = count(/\bwill\b|\bwe\b|\bare (now )?being\b|\bhas been\b|\bhave been\b/g);
    return future - count(/\bshould\b|\bwere\b|\bwas\b|\bdid not\b/g);
  };
  const [first, second] = [...texts.slice(0, 2)].sort((a, b) => voice(a) - voice(b) || a - b);
  if (second === undefined) columns.set('actions', first ?? 0);
  else {
    columns.set('text', first ?? 0);
    columns.set('actions', second);
  }
  if (!columns.has('owner') && !columns.has('target')) return null;
  // The body starts at the first numbered row, with any section rows just above it.
  const firstRef = body.find(({ row }) => REF.test(plainText(row[ref] ?? '')))?.index ?? 0;
  let start = firstRef;
  for (let r = firstRef - 1; r >= 0; r -= 1) {
    const row = rows[r] ?? [];
    if (row.every((cell) => !plainText(cell))) continue;
    if (row.length < width - 1) break;
    start = r;
  }
  return { start, width, columns, inferred: true };
}

const COLUMN_WORDS: Record<Column, string> = {
  ref: 'reference',
  text: 'concern',
  agreement: 'agreement',
  actions: 'actions',
  owner: 'owner',
  target: 'target date',
  directedTo: 'directed to',
};

const ESTABLISHMENT = /^(HMP\b|HMYOI\b|HMP\s*\/\s*YOI\b|HMP\s*&\s*YOI\b|HM\s+Prison\b|HM\s+YOI\b)/i;
const KEEP_UPPER = new Set(['HMP', 'HMYOI', 'YOI', 'HMPYOI', 'HMIP', 'HM']);

/** "HMYOI WERRINGTON" -> "HMYOI Werrington"; text already in mixed case is kept. */
function tidyName(name: string): string {
  if (name !== name.toUpperCase()) return name;
  return name
    .split(/(\s+)/)
    .map((w) => (KEEP_UPPER.has(w) || !/[A-Z]/.test(w) ? w : w.charAt(0) + w.slice(1).toLowerCase()))
    .join('');
}

function findEstablishment(lines: string[]): string | null {
  for (const line of lines) {
    const m = /^(?:action plan|establishment)\s*:\s*(.+)$/i.exec(plainText(line));
    if (m?.[1] && ESTABLISHMENT.test(m[1])) return tidyName(m[1].trim());
  }
  return null;
}

function readAgreement(text: string, ref: string, warnings: PlanWarning[]): ParsedRecommendation['agreement'] {
  const t = plainText(text).toLowerCase();
  if (!t) return null;
  if (/^not\s+agreed/.test(t)) return 'Not Agreed';
  if (/^partly\s+agreed|^partially\s+agreed/.test(t)) return 'Partly Agreed';
  if (t.startsWith('agreed')) return 'Agreed';
  warnings.push({ ref, message: `agreement "${plainText(text)}" is not Agreed, Partly Agreed or Not Agreed; left blank` });
  return null;
}

function categoryOf(section: string | null, text: string): string | null {
  if (/^priority concern/i.test(text)) return 'Priority concern';
  if (/^key concern/i.test(text)) return 'Key concern';
  if (/^recommendation/i.test(text)) return 'Recommendation';
  if (!section) return null;
  if (/priority/i.test(section)) return 'Priority concern';
  if (/key/i.test(section)) return 'Key concern';
  if (/recommendation/i.test(section)) return 'Recommendation';
  return section;
}

const startsMidSentence = (text: string) => /^[a-z]/.test(text);
/** Text that carries on from the row before: mid-sentence, or the next point of a numbered list. */
const continuesPrevious = (text: string) => startsMidSentence(text) || /^\d+\.\s/.test(text);

/** A paragraph that introduces the actions rather than being one: "... will do this by:". */
const INTRO = /:\s*$|^this recommendation is (partly |not )?agreed/i;
const isIntro = (block: Block, index: number, count: number) => index === 0 && !block.item && count > 1 && INTRO.test(block.text);

/** Items of unmarked lists in these plans start with a verb in -ing: "Reviewing ...", "Introducing ...". */
const STARTS_WITH_ING = /^[A-Z][a-z]+ing\b/;

function mergeIntoActions(parts: string[], startsAction: (s: string) => boolean): string[] {
  return parts.reduce<string[]>((acc, part) => {
    if (acc.length && !startsAction(part)) acc[acc.length - 1] = `${acc[acc.length - 1] ?? ''} ${part}`;
    else acc.push(part);
    return acc;
  }, []);
}

/**
 * Ways to read a group's action text as separate actions, most faithful to the plan's own
 * structure first: paragraphs and bullets (without an introduction); everything as written;
 * then unmarked lists split into sentences that start with an -ing verb, or into any sentences.
 */
function readings(group: Group): string[][] {
  const all = group.blocks.map((b) => b.text);
  const body = group.blocks.filter((b, i) => !isIntro(b, i, group.blocks.length));
  const split = (from: Block[], splitter: (text: string) => string[], which: (b: Block) => boolean) =>
    from.flatMap((b) => (which(b) ? splitter(b.text) : [b.text]));
  const ingItems = (text: string) => mergeIntoActions(sentences(text), (s) => STARTS_WITH_ING.test(s));
  const unmarked = (b: Block) => b.unmarkedList;
  // A .docx or PDF has no <ul> to mark such a list: a paragraph that reads as one ("Reviewing X.
  // Increasing Y.") is taken as one too; any other paragraph is not split (that would be a guess).
  const readsAsList = (b: Block) => !b.item && /^[A-Z][a-z]+ing\b/.test(b.text);
  const splits = (from: Block[]) => [
    split(from, ingItems, unmarked),
    split(from, sentences, unmarked),
    split(from, ingItems, readsAsList),
    split(from, sentences, readsAsList),
  ];
  return [body.map((b) => b.text), ...splits(body), ...splits(foldContinuations(body)), all];
}

/**
 * Paragraphs that a PDF or .docx breaks out of the action they belong to, folded back into it:
 * text that starts mid-sentence (a cell's rows joined across a page break), and numbered points
 * ("5. Reviewing ...") after an action that is not itself one, as a nested <ol> is folded
 * (sibling points "1. Do X", "2. Do Y" stay apart).
 */
const POINT = /^\d+[.)]\s/;
function foldContinuations(from: Block[]): Block[] {
  return from.reduce<Block[]>((acc, block) => {
    const previous = acc.at(-1);
    const continues = startsMidSentence(block.text) || (POINT.test(block.text) && !POINT.test(previous?.text ?? '1. '));
    if (previous && continues) acc[acc.length - 1] = { ...previous, text: `${previous.text} ${block.text}` };
    else acc.push(block);
    return acc;
  }, []);
}

/** Some reading of a group's actions gives each of its dates an action. */
const balanced = (group: Group) => readings(group).some((r) => r.length === group.targets.length && r.length > 0);

/** Every value the same: whichever way the actions are told apart, each gets it. null: none given. */
function uniform(values: string[]): string | null | undefined {
  const distinct = new Set(values);
  if (distinct.size === 0) return null;
  return distinct.size === 1 ? values[0] : undefined;
}

function resolveGroup(group: Group, ref: string, inheritedOwner: string | null, warnings: PlanWarning[]): PreviewAction[] {
  const wanted = group.targets.length;
  const candidates = readings(group);
  const [preferred = []] = candidates;
  const found = wanted > 0 ? candidates.findIndex((c) => c.length === wanted) : -1;
  let texts = candidates[found];
  let targets: (string | null)[] = group.targets;
  const aligned = texts !== undefined;
  // The paragraphs as they stand, or a list or page break put back together to line up.
  let read: ActionReading = found <= 0 && !group.rejoined ? 'cell' : 'recovered';
  if (!texts) {
    read = 'guessed';
    texts = wanted <= 1 ? [preferred.join(' ')] : preferred;
    const sameTarget = uniform(group.targets);
    targets = texts.map(() => sameTarget ?? null);
    if (wanted === 0) warnings.push({ ref, message: `no target date for the action in row ${group.row}` });
    else if (wanted > 1) {
      const told = texts.length === 1 ? '1 action' : `${texts.length} actions`;
      warnings.push({
        ref,
        message: `row ${group.row} has ${wanted} target dates but ${told} could be told apart`
          + (sameTarget === undefined ? '; targets left blank to fill in' : ''),
      });
    }
  }
  let owners: (string | null)[];
  const sameOwner = uniform(group.owners);
  if (aligned && group.owners.length === texts.length) owners = group.owners;
  else if (group.owners.length === 0) owners = texts.map(() => inheritedOwner);
  else if (sameOwner !== undefined) owners = texts.map(() => sameOwner);
  else {
    owners = texts.map(() => null);
    read = 'guessed';
    warnings.push({ ref, message: `row ${group.row} names ${group.owners.length} owners for ${texts.length} actions; owners left blank to fill in` });
  }
  return texts.map((text, i) => {
    const target = targets[i] ?? null;
    const meaning = target ? readTarget(target) : { due: null, complete: false };
    return { text, owner: owners[i] ?? null, target, due: meaning.due, complete: meaning.complete, read };
  });
}

function finish(rec: RecBuilder, warnings: PlanWarning[]): PreviewRecommendation {
  const actions: PreviewAction[] = [];
  // A blank owner cell under a page break continues the owner above it (a merged cell).
  let inherited: string | null = null;
  for (const group of rec.groups) {
    const resolved = resolveGroup(group, rec.ref, inherited, warnings);
    actions.push(...resolved);
    const distinct = new Set(resolved.map((a) => a.owner));
    inherited = distinct.size === 1 ? (resolved[0]?.owner ?? null) : null;
  }
  if (!actions.length) warnings.push({ ref: rec.ref, message: 'no actions found' });
  const concernTexts: string[] = [];
  const recommendationTexts: string[] = [];
  for (const text of rec.texts) {
    if (/^recommendation\b/i.test(text)) recommendationTexts.push(text);
    else if (recommendationTexts.length && startsMidSentence(text)) recommendationTexts.push(text);
    else concernTexts.push(text);
  }
  const concern = concernTexts.join(' ') || null;
  const recommendation = recommendationTexts.join(' ') || null;
  return {
    ref: rec.ref,
    section: rec.section,
    category: categoryOf(rec.section, concern ?? recommendation ?? ''),
    concern,
    recommendation,
    agreement: rec.agreement,
    // Recommendation-style plans name who a recommendation is for: a column, or "(Directed to: X)".
    directedTo: rec.directedTo ?? (/\(directed to:\s*([^)]+)\)/i.exec(recommendation ?? concern ?? '')?.[1]?.trim() ?? null),
    actions,
  };
}

/** The plan's own summary table ("Agreed 18, Partly Agreed 2"), checked against what was read. */
function checkSummary(rows: string[][], recs: readonly PreviewRecommendation[], warnings: PlanWarning[]): void {
  for (const agreement of ['Agreed', 'Partly Agreed', 'Not Agreed'] as const) {
    const row = rows.find((r) => r.length === 2 && plainText(r[0] ?? '').toLowerCase() === agreement.toLowerCase());
    if (!row) continue;
    const stated = Number(plainText(row[1] ?? ''));
    const read = recs.filter((r) => r.agreement === agreement).length;
    if (Number.isFinite(stated) && stated !== read) warnings.push({ ref: null, message: `The plan's summary says ${stated} ${agreement} but ${read} were read` });
  }
}

/** "1.", "2)", "3.1", "Concern 4:", "Recommendation 5.2" at the start of a paragraph, and the text after it. */
const NUMBERED = new RegExp(
  String.raw`^(?:(?:key |priority )?(?:concern|recommendation|finding)\s+)?(\d{1,3}(?:\.\d{1,3})*)(?:[.):]|\s*[-–:])?\s+(\S.*)$`,
  'i',
);
/** A response paragraph names itself so: "Response:", "Our response", "Action:". */
const RESPONSE_LABEL = /^(?:our\s+)?(?:response|action(?:s)?(?: taken| planned)?)\s*[:-]\s*/i;

/**
 * A letter or update note: numbered concerns, each followed by the establishment's response in
 * prose, with no table. Each concern becomes one with its response as one action; no owner or
 * target can be told from prose, so both are left to fill in, and a warning says so. Null when
 * fewer than two numbered paragraphs stand in order (then it is not a plan).
 */
const headingName = (lines: string[]) => {
  const name = lines.map((line) => line.trim()).find((line) => line.length <= 40 && ESTABLISHMENT.test(line));
  return name ? tidyName(name) : null;
};

function parseNarrative(rows: string[][], source: string): PlanPreview | null {
  const texts = rows.map((row) => plainText(row.join(' '))).filter(Boolean);
  const recs: { ref: string; concern: string; response: string[] }[] = [];
  let preamble: string[] = [];
  for (const text of texts) {
    // The letter's sign-off ends what it says.
    if (recs.length && /^(yours (sincerely|faithfully)|kind regards|best wishes|regards,?$)/i.test(text)) break;
    const numbered = NUMBERED.exec(text);
    const ref = numbered?.[1];
    // Numbers count up: "2026 was..." or a stray figure is not the next concern.
    const previous = recs.at(-1)?.ref;
    const follows = ref !== undefined && (previous === undefined ? Number(ref.split('.')[0]) <= 5 : Number(ref.split('.')[0]) >= Number(previous.split('.')[0]));
    if (numbered && ref && follows && ref !== previous) {
      recs.push({ ref, concern: numbered[2] ?? '', response: [] });
    } else if (recs.length) {
      (recs.at(-1)?.response ?? []).push(text.replace(RESPONSE_LABEL, ''));
    } else {
      preamble = [...preamble, text];
    }
  }
  if (recs.length < 2) return null;
  const warnings: PlanWarning[] = [{
    ref: null,
    message: `No action table was found: read as a letter, ${recs.length} numbered concerns each with its response as one action. Add owners and target dates in the preview.`,
  }];
  return {
    source,
    // A letter is headed by the establishment's name on a line of its own, or says it as plans do.
    establishment: findEstablishment(preamble) ?? headingName(preamble),
    recommendations: recs.map((rec) => {
      const response = rec.response.join(' ').trim();
      if (!response) warnings.push({ ref: rec.ref, message: 'no response follows it; add its actions in the preview' });
      return {
        ref: rec.ref,
        section: null,
        category: categoryOf(null, rec.concern),
        concern: rec.concern,
        recommendation: null,
        agreement: null,
        directedTo: null,
        actions: response ? [{ text: response, owner: null, target: null, due: null, complete: false, read: 'recovered' as const }] : [],
      };
    }),
    ...warned(warnings),
  };
}

/** A plan laid out as rows of cells: its action table, or else a letter, or a one-line refusal. */
export function parseGrid(rows: string[][], source: string): PlanPreview {
  const plan = parseTable(rows, source) ?? parseNarrative(rows, source);
  if (plan) return plan;
  throw new PlanParseError(
    `${source}: no action table found (expected numbered concerns or recommendations in a table with their actions, owners and target dates)`,
  );
}

/** The action table in rows of cells (TSV as published, an HTML table, or CSV); null when there is none. */
function parseTable(rows: string[][], source: string): PlanPreview | null {
  const layout = findHeader(rows) ?? inferLayout(rows);
  if (!layout) return null;
  const col = (row: string[], column: Column): string => {
    const index = layout.columns.get(column);
    return index === undefined ? '' : (row[index] ?? '');
  };
  const warnings: PlanWarning[] = [];
  if (layout.inferred) {
    const named = [...layout.columns.entries()].sort((a, b) => a[1] - b[1]).map(([column, i]) => `${COLUMN_WORDS[column]} in column ${i + 1}`);
    warnings.push({ ref: null, message: `No header row was found, so the columns were read from what they hold: ${named.join(', ')}. Check them in the preview.` });
  }
  const recs: PreviewRecommendation[] = [];
  let section: string | null = null;
  let current: RecBuilder | null = null;
  const { width } = layout;
  let end = rows.length;

  for (let r = layout.start; r < rows.length; r += 1) {
    const row = rows[r] ?? [];
    const rowNumber = r + 1;
    if (row.every((cell) => !plainText(cell))) continue;
    // The header again, as printed at the top of each page.
    if (headerColumns(row)) continue;
    if (row.length < width - 1) {
      end = r;
      break; // the table is over: what follows is a summary table or prose
    }
    if (row.every((cell) => SEPARATOR.test(cell))) continue;
    const ref = plainText(col(row, 'ref'));
    const text = col(row, 'text');
    const others = (['agreement', 'actions', 'owner', 'target'] as const).map((c) => plainText(col(row, c)));
    if (!ref && plainText(text) && others.every((o) => !o) && plainText(text).length <= 80 && paragraphs(text).length === 1) {
      section = plainText(text);
      continue;
    }
    if (REF.test(ref)) {
      if (current) recs.push(finish(current, warnings));
      current = {
        ref: ref.replace(/\.$/, ''),
        section,
        texts: [],
        agreement: readAgreement(col(row, 'agreement'), ref, warnings),
        directedTo: plainText(col(row, 'directedTo')) || null,
        groups: [],
      };
    } else if (!current) {
      warnings.push({ ref: null, message: `Row ${rowNumber}: text before the first numbered concern was left out` });
      continue;
    } else if (ref) {
      warnings.push({ ref: null, message: `Row ${rowNumber}: "${ref}" is not a reference number; read as part of ${current.ref}` });
    }
    const concernText = paragraphs(text).join(' ');
    if (concernText) current.texts.push(concernText);

    const actionBlocks = blocks(col(row, 'actions'));
    const owners = splitOwners(col(row, 'owner'));
    const targets = splitTargets(col(row, 'target'));
    const last = current.groups.at(-1);
    const [firstBlock] = actionBlocks;
    let rest = actionBlocks;
    const tail = last?.blocks.at(-1);
    // A sentence or numbered list cut by a page break finishes the last action before it: it starts
    // mid-sentence, or the action before it stopped mid-sentence ("... a White" / "Paper.").
    const cutMidSentence = firstBlock !== undefined && tail !== undefined
      && (continuesPrevious(firstBlock.text) || !/[.!?:;)"'’”]$/.test(tail.text));
    if (firstBlock && tail && last && !REF.test(ref) && cutMidSentence) {
      tail.text = `${tail.text} ${firstBlock.text}`;
      rest = actionBlocks.slice(1);
      last.rejoined = true;
    }
    // A page that broke through a row's cells unevenly leaves the row's first part with more dates
    // than actions (or none): what the next page holds finishes that part rather than starting one.
    const unfinished = last !== undefined && !REF.test(ref) && !balanced(last);
    if (rest.length && (owners.length || targets.length || !last) && !unfinished) {
      current.groups.push({ blocks: rest, owners, targets, row: rowNumber });
    } else if (last) {
      // Owners or dates alone (or more text without them) belong to the actions of the row before.
      if (unfinished && (rest.length || owners.length || targets.length)) last.rejoined = true;
      last.blocks.push(...rest);
      last.owners.push(...owners);
      last.targets.push(...targets);
    }
  }
  if (current) recs.push(finish(current, warnings));
  if (!recs.length) throw new PlanParseError(`${source}: the action table has no numbered concerns or recommendations`);
  checkSummary(rows.slice(end), recs, warnings);
  const establishment = findEstablishment(rows.slice(0, layout.start).map((r) => r.join(' ')));
  const plan = { source, establishment, recommendations: recs, ...warned(warnings) };
  // Columns named from what they hold are a reading to check, however well the rows line up.
  return layout.inferred ? noSurerThan(plan, 'recovered') : plan;
}

/** The plan with each action (of the concerns `refs`, or all) read no more surely than `reading`. */
function noSurerThan(plan: PlanPreview, reading: ActionReading, refs?: ReadonlySet<string>): PlanPreview {
  const lower = (rec: PreviewRecommendation) => ({
    ...rec,
    actions: rec.actions.map((a) => ({ ...a, read: lessCertain(a.read, reading) })),
  });
  return { ...plan, recommendations: plan.recommendations.map((rec) => (refs && !refs.has(rec.ref) ? rec : lower(rec))) };
}

/**
 * The published text/TSV shape: one table row per line, cells separated by tabs. Text that lost
 * its tabs (laid out with spaces, or one cell per line) has its columns recovered first, and
 * says so in a warning; if they cannot be, it is read as it stands (a letter, or refused).
 */
export function parsePlanText(text: string, source: string): PlanPreview {
  const clean = text.replace(/^\uFEFF/, '');
  const flat = flatTextToGrid(clean);
  if (flat) {
    let plan: PlanPreview | null = null;
    try {
      plan = parseTable(flat.rows, source);
    } catch (error) {
      if (!(error instanceof PlanParseError)) throw error;
    }
    if (plan) {
      const warning = `The text has no tab-separated columns: they were recovered ${flat.how}. Check each action's owner and date in the preview.`;
      const recovered = noSurerThan(plan, 'recovered');
      return { ...noSurerThan(recovered, 'guessed', new Set(flat.uncertain)), ...warned([{ ref: null, message: warning }, ...plan.warningDetails]) };
    }
  }
  return parseGrid(clean.split(/\r?\n/).map((line) => line.split('\t')), source);
}
