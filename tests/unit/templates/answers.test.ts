import { describe, expect, it } from 'vitest';
import { describeAnswer } from '../../../src/shared/templates/answers.ts';
import { BUILTIN_TEMPLATES } from '../../../src/shared/templates/builtin.ts';

describe('answers as a person reads them', () => {
  const items = BUILTIN_TEMPLATES.flatMap((t) => t.sections.flatMap((s) => s.items));
  const item = (id: string) => {
    const found = items.find((i) => i.id === id);
    if (!found) throw new Error(`no item ${id}`);
    return found;
  };

  it('words each kind of answer, with the unit of a reading, and says when there is none', () => {
    expect(describeAnswer(item('servery-clean'), 'na')).toBe('Not applicable');
    expect(describeAnswer(item('comments-book-available'), false)).toBe('No');
    expect(describeAnswer(item('temp-serving'), 58)).toBe('58 °C');
    expect(describeAnswer(item('overall-quality'), 'Good')).toBe('Good');
    expect(describeAnswer(item('round-notes'), 'true')).toBe('true');
    expect(describeAnswer(item('round-notes'), '')).toBe('Not answered');
    expect(describeAnswer(item('temp-serving'), undefined)).toBe('Not answered');
  });
});
