import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useSession } from '../../api/sessionContext.ts';
import { useReadable } from '../../api/useReadable.ts';
import {
  CoverageResponse,
  type CoverageCell,
  type CoverageCellState,
  type CoverageCheck,
  type CoverageSummary,
  type ScheduleCoverage,
} from '../../shared/api/coverage.ts';
import { CELL_STATES, daysInPeriod, lastFourWeeks, MAX_PERIOD_DAYS, readDate, thisWeek, type Period } from '../../shared/coverage.ts';
import { localDateOf } from '../../shared/schedules.ts';
import { Button, ErrorSummary, Form, TextField, type FieldError } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { Radios } from '../../ui/Radios.tsx';
import { describeFrequency } from '../admin/schedule-words.ts';
import { Freshness } from '../review/Freshness.tsx';
import { coveragePath } from '../../api/readings.ts';

const STATE_LABELS: Record<CoverageCellState, string> = {
  'done': 'Done',
  'late': 'Late',
  'failed': 'Failed items',
  'missed': 'Missed',
  'due': 'Due today',
  'not-due': 'Not due',
};

/** What each square shows besides its colour, so the grid does not rely on colour alone. */
const GLYPHS: Record<CoverageCellState, string> = {
  'done': '✓',
  'late': 'L',
  'failed': '!',
  'missed': '✗',
  'due': '•',
  'not-due': '',
};

// Dates in the grid are calendar days: formatted in UTC so no time zone moves them.
const LONG_DAY = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const NARROW_WEEKDAY = new Intl.DateTimeFormat('en-GB', { weekday: 'narrow', timeZone: 'UTC' });
const SHORT_MONTH = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' });
const asDate = (day: string) => new Date(`${day}T12:00:00Z`);

function cellLabel(cell: CoverageCell): string {
  // An expected day still to come is "not due" in the counts, but people read it as a gap: say why it is empty.
  return cell.state === 'not-due' && cell.expected ? 'Not due yet' : STATE_LABELS[cell.state];
}

function percentText(summary: CoverageSummary): string {
  return summary.percent === null ? 'None expected yet' : `${summary.percent}%`;
}

function summaryText(summary: CoverageSummary): string {
  if (summary.percent === null) return 'No checks were expected yet in this period.';
  const parts = [`${summary.done} done`, `${summary.late} late`, `${summary.failed} with failed items`, `${summary.missed} missed`];
  return `${summary.percent}% recorded: ${summary.recorded} of ${summary.expected} expected checks (${parts.join(', ')}).`;
}

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

function PeriodForm({ today, onChoose }: PeriodFormProps) {
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

function Key() {
  return (
    <>
      <h2 class="govuk-heading-s">Key</h2>
      <ul class="govuk-list app-coverage__key">
        {CELL_STATES.map((state) => (
          <li class="app-coverage__key-item" key={state}>
            <span class={`app-coverage__square app-coverage__square--${state}`} aria-hidden="true">
              {GLYPHS[state]}
            </span>
            {STATE_LABELS[state]}
          </li>
        ))}
      </ul>
    </>
  );
}

interface Selection {
  unitIndex: number;
  dayIndex: number;
}

function CheckList({ checks, timeZone }: { checks: readonly CoverageCheck[]; timeZone: string }) {
  const when = useMemo(
    () => new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }),
    [timeZone],
  );
  return (
    <ul class="govuk-list govuk-list--spaced">
      {checks.map((check) => (
        <li key={check.id}>
          <a class="govuk-link" href={`/checks/${check.id}`}>
            {STATE_LABELS[check.state]}: {check.authorName}, {when.format(new Date(check.submittedAt))}
          </a>
          {check.supersededBy && <span class="app-secondary-text"> (replaced by a correction, not counted)</span>}
          {!check.supersededBy && check.supersedes && <span class="app-secondary-text"> (a correction)</span>}
        </li>
      ))}
    </ul>
  );
}

function ScheduleSection({ schedule, timeZone }: { schedule: ScheduleCoverage; timeZone: string }) {
  const [selected, setSelected] = useState<Selection | null>(null);
  const detailHeading = useRef<HTMLHeadingElement>(null);
  // The cell button that opened the checks: closing them returns focus there.
  const opener = useRef<HTMLButtonElement | null>(null);
  const dayLabels = useMemo(() => schedule.days.map((day) => LONG_DAY.format(asDate(day))), [schedule.days]);
  useEffect(() => {
    // Take keyboard and screen reader users to the checks they asked for.
    if (selected) detailHeading.current?.focus();
  }, [selected]);

  const headingId = `coverage-${schedule.scheduleId}`;
  const captionId = `${headingId}-caption`;
  const selectedUnit = selected ? schedule.units[selected.unitIndex] : undefined;
  const selectedCell = selected ? selectedUnit?.cells[selected.dayIndex] : undefined;

  return (
    <section class="app-coverage__schedule" aria-labelledby={headingId}>
      <h2 class="govuk-heading-m govuk-!-margin-bottom-2" id={headingId}>
        {schedule.templateTitle}
      </h2>
      <p class="govuk-body govuk-!-margin-bottom-2">
        {describeFrequency(schedule.frequency)}
        {schedule.archived ? ' (schedule archived)' : ''}
      </p>
      <p class="govuk-body govuk-!-font-weight-bold" data-testid="coverage-summary">
        {summaryText(schedule.summary)}
      </p>
      {schedule.units.length === 0 ? (
        <p class="govuk-body">No unit had this check expected in this period.</p>
      ) : (
        // A long period is wide: the grid scrolls sideways in its own box, never the page. Focusable so keyboards can scroll it.
        <div class="app-coverage__scroller" role="region" aria-labelledby={captionId} tabIndex={0}>
          <table class="govuk-table app-coverage__table">
            <caption class="govuk-visually-hidden" id={captionId}>
              {schedule.templateTitle}: each unit, day by day
            </caption>
            <thead class="govuk-table__head">
              <tr class="govuk-table__row">
                <th scope="col" class="govuk-table__header app-coverage__unit">
                  Unit
                </th>
                {schedule.days.map((day, i) => (
                  <th scope="col" class="govuk-table__header app-coverage__day" key={day}>
                    <span aria-hidden="true">
                      <span class="app-coverage__month">{i === 0 || day.endsWith('-01') ? SHORT_MONTH.format(asDate(day)) : ''}</span>
                      {NARROW_WEEKDAY.format(asDate(day))}
                      <br />
                      {Number(day.slice(8))}
                    </span>
                    <span class="govuk-visually-hidden">{dayLabels[i]}</span>
                  </th>
                ))}
                <th scope="col" class="govuk-table__header govuk-table__header--numeric app-coverage__percent">
                  Recorded
                </th>
              </tr>
            </thead>
            <tbody class="govuk-table__body">
              {schedule.units.map((unit, unitIndex) => (
                <tr class="govuk-table__row" key={unit.unitId}>
                  <th scope="row" class="govuk-table__header app-coverage__unit">
                    {unit.name}
                    {unit.archived ? ' (archived)' : ''}
                  </th>
                  {unit.cells.map((cell, dayIndex) => {
                    const label = cellLabel(cell);
                    const square = (
                      <span class={`app-coverage__square app-coverage__square--${cell.state}`} aria-hidden="true">
                        {GLYPHS[cell.state]}
                      </span>
                    );
                    const isSelected = selected?.unitIndex === unitIndex && selected.dayIndex === dayIndex;
                    return (
                      <td class="govuk-table__cell app-coverage__day" key={schedule.days[dayIndex]}>
                        {cell.checks.length > 0 ? (
                          <button
                            type="button"
                            class="app-coverage__cell-button"
                            aria-pressed={isSelected}
                            onClick={(event) => {
                              opener.current = event.currentTarget;
                              setSelected(isSelected ? null : { unitIndex, dayIndex });
                            }}
                          >
                            {square}
                            <span class="govuk-visually-hidden">
                              {label}, {unit.name}, {dayLabels[dayIndex]}: show its checks
                            </span>
                          </button>
                        ) : (
                          <>
                            {square}
                            <span class="govuk-visually-hidden">{label}</span>
                          </>
                        )}
                      </td>
                    );
                  })}
                  <td class="govuk-table__cell govuk-table__cell--numeric app-coverage__percent">{percentText(unit.summary)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {selected && selectedUnit && selectedCell && (
        <div class="app-coverage__detail" data-testid="coverage-detail">
          <h3 class="govuk-heading-s" tabIndex={-1} ref={detailHeading}>
            {selectedUnit.name}, {dayLabels[selected.dayIndex]}: {cellLabel(selectedCell)}
          </h3>
          <CheckList checks={selectedCell.checks} timeZone={timeZone} />
          <Button
            secondary
            onClick={() => {
              setSelected(null);
              opener.current?.focus();
            }}
          >
            Close<span class="govuk-visually-hidden"> the checks of {selectedUnit.name}, {dayLabels[selected.dayIndex]}</span>
          </Button>
        </div>
      )}
    </section>
  );
}

/** Recurring checks expected against recorded, per schedule, unit and day: the head of residence's oversight. */
export function CoveragePage() {
  const { info } = useSession();
  const timeZone = info.establishment.timeZone;
  const today = localDateOf(new Date(), timeZone);
  const [period, setPeriod] = useState<Period>(() => thisWeek(today));
  const remote = useReadable(coveragePath(period), CoverageResponse);

  return (
    <div class="app-coverage">
      <PageHeading>Coverage</PageHeading>
      <p class="govuk-body">
        The recurring checks expected on each unit, day by day, and what was recorded. Choose a cell with checks to see them.
      </p>
      <PeriodForm
        today={today}
        onChoose={(chosen) => {
          setPeriod(chosen);
          // The same period again: load it afresh, it may have changed since.
          remote.reload();
        }}
      />
      {remote.state === 'loading' && <p class="govuk-body" role="status">Loading coverage…</p>}
      {remote.state === 'error' && (
        <>
          <ErrorSummary title="Coverage could not be shown" errors={[{ field: 'coverage-period', message: remote.message }]} />
          <p class="govuk-body">Coverage is worked out on the server: with no connection, only periods opened here before can be shown.</p>
          <Button secondary onClick={remote.reload}>
            Try again
          </Button>
        </>
      )}
      {remote.state === 'ready' && (
        <>
          <p class="govuk-body" role="status">
            Showing {LONG_DAY.format(asDate(remote.data.from))} to {LONG_DAY.format(asDate(remote.data.to))}.
          </p>
          <Freshness refreshedAt={remote.refreshedAt} fromDevice={remote.fromDevice} />
          <Key />
          {remote.data.schedules.length === 0 && <p class="govuk-body">No recurring checks were scheduled in this period.</p>}
          {remote.data.schedules.map((schedule) => (
            <ScheduleSection key={`${schedule.scheduleId}/${remote.data.from}/${remote.data.to}`} schedule={schedule} timeZone={remote.data.timeZone} />
          ))}
        </>
      )}
    </div>
  );
}
