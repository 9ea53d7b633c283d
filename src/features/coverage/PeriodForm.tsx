import { useState } from 'preact/hooks';
import { daysInPeriod, lastFourWeeks, MAX_PERIOD_DAYS, readDate, thisWeek, type Period } from '../../shared/coverage.ts';
import { Button, ErrorSummary, Form, TextField, type FieldError } from '../../ui/form.tsx';
import { Radios } from '../../ui/Radios.tsx';

type Choice = 'this-week' | 'last-4-weeks' | 'custom';

const CHOICES: readonly { value: Choice; label: string }[] = [
  { value: 'this-week', label: 'This week (Monday to Sunday)' },
  { value: 'last-4-weeks', label: 'Last 4 weeks' },
  { value: 'custom', label: 'Choose dates' },
];

interface PeriodFormProps {
  today: string;
  onChoose: (period: Period) => void;
}

/** The two typed dates as a period, or what is wrong with them, field by field. */
function customPeriod(fromText: string, toText: string): { period: Period } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const from = readDate(fromText);
  const to = readDate(toText);
  if (!fromText.trim()) errors.push({ field: 'coverage-from', message: 'Enter the start date' });
  else if (!from) errors.push({ field: 'coverage-from', message: 'Start date must be a real date, for example 16/11/2026' });
  if (!toText.trim()) errors.push({ field: 'coverage-to', message: 'Enter the end date' });
  else if (!to) errors.push({ field: 'coverage-to', message: 'End date must be a real date, for example 22/11/2026' });
  if (!from || !to) return { errors };
  const days = daysInPeriod(from, to);
  if (days < 1) return { errors: [{ field: 'coverage-to', message: 'End date must be the same as or after the start date' }] };
  if (days > MAX_PERIOD_DAYS) {
    return { errors: [{ field: 'coverage-to', message: `The period must be at most ${MAX_PERIOD_DAYS} days; this one is ${days} days` }] };
  }
  return { period: { from, to } };
}

/** This week, the last four weeks, or two typed dates: the period the grid covers. */
export function PeriodForm({ today, onChoose }: PeriodFormProps) {
  const [choice, setChoice] = useState<Choice>('this-week');
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const errorFor = (field: string) => errors.find((e) => e.field === field)?.message;

  const submit = () => {
    if (choice !== 'custom') {
      setErrors([]);
      onChoose(choice === 'this-week' ? thisWeek(today) : lastFourWeeks(today));
      return;
    }
    const result = customPeriod(fromText, toText);
    if ('errors' in result) {
      setErrors(result.errors);
      return;
    }
    setErrors([]);
    onChoose(result.period);
  };

  return (
    <Form onSubmit={submit}>
      <ErrorSummary errors={errors} />
      <Radios
        small
        name="coverage-period"
        legend="Period"
        legendSize="m"
        selected={choice}
        onChange={setChoice}
        options={CHOICES.map((option) => (option.value === 'custom'
          ? {
              ...option,
              conditional: (
                <>
                  <TextField id="coverage-from" label="From" hint="For example, 16/11/2026" width="10" value={fromText} onInput={setFromText} error={errorFor('coverage-from')} />
                  <TextField id="coverage-to" label="To" hint={`For example, 22/11/2026. At most ${MAX_PERIOD_DAYS} days after the start.`} width="10" value={toText} onInput={setToText} error={errorFor('coverage-to')} />
                </>
              ),
            }
          : option))}
      />
      <Button type="submit">Show coverage</Button>
    </Form>
  );
}
