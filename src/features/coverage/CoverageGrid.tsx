import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useReadable } from '../../api/useReadable.ts';
import { presenceWords } from '../../shared/presence.ts';
import type { CoverageCellState, CoverageCheck, CoverageSummary, ScheduleCoverage } from '../../shared/api/coverage.ts';
import { decodeCells, type CellFacts } from '../../shared/coverage-compact.ts';
import { CELL_STATES, type Period } from '../../shared/coverage.ts';
import { Button } from '../../ui/form.tsx';
import { describeFrequency } from '../admin/schedule-words.ts';
import { asDate, LONG_DAY } from './dates.ts';
import { Explanation } from './Explanations.tsx';

const STATE_LABELS: Record<CoverageCellState, string> = {
  'done': 'Done',
  'late': 'Late',
  'failed': 'Failed items',
  'missed': 'Missed',
  'explained': 'Explained',
  'due': 'Due today',
  'not-due': 'Not due',
};

/** What each square shows besides its colour, so the grid does not rely on colour alone. */
const GLYPHS: Record<CoverageCellState, string> = {
  'done': '✓',
  'late': 'L',
  'failed': '!',
  'missed': '✗',
  'explained': 'E',
  'due': '•',
  'not-due': '',
};

const NARROW_WEEKDAY = new Intl.DateTimeFormat('en-GB', { weekday: 'narrow', timeZone: 'UTC' });
const SHORT_MONTH = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' });

function cellLabel(cell: CellFacts): string {
  // An expected day still to come is "not due" in the counts, but people read it as a gap: say why it is empty.
  return cell.state === 'not-due' && cell.expected ? 'Not due yet' : STATE_LABELS[cell.state];
}

function percentText(summary: CoverageSummary): string {
  if (summary.percent === null) return 'None expected yet';
  // Explained days are counted as gaps here, and left out in the second figure: both are shown, so an explanation hides nothing.
  if (summary.explained === 0) return `${summary.percent}%`;
  return `${summary.percent}% (${summary.percentUnexplained === null ? '–' : `${summary.percentUnexplained}%`} without explained)`;
}

function summaryText(summary: CoverageSummary): string {
  if (summary.percent === null) return 'No checks were expected yet in this period.';
  const parts = [`${summary.done} done`, `${summary.late} late`, `${summary.failed} with failed items`, `${summary.missed} missed`];
  if (summary.explained > 0) parts.push(`${summary.explained} explained`);
  const recorded = `${summary.percent}% recorded: ${summary.recorded} of ${summary.expected} expected checks (${parts.join(', ')}).`;
  if (summary.explained === 0) return recorded;
  const rest = summary.expected - summary.explained;
  const without = summary.percentUnexplained === null ? 'none is left' : `${summary.percentUnexplained}% of the ${rest} without an explanation`;
  return `${recorded} Leaving out the explained days: ${without}.`;
}

export function Key() {
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

function CheckList({ checks, timeZone, unitName }: { checks: readonly CoverageCheck[]; timeZone: string; unitName: string }) {
  const when = useMemo(
    () => new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }),
    [timeZone],
  );
  const clock = useMemo(() => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' }), [timeZone]);
  return (
    <ul class="govuk-list govuk-list--spaced">
      {checks.map((check) => (
        <li key={check.id}>
          <a class="govuk-link" href={`/checks/${check.id}`}>
            {STATE_LABELS[check.state]}: {check.authorName}, {when.format(new Date(check.submittedAt))}
          </a>
          {check.supersededBy && <span class="app-secondary-text"> (replaced by a correction, not counted)</span>}
          {!check.supersededBy && check.supersedes && <span class="app-secondary-text"> (a correction)</span>}
          <br />
          <span class="govuk-body-s app-secondary-text" data-testid="coverage-presence">
            {presenceWords(check.presence ?? null, unitName, (at: string) => clock.format(new Date(at)))}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** The checks behind a cell, read from the server when it is opened (kept on the device like the grid). */
function CellChecks(props: { request: CellRequest; timeZone: string; unitName: string; onChanged: () => void }) {
  const { request, timeZone, unitName, onChanged } = props;
  const remote = useReadable('coverage.checks', { query: request });
  if (remote.state === 'loading') return <p class="govuk-body" role="status">Loading its checks…</p>;
  if (remote.state === 'error') return <p class="govuk-body">Its checks could not be shown: {remote.message}</p>;
  const { checks, explanations } = remote.data;
  const decided = () => {
    remote.reload();
    onChanged();
  };
  return (
    <>
      {checks.length > 0 && <CheckList checks={checks} timeZone={timeZone} unitName={unitName} />}
      {explanations.map((gap, i) => (
        <Explanation key={gap.id} gap={gap} standing={i === 0} onDecided={decided} />
      ))}
    </>
  );
}

interface CellRequest extends Period {
  scheduleId: string;
  unitId: string;
  day: string;
}

/**
 * One schedule's grid: a row per unit, a column per day of the period (`days`, from its first day
 * to its last, as the rows' letters are); a cell with checks opens them.
 */
export function ScheduleSection(props: {
  schedule: ScheduleCoverage;
  days: readonly string[];
  timeZone: string;
  onChanged: () => void;
}) {
  const { schedule, days, timeZone, onChanged } = props;
  const [selected, setSelected] = useState<Selection | null>(null);
  const detailHeading = useRef<HTMLHeadingElement>(null);
  // The cell button that opened the checks: closing them returns focus there.
  const opener = useRef<HTMLButtonElement | null>(null);
  const dayLabels = useMemo(() => days.map((day) => LONG_DAY.format(asDate(day))), [days]);
  const rows = useMemo(() => schedule.units.map((unit) => decodeCells(unit.cells)), [schedule.units]);
  // The days someone explained, per unit: such a cell opens, to read the explanation and decide on it.
  const explained = useMemo(
    () => schedule.units.map((unit) => new Map(unit.explanations.map((e) => [e.day, e.status]))),
    [schedule.units],
  );
  useEffect(() => {
    // Take keyboard and screen reader users to the checks they asked for.
    if (selected) detailHeading.current?.focus();
  }, [selected]);

  const headingId = `coverage-${schedule.scheduleId}`;
  const captionId = `${headingId}-caption`;
  const selectedUnit = selected ? schedule.units[selected.unitIndex] : undefined;
  const selectedCell = selected ? rows[selected.unitIndex]?.[selected.dayIndex] : undefined;
  const selectedDay = selected ? days[selected.dayIndex] : undefined;

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
                {days.map((day, i) => (
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
                  {(rows[unitIndex] ?? []).map((cell, dayIndex) => {
                    const explanation = explained[unitIndex]?.get(days[dayIndex] ?? '');
                    // A gap explained but not accepted stays missed, marked so the reason can be read.
                    const pending = explanation !== undefined && explanation !== 'accepted';
                    const label = `${cellLabel(cell)}${pending ? `, ${explanation === 'queried' ? 'explanation queried' : 'explained, awaiting review'}` : ''}`;
                    const square = (
                      <span class={`app-coverage__square app-coverage__square--${cell.state}`} aria-hidden="true">
                        {pending && cell.state === 'missed' ? '?' : GLYPHS[cell.state]}
                      </span>
                    );
                    const isSelected = selected?.unitIndex === unitIndex && selected.dayIndex === dayIndex;
                    return (
                      <td class="govuk-table__cell app-coverage__day" key={days[dayIndex]}>
                        {cell.shown || explanation !== undefined ? (
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
                              {label}, {unit.name}, {dayLabels[dayIndex]}: show {cell.shown ? 'its checks' : 'why'}
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
      {selected && selectedUnit && selectedCell && selectedDay && (
        <div class="app-coverage__detail" data-testid="coverage-detail">
          <h3 class="govuk-heading-s" tabIndex={-1} ref={detailHeading}>
            {selectedUnit.name}, {dayLabels[selected.dayIndex]}: {cellLabel(selectedCell)}
          </h3>
          <CellChecks
            request={{
              from: days[0] ?? selectedDay,
              to: days[days.length - 1] ?? selectedDay,
              scheduleId: schedule.scheduleId,
              unitId: selectedUnit.unitId,
              day: selectedDay,
            }}
            timeZone={timeZone}
            unitName={selectedUnit.name}
            onChanged={onChanged}
          />
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
