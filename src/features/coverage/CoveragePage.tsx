import { useMemo, useState } from 'preact/hooks';
import { useSession } from '../../api/sessionContext.ts';
import { useReadable } from '../../api/useReadable.ts';
import { thisWeek, type Period } from '../../shared/coverage.ts';
import { datesBetween, localDateOf } from '../../shared/schedules.ts';
import { Button, ErrorSummary } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { Freshness } from '../review/Freshness.tsx';
import { forPeriod } from '../../api/readings.ts';
import { Key, ScheduleSection } from './CoverageGrid.tsx';
import { asDate, LONG_DAY } from './dates.ts';
import { AwaitingExplanations } from './Explanations.tsx';
import { PeriodForm } from './PeriodForm.tsx';

/** Recurring checks expected against recorded, per schedule, unit and day: the head of residence's oversight. */
export function CoveragePage() {
  const { info } = useSession();
  const timeZone = info.establishment.timeZone;
  const today = localDateOf(new Date(), timeZone);
  const [period, setPeriod] = useState<Period>(() => thisWeek(today));
  const remote = useReadable('coverage', forPeriod(period));
  const shownFrom = remote.state === 'ready' ? remote.data.from : null;
  const shownTo = remote.state === 'ready' ? remote.data.to : null;
  // The answer's rows have a letter per day of its period.
  const days = useMemo(() => (shownFrom && shownTo ? datesBetween(shownFrom, shownTo) : []), [shownFrom, shownTo]);

  return (
    <div class="app-coverage">
      <PageHeading>Coverage</PageHeading>
      <p class="govuk-body">
        The recurring checks expected on each unit, day by day, and what was recorded. Choose a cell with checks or an
        explanation to see them.
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
          <AwaitingExplanations onDecided={remote.reload} />
          <Key />
          {remote.data.schedules.length === 0 && <p class="govuk-body">No recurring checks were scheduled in this period.</p>}
          {remote.data.schedules.map((schedule) => (
            <ScheduleSection
              key={`${schedule.scheduleId}/${remote.data.from}/${remote.data.to}`}
              schedule={schedule}
              days={days}
              timeZone={remote.data.timeZone}
              onChanged={remote.reload}
            />
          ))}
        </>
      )}
    </div>
  );
}
