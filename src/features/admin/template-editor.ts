import type { ErrorIssue } from '../../shared/api/errors.ts';
import type { TemplateDraft } from '../../shared/api/capture.ts';
import type { TemplateItem, TemplateVersion } from '../../shared/templates/schema.ts';
import type { FieldError } from '../../ui/form.tsx';

/**
 * The template editor's pure logic: a form-shaped draft (every input a string or a boolean, so
 * half-typed numbers survive), its conversion to and from the shared TemplateDraft, item ids, and
 * the moves the editor's buttons make. No browser needed, so it is unit-tested on its own.
 */

// The read-only side (templates grouped by version, an item in words) lives in template-summary.ts.
export { describeItem, groupTemplates, type TemplateSummary } from './template-summary.ts';

export type ItemKind = TemplateItem['kind'];

export const ITEM_KINDS: readonly { kind: ItemKind; label: string }[] = [
  { kind: 'pass-fail', label: 'Pass or fail' },
  { kind: 'yes-no', label: 'Yes or no' },
  { kind: 'number', label: 'Number (a reading)' },
  { kind: 'choice', label: 'Choice from a list' },
  { kind: 'text', label: 'Text' },
  { kind: 'photo', label: 'Photo' },
];

export const KIND_LABELS = Object.fromEntries(ITEM_KINDS.map(({ kind, label }) => [kind, label])) as Record<ItemKind, string>;

export interface DraftItem {
  /** Identity in the editor (Preact keys, input ids): stays put while the question is retyped. */
  key: string;
  /** The saved item id, kept across versions because answers are keyed by it; '' for a new item. */
  id: string;
  kind: ItemKind;
  question: string;
  hint: string;
  required: boolean;
  noteOnFail: boolean;
  noteOnNo: boolean;
  unit: string;
  /** As typed: '' means no bound. */
  min: string;
  max: string;
  /** One option per line. */
  options: string;
}

export interface DraftSection {
  key: string;
  id: string;
  title: string;
  items: DraftItem[];
}

export interface EditorDraft {
  title: string;
  description: string;
  sections: DraftSection[];
}

let keys = 0;
function newKey(): string {
  keys += 1;
  return `k${keys}`;
}

export function blankItem(kind: ItemKind): DraftItem {
  // Defaults as the schema's: a fail needs a note, a "No" does not.
  return {
    key: newKey(), id: '', kind, question: '', hint: '', required: true,
    noteOnFail: true, noteOnNo: false, unit: '', min: '', max: '', options: '',
  };
}

export function blankSection(): DraftSection {
  return { key: newKey(), id: '', title: '', items: [blankItem('pass-fail')] };
}

export function emptyDraft(): EditorDraft {
  return { title: '', description: '', sections: [blankSection()] };
}

function draftItem(item: TemplateItem): DraftItem {
  const draft: DraftItem = { ...blankItem(item.kind), id: item.id, question: item.question, hint: item.hint ?? '', required: item.required };
  switch (item.kind) {
    case 'pass-fail':
      return { ...draft, noteOnFail: item.noteOnFail };
    case 'yes-no':
      return { ...draft, noteOnNo: item.noteOnNo };
    case 'number':
      return { ...draft, unit: item.unit, min: item.min === undefined ? '' : String(item.min), max: item.max === undefined ? '' : String(item.max) };
    case 'choice':
      return { ...draft, options: item.options.join('\n') };
    default:
      return draft;
  }
}

/** The editor's starting point for the next version: the latest one, as it is. */
export function draftFromVersion(version: TemplateVersion): EditorDraft {
  return {
    title: version.title,
    description: version.description,
    sections: version.sections.map((s) => ({ key: newKey(), id: s.id, title: s.title, items: s.items.map(draftItem) })),
  };
}

/** "Is the fridge at 8 °C?" -> "is-the-fridge-at-8-c": the shape the schema allows for ids and keys. */
export function slugify(text: string, fallback = 'item'): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 50) // leaves room for a "-12" suffix under the schema's 60
    .replace(/^-+|-+$/g, '');
  return slug || fallback;
}

/** `base`, or `base-2`, `base-3`... whichever is free; the one chosen is added to `taken`. */
export function uniqueId(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

type DraftSectionInput = TemplateDraft['sections'][number];
type DraftItemInput = DraftSectionInput['items'][number];

const NUMBER = /^-?\d+(\.\d+)?$/;

export type Conversion = { ok: true; value: TemplateDraft } | { ok: false; errors: FieldError[] };

/**
 * The draft as the server takes it. New items and sections get ids made from their question or
 * title, unique within the template and never one in `reservedIds` (ids earlier versions used for
 * other items), so old answers are never read as answers to a different question. Only what the
 * form alone can tell is checked here (numbers that are not numbers); the rest is the server's.
 */
export function toTemplateDraft(draft: EditorDraft, reservedIds: Iterable<string> = []): Conversion {
  const errors: FieldError[] = [];
  const items = draft.sections.flatMap((s) => s.items);
  const taken = new Set([...reservedIds, ...items.map((i) => i.id).filter(Boolean)]);
  const sectionIds = new Set(draft.sections.map((s) => s.id).filter(Boolean));
  const bound = (item: DraftItem, which: 'min' | 'max', position: string): number | undefined => {
    const text = item[which].trim();
    if (text === '') return undefined;
    if (NUMBER.test(text)) return Number(text);
    const name = which === 'min' ? 'lowest' : 'highest';
    errors.push({ field: `${item.key}-${which}`, message: `${position}: the ${name} acceptable reading must be a number, like 63 or 2.5, or empty` });
    return undefined;
  };
  const sections = draft.sections.map((section, si): DraftSectionInput => ({
    id: section.id || uniqueId(slugify(section.title, 'section'), sectionIds),
    title: section.title.trim(),
    items: section.items.map((item, ii): DraftItemInput => {
      const base = {
        id: item.id || uniqueId(slugify(item.question), taken),
        question: item.question.trim(),
        ...(item.hint.trim() ? { hint: item.hint.trim() } : {}),
        required: item.required,
      };
      switch (item.kind) {
        case 'pass-fail':
          return { kind: 'pass-fail', ...base, noteOnFail: item.noteOnFail };
        case 'yes-no':
          return { kind: 'yes-no', ...base, noteOnNo: item.noteOnNo };
        case 'number': {
          const position = `Section ${si + 1}, item ${ii + 1}`;
          const min = bound(item, 'min', position);
          const max = bound(item, 'max', position);
          return { kind: 'number', ...base, unit: item.unit.trim(), ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
        }
        case 'choice':
          return { kind: 'choice', ...base, options: item.options.split('\n').map((o) => o.trim()).filter(Boolean) };
        default:
          return { kind: item.kind, ...base };
      }
    }),
  }));
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { title: draft.title.trim(), description: draft.description.trim(), sections } };
}

function mapSection(draft: EditorDraft, index: number, change: (section: DraftSection) => DraftSection): EditorDraft {
  return { ...draft, sections: draft.sections.map((s, i) => (i === index ? change(s) : s)) };
}

export function updateSection(draft: EditorDraft, sectionIndex: number, patch: Partial<Pick<DraftSection, 'title'>>): EditorDraft {
  return mapSection(draft, sectionIndex, (s) => ({ ...s, ...patch }));
}

type ItemPatch = Partial<Omit<DraftItem, 'key' | 'id' | 'kind'>>;

export function updateItem(draft: EditorDraft, sectionIndex: number, itemIndex: number, patch: ItemPatch): EditorDraft {
  return mapSection(draft, sectionIndex, (s) => ({
    ...s,
    items: s.items.map((item, i) => (i === itemIndex ? { ...item, ...patch } : item)),
  }));
}

/** Swaps an item with its neighbour in the section; a move past either end changes nothing. */
export function moveItem(draft: EditorDraft, sectionIndex: number, itemIndex: number, delta: -1 | 1): EditorDraft {
  const to = itemIndex + delta;
  const section = draft.sections[sectionIndex];
  const moving = section?.items[itemIndex];
  const other = section?.items[to];
  if (!moving || !other) return draft;
  return mapSection(draft, sectionIndex, (s) => ({
    ...s,
    items: s.items.map((item, i) => (i === itemIndex ? other : i === to ? moving : item)),
  }));
}

export function removeItem(draft: EditorDraft, sectionIndex: number, itemIndex: number): EditorDraft {
  return mapSection(draft, sectionIndex, (s) => ({ ...s, items: s.items.filter((_, i) => i !== itemIndex) }));
}

export function addItem(draft: EditorDraft, sectionIndex: number, kind: ItemKind): EditorDraft {
  return mapSection(draft, sectionIndex, (s) => ({ ...s, items: [...s.items, blankItem(kind)] }));
}

export function addSection(draft: EditorDraft): EditorDraft {
  return { ...draft, sections: [...draft.sections, blankSection()] };
}

export function removeSection(draft: EditorDraft, sectionIndex: number): EditorDraft {
  return { ...draft, sections: draft.sections.filter((_, i) => i !== sectionIndex) };
}

const ITEM_FIELDS: Record<string, string> = {
  question: 'question', id: 'question', hint: 'hint', unit: 'unit', min: 'min', max: 'max', options: 'options', required: 'required',
};

/**
 * The server's refusal as error-summary entries: each issue at its path (`sections.0.items.2.min`)
 * says which section and item, and links to its input. Anything it cannot place, and a refusal
 * with no issues (a taken key), goes to `fallbackField`.
 */
export function explainServerError(error: ServerRefusal, draft: EditorDraft, fallbackField: string): FieldError[] {
  if (error.issues.length === 0) return [{ field: fallbackField, message: error.message }];
  return error.issues.map(({ path, message }): FieldError => {
    const item = /^sections\.(\d+)\.items\.(\d+)(?:\.([a-zA-Z]+))?(?:\.\d+)?$/.exec(path);
    if (item) {
      const [si, ii] = [Number(item[1]), Number(item[2])];
      const found = draft.sections[si]?.items[ii];
      // An item-wide rule (the range) is about its bounds: "min must not be above max".
      const field = ITEM_FIELDS[item[3] ?? ''] ?? (found?.kind === 'number' ? 'min' : 'question');
      const what = item[3] && item[3] !== 'id' ? `${item[3]} ` : '';
      return {
        field: found ? `${found.key}-${field}` : fallbackField,
        message: `Section ${si + 1}, item ${ii + 1}${found?.question ? ` (“${found.question.trim()}”)` : ''}: ${what}${message}`,
      };
    }
    const section = /^sections\.(\d+)\.[a-zA-Z]+$/.exec(path);
    if (section) {
      const found = draft.sections[Number(section[1])];
      return { field: found ? `${found.key}-title` : fallbackField, message: `Section ${Number(section[1]) + 1} title: ${message}` };
    }
    const top = /^(title|description|key)$/.exec(path);
    if (top?.[1]) return { field: `template-${top[1]}`, message: `${top[1][0]?.toUpperCase() ?? ''}${top[1].slice(1)}: ${message}` };
    return { field: fallbackField, message: path ? `${path} ${message}` : message };
  });
}

/** What explainServerError needs of a refused save: the server's message and the fields it named. */
export interface ServerRefusal {
  message: string;
  issues: readonly ErrorIssue[];
}
