import { api } from '../../api/api.ts';
import { useRemote } from '../../api/useRemote.ts';
import { ErrorSummary } from '../../ui/form.tsx';
import { ChangeButton } from '../../ui/ChangeButton.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { Flash } from './Flash.tsx';
import { loadReference, templateTitle } from './schedule-reference.ts';
import { ScheduleForm } from './ScheduleForm.tsx';
import { describeFrequency, PERFORMED_BY_LABELS } from './schedule-words.ts';
import { useAdminList } from './useAdminList.ts';

export function SchedulesPage() {
  const { list: schedules, flash, editingItem, startEditing, stopEditing, done } = useAdminList(() => api.call('schedules.list'));
  const reference = useRemote(loadReference);
  const ready = reference.state === 'ready' ? reference.data : null;
  const unitName = (id: string) => ready?.units.find((u) => u.id === id)?.name ?? 'Unknown unit';
  return (
    <>
      <PageHeading>Schedules</PageHeading>
      <p class="govuk-body">
        Which checks are due, how often, on which units, and who does them. Each check made from a schedule can prove the
        actions linked to it.
      </p>
      <Flash message={flash} />
      {(schedules.state === 'loading' || reference.state === 'loading') && <p class="govuk-body">Loading…</p>}
      {schedules.state === 'error' && <ErrorSummary errors={[{ field: 'schedules', message: schedules.message }]} />}
      {reference.state === 'error' && <ErrorSummary errors={[{ field: 'schedules', message: reference.message }]} />}
      {editingItem && ready && (
        <ScheduleForm key={editingItem.id} schedule={editingItem} reference={ready} onDone={done} onCancel={stopEditing} />
      )}
      {/* Names come from the reference data: the table waits for it rather than show ids. */}
      {schedules.state === 'ready' && ready && (
        <table class="govuk-table app-table--stack" id="schedules">
          <caption class="govuk-table__caption govuk-table__caption--m">Recurring checks</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">Check</th>
              <th scope="col" class="govuk-table__header">How often</th>
              <th scope="col" class="govuk-table__header">Performed by</th>
              <th scope="col" class="govuk-table__header">Units</th>
              <th scope="col" class="govuk-table__header govuk-table__header--numeric">Linked actions</th>
              <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {schedules.data.map((schedule) => {
              const title = templateTitle(ready, schedule.templateId);
              const often = describeFrequency(schedule.frequency);
              return (
                <tr class="govuk-table__row" key={schedule.id}>
                  {/* The archived tag sits with the title, not in a column, so the table fits an upright tablet. */}
                  <td data-label="Check" class="govuk-table__cell">
                    {title}
                    {schedule.archived && (
                      <>
                        {' '}
                        <strong class="govuk-tag govuk-tag--grey">Archived</strong>
                      </>
                    )}
                  </td>
                  <td data-label="How often" class="govuk-table__cell">{often}</td>
                  <td data-label="Performed by" class="govuk-table__cell">{PERFORMED_BY_LABELS[schedule.performedBy]}</td>
                  <td data-label="Units" class="govuk-table__cell">
                    <ul class="govuk-list govuk-!-margin-bottom-0">
                      {schedule.unitIds.map((id) => <li key={id}>{unitName(id)}</li>)}
                    </ul>
                  </td>
                  <td data-label="Linked actions" class="govuk-table__cell govuk-table__cell--numeric">{schedule.actionIds.length}</td>
                  <td class="govuk-table__cell">
                    <ChangeButton name={`${title}, ${often}`} onClick={() => { startEditing(schedule.id); }} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {ready && <ScheduleForm schedule={null} reference={ready} onDone={done} />}
    </>
  );
}
