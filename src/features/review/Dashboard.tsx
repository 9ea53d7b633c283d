import { useReadable } from '../../api/useReadable.ts';
import type { OverviewAction } from '../../shared/api/review.ts';
import { addDays } from '../../shared/coverage.ts';
import { actionsWithoutRecentEvidence, overdueActions, weekStart, weeklyFigures } from '../../shared/dashboard.ts';
import { dashboardPeriod, forPeriod } from '../../api/readings.ts';
import { Button } from '../../ui/form.tsx';

const QUIET_DAYS = 14;

/** GOV.UK's tablet breakpoint: from here the weekly table has room to stay open. */
const WIDE = window.matchMedia('(min-width: 40.0625em)');

/** "9 Nov": a week's Monday, short enough for a phone's column. */
function formatShortDate(date: string): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

interface DashboardProps {
  actions: readonly OverviewAction[];
  today: string;
  onShowOverdue: () => void;
}

/** The head of residence's view at a glance: what is overdue or quiet, and checks, failures and coverage week by week. */
export function Dashboard({ actions, today, onShowOverdue }: DashboardProps) {
  const coverage = useReadable('coverage', forPeriod(dashboardPeriod(today)));
  const weeks = coverage.state === 'ready' ? weeklyFigures(coverage.data) : [];
  const thisWeek = weeks.find((w) => w.weekStart === weekStart(today));
  const lastWeek = weeks.find((w) => w.weekStart === addDays(weekStart(today), -7));
  const quiet = actionsWithoutRecentEvidence(actions, new Date(), QUIET_DAYS).length;
  const overdue = overdueActions(actions, today).length;
  const percent = (p: number | null | undefined) => (p === null || p === undefined ? '—' : `${p}%`);
  return (
    <section class="app-dashboard" aria-labelledby="dashboard-title" data-testid="dashboard">
      <h2 class="govuk-heading-m" id="dashboard-title">At a glance</h2>
      <dl class="app-dashboard__figures">
        <div class="app-dashboard__figure">
          <dt class="govuk-body-s">Overdue actions</dt>
          <dd class="govuk-heading-l govuk-!-margin-bottom-1">{overdue}</dd>
          {overdue > 0 && (
            <dd>
              <Button secondary class="govuk-!-margin-bottom-0" onClick={onShowOverdue}>
                Show them
              </Button>
            </dd>
          )}
        </div>
        <div class="app-dashboard__figure">
          <dt class="govuk-body-s">No evidence in the last {QUIET_DAYS} days</dt>
          <dd class="govuk-heading-l">{quiet}</dd>
        </div>
        <div class="app-dashboard__figure">
          <dt class="govuk-body-s">Due checks done this week</dt>
          <dd class="govuk-heading-l govuk-!-margin-bottom-1" data-testid="coverage-this-week">{percent(thisWeek?.percent)}</dd>
          <dd class="govuk-body-s">last week {percent(lastWeek?.percent)}</dd>
        </div>
      </dl>
      {weeks.length > 0 && (
        // Folded on a phone, so the actions come into view; open on a tablet.
        <details class="govuk-details app-dashboard__weeks" open={WIDE.matches}>
          <summary class="govuk-details__summary">
            <span class="govuk-details__summary-text">Checks and failures by week</span>
          </summary>
          <div class="govuk-details__text">
            <table class="govuk-table govuk-!-margin-bottom-2">
              <caption class="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Recurring checks by week</caption>
              <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                  <th scope="col" class="govuk-table__header">Week of</th>
                  <th scope="col" class="govuk-table__header govuk-table__header--numeric">Checks</th>
                  <th scope="col" class="govuk-table__header govuk-table__header--numeric">With failures</th>
                  <th scope="col" class="govuk-table__header govuk-table__header--numeric">Due checks done</th>
                </tr>
              </thead>
              <tbody class="govuk-table__body">
                {weeks.map((w) => (
                  <tr class="govuk-table__row" key={w.weekStart}>
                    <td class="govuk-table__cell">{formatShortDate(w.weekStart)}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{w.checks}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{w.checksWithFailures}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">
                      {w.expected === 0 ? '—' : `${w.recorded} of ${w.expected} (${percent(w.percent)})`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p class="govuk-body-s">
              Checks counts every check of a recurring kind done on a unit that week, from a schedule or run again, by
              anyone; a corrected check counts once. With failures: those with a failed item or a reading out of range.
              Due checks done counts each unit’s check due each day, week or month once, however many checks were done
              for it, and today once it is done.
            </p>
          </div>
        </details>
      )}
      {coverage.state === 'error' && <p class="govuk-body-s">Coverage could not be loaded: {coverage.message}</p>}
    </section>
  );
}
