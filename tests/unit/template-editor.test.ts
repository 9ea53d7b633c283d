import { describe, expect, it } from 'vitest';
import {
  addItem,
  addSection,
  blankItem,
  describeItem,
  draftFromVersion,
  emptyDraft,
  explainServerError,
  groupTemplates,
  moveItem,
  removeItem,
  slugify,
  toTemplateDraft,
  uniqueId,
  updateItem,
  updateSection,
  type EditorDraft,
} from '../../src/features/admin/template-editor.ts';
import { describeIssues, issuesOf } from '../../server/src/validation.ts';
import { TemplateDraft, type TemplateVersionRecord } from '../../src/shared/api/capture.ts';
import { BUILTIN_TEMPLATES } from '../../src/shared/templates/builtin.ts';
import type { TemplateVersion } from '../../src/shared/templates/schema.ts';

function builtin(key: string): TemplateVersion {
  const template = BUILTIN_TEMPLATES.find((t) => t.key === key);
  if (!template) throw new Error(`no built-in ${key}`);
  return template;
}

function converted(draft: EditorDraft, reserved: string[] = []) {
  const result = toTemplateDraft(draft, reserved);
  if (!result.ok) throw new Error(`not converted: ${JSON.stringify(result.errors)}`);
  return result.value;
}

describe('item ids', () => {
  it('are made from the question: lower-case, dashes, no accents or symbols', () => {
    expect(slugify('Is the fridge at 8 °C or below?')).toBe('is-the-fridge-at-8-c-or-below');
    expect(slugify('  Café  crème — served hot  ')).toBe('cafe-creme-served-hot');
    expect(slugify('???')).toBe('item');
    expect(slugify('', 'section')).toBe('section');
    const long = slugify('a'.repeat(80) + ' end');
    expect(long.length).toBeLessThanOrEqual(50);
    expect(long).toMatch(/^[a-z0-9-]+$/);
  });

  it('are unique within the template', () => {
    const taken = new Set(['fridge', 'fridge-2']);
    expect(uniqueId('fridge', taken)).toBe('fridge-3');
    expect(uniqueId('freezer', taken)).toBe('freezer');
    expect(uniqueId('freezer', taken)).toBe('freezer-2');
  });
});

describe('draft and TemplateDraft', () => {
  it('round-trips every built-in template unchanged, and the server schema accepts it', () => {
    for (const template of BUILTIN_TEMPLATES) {
      const body = converted(draftFromVersion(template));
      const { title, description, sections } = template;
      expect(TemplateDraft.parse(body)).toEqual({ title, description, sections });
    }
  });

  it('gives new items ids from their questions, never one already used or reserved by an earlier version', () => {
    let draft = draftFromVersion(builtin('weekly-kitchen-quality'));
    draft = addItem(draft, 0, 'yes-no');
    draft = updateItem(draft, 0, 5, { question: 'Kitchen clean?', noteOnNo: true });
    draft = addItem(draft, 0, 'text');
    draft = updateItem(draft, 0, 6, { question: 'Kitchen clean', hint: '  ' });
    draft = addItem(draft, 0, 'pass-fail');
    draft = updateItem(draft, 0, 7, { question: 'Tasting' });
    const body = converted(draft, ['kitchen-clean-2']);
    const items = body.sections[0]?.items ?? [];
    expect(items.map((i) => i.id)).toEqual([
      'kitchen-clean', 'temperature-records', 'fridge-temp', 'menu-followed', 'tasting', 'kitchen-clean-3', 'kitchen-clean-4', 'tasting-2',
    ]);
    expect(items[5]).toEqual({ kind: 'yes-no', id: 'kitchen-clean-3', question: 'Kitchen clean?', required: true, noteOnNo: true });
    expect(items[6]).toEqual({ kind: 'text', id: 'kitchen-clean-4', question: 'Kitchen clean', required: true });
    expect(TemplateDraft.safeParse(body).success).toBe(true);
  });

  it('keeps an existing item id when its question is reworded, so answers stay comparable', () => {
    const draft = updateItem(draftFromVersion(builtin('weekly-kitchen-quality')), 0, 2, { question: 'Main fridge temperature' });
    expect(converted(draft).sections[0]?.items[2]).toMatchObject({ id: 'fridge-temp', question: 'Main fridge temperature' });
  });

  it('turns number bounds, choice lines and a new section into the schema’s shape', () => {
    let draft: EditorDraft = { ...emptyDraft(), title: 'Walk-in fridge check' };
    draft = updateSection(draft, 0, { title: 'Fridge' });
    draft = removeItem(draft, 0, 0);
    draft = addItem(draft, 0, 'number');
    draft = updateItem(draft, 0, 0, { question: 'Fridge temperature', unit: ' °C ', min: '', max: '8' });
    draft = addItem(draft, 0, 'number');
    draft = updateItem(draft, 0, 1, { question: 'Core temperature', unit: '°C', min: '-2.5', max: ' 75 ' });
    draft = addSection(draft);
    draft = updateSection(draft, 1, { title: 'Fridge' });
    draft = updateItem(removeItem(addItem(draft, 1, 'choice'), 1, 0), 1, 0, { question: 'State', options: 'Good\n\n  Poor  \n' });
    const body = converted(draft);
    expect(body.sections.map((s) => s.id)).toEqual(['fridge', 'fridge-2']);
    expect(body.sections[0]?.items).toEqual([
      { kind: 'number', id: 'fridge-temperature', question: 'Fridge temperature', required: true, unit: '°C', max: 8 },
      { kind: 'number', id: 'core-temperature', question: 'Core temperature', required: true, unit: '°C', min: -2.5, max: 75 },
    ]);
    expect(body.sections[1]?.items).toEqual([{ kind: 'choice', id: 'state', question: 'State', required: true, options: ['Good', 'Poor'] }]);
  });

  it('refuses a bound that is not a number, naming the item and linking to its input', () => {
    const draft = updateItem(addItem(emptyDraft(), 0, 'number'), 0, 1, { question: 'Temp', min: 'sixty' });
    const result = toTemplateDraft(draft);
    const key = draft.sections[0]?.items[1]?.key;
    expect(result).toEqual({
      ok: false,
      errors: [{ field: `${key}-min`, message: 'Section 1, item 2: the lowest acceptable reading must be a number, like 63 or 2.5, or empty' }],
    });
  });

  it('leaves min above max to the server, which explains it for the right item', () => {
    let draft: EditorDraft = { ...emptyDraft(), title: 'Fridge check' };
    draft = updateSection(draft, 0, { title: 'Fridge' });
    draft = updateItem(draft, 0, 0, { question: 'Door seals intact?' });
    draft = addItem(draft, 0, 'number');
    draft = updateItem(draft, 0, 1, { question: 'Fridge temperature', unit: '°C', min: '8', max: '1' });
    const body = converted(draft);
    const parsed = TemplateDraft.safeParse(body);
    if (parsed.success) throw new Error('the schema accepted min above max');
    const message = describeIssues(parsed.error, 'body');
    expect(message).toBe('Invalid body: sections.0.items.1 min must not be above max');
    expect(explainServerError({ message, issues: issuesOf(parsed.error) }, draft, 'template-title')).toEqual([
      { field: `${draft.sections[0]?.items[1]?.key}-min`, message: 'Section 1, item 2 (“Fridge temperature”): min must not be above max' },
    ]);
  });

  it('places each part of a server error, and keeps what it cannot place', () => {
    const draft = emptyDraft();
    const section = draft.sections[0];
    const item = section?.items[0];
    const errors = explainServerError(
      {
        message: 'Invalid body: …',
        issues: [
          { path: 'title', message: 'Too small: expected string to have >=3 characters' },
          { path: 'sections.0.title', message: 'Too small: expected string to have >=1 characters' },
          { path: 'sections.0.items.0.question', message: 'Too small: expected string to have >=3 characters' },
          { path: 'sections', message: 'item id "x" is used twice' },
        ],
      },
      draft,
      'template-title',
    );
    expect(errors).toEqual([
      { field: 'template-title', message: 'Title: Too small: expected string to have >=3 characters' },
      { field: `${section?.key}-title`, message: 'Section 1 title: Too small: expected string to have >=1 characters' },
      { field: `${item?.key}-question`, message: 'Section 1, item 1: question Too small: expected string to have >=3 characters' },
      { field: 'template-title', message: 'sections item id "x" is used twice' },
    ]);
    const taken = 'There is already a template called fridge: add a version to it instead.';
    expect(explainServerError({ message: taken, issues: [] }, draft, 'template-key')).toEqual([
      { field: 'template-key', message: 'There is already a template called fridge: add a version to it instead.' },
    ]);
  });
});

describe('editing', () => {
  it('moves an item up and down within its section, and not past either end', () => {
    const draft = draftFromVersion(builtin('weekly-kitchen-quality'));
    const ids = (d: EditorDraft) => d.sections[0]?.items.map((i) => i.id);
    expect(ids(moveItem(draft, 0, 2, -1))).toEqual(['kitchen-clean', 'fridge-temp', 'temperature-records', 'menu-followed', 'tasting']);
    expect(ids(moveItem(draft, 0, 0, 1))).toEqual(['temperature-records', 'kitchen-clean', 'fridge-temp', 'menu-followed', 'tasting']);
    expect(moveItem(draft, 0, 0, -1)).toBe(draft);
    expect(moveItem(draft, 0, 4, 1)).toBe(draft);
    expect(ids(draft)).toEqual(['kitchen-clean', 'temperature-records', 'fridge-temp', 'menu-followed', 'tasting']);
  });

  it('adds and removes items without touching the original draft', () => {
    const draft = draftFromVersion(builtin('daily-servery-check'));
    const added = addItem(draft, 1, 'photo');
    expect(added.sections[1]?.items.at(-1)).toMatchObject({ id: '', kind: 'photo', question: '', required: true });
    expect(draft.sections[1]?.items).toHaveLength(4);
    expect(removeItem(added, 1, 0).sections[1]?.items.map((i) => i.id)).toEqual(['temp-serving', 'food-quality', 'portion-control', '']);
    expect(addSection(draft).sections).toHaveLength(4);
  });

  it('gives every item and section its own editor key', () => {
    const keys = [blankItem('text').key, blankItem('text').key, ...emptyDraft().sections.map((s) => s.key)];
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('words', () => {
  it('describes each kind of item', () => {
    const [servery, kitchen, keywork] = ['daily-servery-check', 'weekly-kitchen-quality', 'monthly-keywork-quality'].map(builtin);
    const item = (t: TemplateVersion | undefined, id: string) => {
      const found = t?.sections.flatMap((s) => s.items).find((i) => i.id === id);
      if (!found) throw new Error(`no item ${id}`);
      return found;
    };
    expect(describeItem(item(servery, 'servery-clean'))).toBe('Pass or fail; a fail needs a note.');
    expect(describeItem(item(servery, 'temp-collection'))).toBe('Number in °C; acceptable: 63 °C or above.');
    expect(describeItem(item(kitchen, 'fridge-temp'))).toBe('Number in °C; acceptable: 8 °C or below.');
    expect(describeItem(item(servery, 'comments-book-available'))).toBe('Yes or no; a “No” needs a note.');
    expect(describeItem(item(servery, 'servery-photo'))).toBe('Photo. Optional.');
    expect(describeItem(item(keywork, 'overall-quality'))).toBe('One of: Good, Requires improvement, Poor.');
    expect(describeItem(item(keywork, 'feedback'))).toBe('Text. Optional.');
  });
});

describe('grouping versions', () => {
  it('gives one row per template, its versions oldest first and its latest, sorted by title', () => {
    const record = (templateId: string, version: number, title: string): TemplateVersionRecord => ({
      id: `00000000-0000-7000-8000-0000000000${templateId}${version}`,
      templateId: `00000000-0000-7000-8000-0000000000${templateId}0`,
      builtin: false,
      archived: false,
      createdAt: '2026-01-01T00:00:00.000Z',
      definition: { key: `t${templateId}`, version, title, description: '', sections: [] },
    });
    const groups = groupTemplates([record('b', 2, 'Zebra check v2'), record('a', 1, 'Apple check'), record('b', 1, 'Zebra check'), record('b', 3, 'Yak check')]);
    expect(groups.map((g) => [g.latest.definition.title, g.versions.map((v) => v.definition.version)])).toEqual([
      ['Apple check', [1]],
      ['Yak check', [1, 2, 3]],
    ]);
  });
});
