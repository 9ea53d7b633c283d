import { useEffect, useRef, useState } from 'preact/hooks';
import { lazy, useLocation } from 'preact-iso';
import { useSession } from '../../api/sessionContext.ts';
import { findAdhocDraft, findScheduledCheck, startCheck } from '../../data/checks.ts';
import { useReferenceData } from '../../data/queries.ts';
import { actionsProvedBy, latestVersions } from '../../shared/today.ts';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { captureErrorMessage } from './errors.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';

/**
 * Starts (or reopens) a check straight from a link, with no form: today's scheduled check for a
 * schedule and unit (`schedule`, `unit`, `due`), or any check on a unit (`template`, `unit`), as
 * Today offers them one tap away. An ad hoc check is linked to the actions its template's
 * schedules prove on that unit, as the scheduled one would be.
 */
function useDirectStart(query: Record<string, string | undefined>) {
  const { route } = useLocation();
  const { info } = useSession();
  const reference = useReferenceData();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);
  const { schedule: scheduleId, unit: unitId, due, template: templateId, action: actionId } = query;
  const direct = Boolean(unitId && ((scheduleId && due) ?? templateId));
  useEffect(() => {
    if (!direct || !unitId || !reference || started.current) return;
    started.current = true;
    const open = async () => {
      if (scheduleId && due) {
        const existing = await findScheduledCheck(scheduleId, due, unitId);
        if (existing) return existing.id;
        const schedule = reference.schedules.find((s) => s.id === scheduleId);
        const template = schedule ? latestVersions(reference.templates).get(schedule.templateId) : undefined;
        if (!schedule || !template) throw new Error('That check is no longer scheduled on this device. Go back to Today.');
        const actionIds = [...schedule.actionIds];
        return startCheck({ authorId: info.user.id, templateVersionId: template.id, scheduleId, dueOn: due, unitId, actionIds });
      }
      const template = templateId ? latestVersions(reference.templates).get(templateId) : undefined;
      if (!template || !reference.units.some((u) => u.id === unitId && !u.archived)) {
        throw new Error('That check or unit is no longer on this device. Go back to Today.');
      }
      const versions = new Set(reference.templates.filter((t) => t.templateId === template.templateId).map((t) => t.id));
      const draft = await findAdhocDraft(info.user.id, versions, unitId);
      if (draft) return draft.id;
      const proves = actionsProvedBy(reference.schedules, template.templateId, unitId);
      const actionIds = [...new Set([...proves, ...(actionId ? [actionId] : [])])];
      const authorId = info.user.id;
      return startCheck({ authorId, templateVersionId: template.id, scheduleId: null, dueOn: null, unitId, actionIds });
    };
    open().then(
      (id) => {
        route(`/checks/${id}`, true);
      },
      (e: unknown) => {
        setError(captureErrorMessage(e));
      },
    );
  }, [direct, reference]);
  return { direct, error };
}

// Choosing a check from a form is the long way round (Today offers each one tap away): it loads when first needed.
const ChooseCheck = lazy(() => import('./ChooseCheck.tsx').then((m) => m.ChooseCheck));

/** Run a check: one named by the link straight away, or any check on any unit, chosen from a form. */
export function StartCheckPage() {
  const { query } = useLocation();
  const { direct, error } = useDirectStart(query);
  if (!direct) return <ChooseCheck />;
  return (
    <>
      <PageHeading>Opening the check</PageHeading>
      {error ? <ErrorMessage error={error} /> : <p class="govuk-body">Opening…</p>}
    </>
  );
}
