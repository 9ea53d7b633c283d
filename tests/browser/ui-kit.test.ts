// The UI kit's fields, rendered by Preact in a real browser: labels, hints and errors wired by id.
import { h, render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { Checkboxes } from '../../src/ui/Checkboxes.tsx';
import { DateInput } from '../../src/ui/DateInput.tsx';
import { Button } from '../../src/ui/form.tsx';
import { NumberField } from '../../src/ui/NumberField.tsx';
import { SelectField } from '../../src/ui/SelectField.tsx';
import { SuccessBanner } from '../../src/ui/SuccessBanner.tsx';
import { TextArea } from '../../src/ui/TextArea.tsx';

const root = document.createElement('div');
document.body.append(root);
const noop = () => undefined;

afterEach(() => {
  render(null, root);
});

describe('the UI kit', () => {
  it('a textarea names its hint and error in aria-describedby', () => {
    render(h(TextArea, { id: 'why', label: 'Why?', hint: 'Say briefly.', error: 'Enter a reason', value: 'x', onInput: noop }), root);
    const area = root.querySelector('textarea');
    expect(area?.getAttribute('aria-describedby')).toBe('why-hint why-error');
    expect(root.querySelector('#why-hint')?.textContent).toBe('Say briefly.');
    expect(root.querySelector('#why-error')?.textContent).toContain('Enter a reason');
    expect(area?.classList.contains('govuk-textarea--error')).toBe(true);
    expect(root.querySelector('label[for="why"]')?.textContent).toBe('Why?');
  });

  it('a number field is text with a numeric keyboard, and reports what is typed', () => {
    const typed: string[] = [];
    render(h(NumberField, { id: 'min', label: 'Lowest', value: '', onInput: (v: string) => typed.push(v) }), root);
    const input = root.querySelector('input');
    expect(input?.type).toBe('text');
    expect(input?.inputMode).toBe('decimal');
    expect(input?.hasAttribute('aria-describedby')).toBe(false);
    if (input) {
      input.value = '4.5';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
    expect(typed).toEqual(['4.5']);
  });

  it('a date input is the browser date field, hint named', () => {
    render(h(DateInput, { id: 'from', label: 'From', hint: 'The first day.', value: '2026-11-01', onInput: noop }), root);
    const input = root.querySelector('input');
    expect(input?.type).toBe('date');
    expect(input?.value).toBe('2026-11-01');
    expect(input?.getAttribute('aria-describedby')).toBe('from-hint');
  });

  it('a select renders optgroups beside plain options', () => {
    const options = [{ group: 'Concern 1', options: [{ value: 'a', label: '1.1: Clean' }] }, { value: 'b', label: 'Loose' }];
    render(h(SelectField, { id: 'pick', label: 'Pick', empty: 'Choose', value: 'a', options, error: 'Choose one', onChange: noop }), root);
    const select = root.querySelector('select');
    expect(select?.querySelector('optgroup')?.label).toBe('Concern 1');
    expect([...(select?.options ?? [])].map((o) => o.value)).toEqual(['', 'a', 'b']);
    expect(select?.value).toBe('a');
    expect(select?.getAttribute('aria-describedby')).toBe('pick-error');
  });

  it('checkboxes carry a hint per option and one for the group', () => {
    const options = [{ value: 'x', label: 'X', hint: 'About X' }, { value: 'y', label: 'Y' }];
    render(h(Checkboxes<string>, { id: 'opts', legend: 'Options', hint: 'Any number', options, selected: ['y'], onChange: noop }), root);
    expect(root.querySelector('fieldset')?.getAttribute('aria-describedby')).toBe('opts-hint');
    expect(root.querySelector('#opts-x')?.getAttribute('aria-describedby')).toBe('opts-x-hint');
    expect(root.querySelector('#opts-x-hint')?.textContent).toBe('About X');
    expect(root.querySelector<HTMLInputElement>('#opts-y')?.checked).toBe(true);
  });

  it('a success banner is an alert; a button with an href is a link', () => {
    render(h('div', null, h(SuccessBanner, { message: 'Saved.' }), h(Button, { href: '/next', secondary: true, children: 'Next' })), root);
    const banner = root.querySelector('.govuk-notification-banner--success');
    expect(banner?.getAttribute('role')).toBe('alert');
    expect(root.querySelector(`#${banner?.getAttribute('aria-labelledby') ?? ''}`)?.textContent).toBe('Success');
    const link = root.querySelector('a.govuk-button');
    expect(link?.getAttribute('href')).toBe('/next');
    expect(link?.className).toBe('govuk-button govuk-button--secondary');
  });
});
