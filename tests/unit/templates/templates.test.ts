import { describe, expect, it } from 'vitest';
import { describeRange, isFailure } from '../../../src/shared/templates/answers.ts';
import { validateAnswers } from '../../../src/shared/templates/validate.ts';
import { BUILTIN_TEMPLATES } from '../../../src/shared/templates/builtin.ts';
import { TemplateVersion, type Answer } from '../../../src/shared/templates/schema.ts';

const servery = BUILTIN_TEMPLATES.find((t) => t.key === 'daily-servery-check');
if (!servery) throw new Error('no servery template');
const items = servery.sections.flatMap((s) => s.items);

/** A servery check with every required item answered well. */
function goodAnswers(): Answer[] {
  return items.flatMap((item): Answer[] => {
    switch (item.kind) {
      case 'pass-fail':
        return [{ itemId: item.id, value: 'pass' }];
      case 'number':
        return [{ itemId: item.id, value: 70 }];
      case 'yes-no':
        return [{ itemId: item.id, value: true }];
      default:
        return [];
    }
  });
}

describe('built-in templates', () => {
  it('ships every check the plans promise, each valid', () => {
    expect(BUILTIN_TEMPLATES.map((t) => t.key)).toEqual([
      'daily-servery-check',
      'daily-unit-cleaning',
      'weekly-unit-cleaning',
      'duty-governor-round',
      'weekly-kitchen-quality',
      'weekly-food-comments-review',
      'monthly-keywork-quality',
    ]);
    for (const template of BUILTIN_TEMPLATES) expect(TemplateVersion.safeParse(template).success).toBe(true);
  });

  it('records hot food temperature with 63 °C or above as the acceptable range', () => {
    const probe = items.find((i) => i.id === 'temp-serving');
    expect(probe?.kind === 'number' && describeRange(probe)).toBe('63 °C or above');
  });
});

describe('template validation', () => {
  const minimal = { key: 'k', version: 1, title: 'Check', description: '', sections: [{ id: 's', title: 'S', items: [{ kind: 'text', id: 'a', question: 'What?' }] }] };

  it('refuses duplicate item ids, empty sections, bad ranges and unknown kinds', () => {
    const dup = { ...minimal, sections: [{ id: 's', title: 'S', items: [{ kind: 'text', id: 'a', question: 'One?' }, { kind: 'text', id: 'a', question: 'Two?' }] }] };
    expect(TemplateVersion.safeParse(dup).error?.issues[0]?.message).toBe('item id "a" is used twice');
    expect(TemplateVersion.safeParse({ ...minimal, sections: [{ id: 's', title: 'S', items: [] }] }).success).toBe(false);
    const range = { ...minimal, sections: [{ id: 's', title: 'S', items: [{ kind: 'number', id: 'n', question: 'Temp?', unit: '°C', min: 10, max: 5 }] }] };
    expect(TemplateVersion.safeParse(range).success).toBe(false);
    const kind = { ...minimal, sections: [{ id: 's', title: 'S', items: [{ kind: 'signature', id: 'x', question: 'Sign?' }] }] };
    expect(TemplateVersion.safeParse(kind).success).toBe(false);
    expect(TemplateVersion.parse(minimal).sections[0]?.items[0]).toMatchObject({ required: true });
  });
});

describe('answer validation', () => {
  it('accepts a complete check with nothing wrong', () => {
    expect(validateAnswers(servery, goodAnswers())).toEqual([]);
  });

  it('asks for every required item left unanswered, but not optional ones', () => {
    const issues = validateAnswers(servery, goodAnswers().filter((a) => a.itemId !== 'food-quality'));
    expect(issues).toEqual([{ itemId: 'food-quality', message: 'Answer “Does the food look and smell as it should, matching the menu?”' }]);
  });

  it('needs a note on a failed item, and on a low temperature, but allows the reading itself', () => {
    const answers = goodAnswers().map((a): Answer => {
      if (a.itemId === 'servery-clean') return { ...a, value: 'fail' };
      if (a.itemId === 'temp-serving') return { ...a, value: 58 };
      return a;
    });
    expect(validateAnswers(servery, answers).map((i) => i.itemId)).toEqual(['servery-clean', 'temp-serving']);
    const probe = items.find((i) => i.id === 'temp-serving');
    if (!probe) throw new Error('missing');
    expect(isFailure(probe, { itemId: 'temp-serving', value: 58 })).toBe(true);
    expect(isFailure(probe, { itemId: 'temp-serving', value: 63 })).toBe(false);
    const noted = answers.map((a) => (a.itemId === 'servery-clean' || a.itemId === 'temp-serving' ? { ...a, note: 'Recleaned; food reheated to 75 °C' } : a));
    expect(validateAnswers(servery, noted)).toEqual([]);
  });

  it('needs a note on a "no" where the template says so, and refuses answers of the wrong kind or for unknown items', () => {
    const answers = goodAnswers().map((a): Answer => (a.itemId === 'comments-book-available' ? { ...a, value: false } : a));
    expect(validateAnswers(servery, answers).map((i) => i.itemId)).toEqual(['comments-book-available']);
    const wrong = goodAnswers().map((a): Answer => (a.itemId === 'temp-serving' ? { ...a, value: 'hot' } : a));
    expect(validateAnswers(servery, [...wrong, { itemId: 'not-an-item', value: 'pass' }]).map((i) => i.itemId)).toEqual(['temp-serving', 'not-an-item']);
  });

  it('counts a required photo item as answered when it has a photo', () => {
    const template = TemplateVersion.parse({ key: 'p', version: 1, title: 'Photo check', description: '', sections: [{ id: 's', title: 'S', items: [{ kind: 'photo', id: 'shot', question: 'Photo of the landing' }] }] });
    expect(validateAnswers(template, [])).toHaveLength(1);
    expect(validateAnswers(template, [], { shot: 2 })).toEqual([]);
  });
});
