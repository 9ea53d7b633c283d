import { useSession } from '../../api/sessionContext.ts';
import { useChecksSince, useStandingGaps, type GapOnDevice } from '../../data/gaps.ts';
import type { ReferenceData, TemplateRow, UnitRow } from '../../data/queries.ts';
import { EXPLAIN_DAYS_BACK, GAP_STATUS_LABELS, gapReasonWords } from '../../shared/gap-reasons.ts';
import { addDays, scheduledDayKey } from '../../shared/cycles.ts';
import { missedChecksFor, type MissedCheck } from '../../shared/today.ts';
import { Button } from '../../ui/form.tsx';
import { formatDate, unitName } from '../capture/labels.ts';

interface Props {
  reference: ReferenceData;
  templates: ReadonlyMap<string, TemplateRow>;
  units: ReadonlyMap<string, UnitRow>;
  today: string;
}

export function explainHref(missed: { scheduleId: string; unitId: string; date: string }): string {
  return `/gaps/explain?${new URLSearchParams({ schedule: missed.scheduleId, unit: missed.unitId, due: missed.date }).toString()}`;
}

/** Where an explanation stands, as a tag and words: still on this device, refused, or with the head of residence. */
function standing(found: GapOnDevice | undefined): { tag: string; text: string; explainAgain: boolean; note: string | null } {
  if (!found) return { tag: 'govuk-tag--red', text: 'Not explained', explainAgain: true, note: null };
  const { gap, outbox } = found;
  const why = gapReasonWords(gap.reason, gap.detail);
  if (outbox?.state === 'rejected' || outbox?.state === 'failed') {
    return { tag: 'govuk-tag--red', text: 'Not sent', explainAgain: true, note: `${why}. ${outbox.reason ?? ''}`.trim() };
  }
  if (outbox) return { tag: 'govuk-tag--grey', text: 'Explained, waiting to send', explainAgain: false, note: why };
  if (gap.review?.decision === 'queried') {
    return { tag: 'govuk-tag--orange', text: GAP_STATUS_LABELS.queried, explainAgain: true, note: `${why}. ${gap.review.reviewerName} asks: ${gap.review.comment ?? ''}` };
  }
  if (gap.review?.decision === 'accepted') return { tag: 'govuk-tag--green', text: GAP_STATUS_LABELS.accepted, explainAgain: false, note: why };
  return { tag: 'govuk-tag--blue', text: GAP_STATUS_LABELS['awaiting-review'], explainAgain: false, note: why };
}

/**
 * The person's checks of the last EXPLAIN_DAYS_BACK days that nobody did, each with its explanation
 * or a link to give one: inspectors ask why a check was missed, and the person who knows is on the wing.
 */
export function MissedChecks({ reference, templates, units, today }: Props) {
  const { info } = useSession();
  const from = addDays(today, -EXPLAIN_DAYS_BACK);
  // Monthly checks count for any day of their month: read back far enough to see the whole cycle.
  const checks = useChecksSince(`${addDays(from, -31)}T00:00:00.000Z`);
  const gaps = useStandingGaps(from);
  if (!checks || !gaps) return null;
  const liveUnits = new Set(reference.units.filter((u) => !u.archived).map((u) => u.id));
  const templateOfVersion = new Map(reference.templates.map((t) => [t.id, t.templateId]));
  const context = { checks, templateOfVersion, authorId: info.user.id, timeZone: info.establishment.timeZone };
  const missed = missedChecksFor(info, reference.schedules, liveUnits, context, today, EXPLAIN_DAYS_BACK);
  if (missed.length === 0) return null;
  const title = (m: MissedCheck) => templates.get(m.templateId)?.definition.title ?? 'Check';
  return (
    <section aria-labelledby="missed-title" data-testid="missed-checks">
      <h2 class="govuk-heading-m" id="missed-title">
        Missed checks
      </h2>
      <p class="govuk-body">Say why each was missed: the head of residence sees it beside coverage.</p>
      <ul class="govuk-list app-task-list">
        {missed.map((m) => {
          const key = scheduledDayKey(m);
          const found = gaps.get(key);
          const state = standing(found);
          return (
            <li class="app-task-list__item app-task-list__item--stacked" key={key}>
              <div>
                <p class="govuk-body govuk-!-margin-bottom-1">
                  {title(m)}
                  <span class="app-task-list__hint">
                    {unitName(units, m.unitId)}, {formatDate(m.date, { weekday: true })}
                  </span>
                </p>
                <strong class={`govuk-tag ${state.tag}`}>{state.text}</strong>
                {state.note && <p class="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">{state.note}</p>}
              </div>
              {state.explainAgain && (
                <Button secondary class="govuk-!-margin-bottom-0" href={explainHref(m)}>
                  {found ? 'Explain again' : 'Explain'}
                  <span class="govuk-visually-hidden">
                    {' '}
                    {title(m)}, {unitName(units, m.unitId)}, {formatDate(m.date)}
                  </span>
                </Button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
