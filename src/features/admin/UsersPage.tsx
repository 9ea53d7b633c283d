import { api } from '../../api/api.ts';
import { useRemote } from '../../api/useRemote.ts';
import { type Unit } from '../../shared/api/admin.ts';
import { ROLE_LABELS } from '../../shared/roles.ts';
import { ErrorSummary } from '../../ui/form.tsx';
import { ChangeButton } from '../../ui/ChangeButton.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { Flash } from './Flash.tsx';
import { AddFromElsewhere, AddUser, EditUser } from './UserForms.tsx';
import { useAdminList } from './useAdminList.ts';

/** "A Wing, B Wing", or "All units" when none are chosen. */
function unitNames(unitIds: readonly string[], units: readonly Unit[] | null): string {
  if (unitIds.length === 0) return 'All units';
  if (!units) return '';
  return unitIds.map((id) => units.find((u) => u.id === id)?.name ?? 'Unknown unit').join(', ');
}

export function UsersPage() {
  const { list: users, flash, editingItem, startEditing, stopEditing, done } = useAdminList(() => api.call('users.list'));
  const unitList = useRemote(() => api.call('units.list'));
  // Passwords may be switched off (single sign-on only); until the answer comes, as they usually are.
  const options = useRemote(() => api.call('session.options'));
  const passwords = options.state !== 'ready' || options.data.localPasswords;
  // Until the units arrive (or if they cannot), people can still be added and changed: their units stay as set.
  const units = unitList.state === 'ready' ? unitList.data : null;
  return (
    <>
      <PageHeading>Users and roles</PageHeading>
      <Flash message={flash} />
      {users.state === 'loading' && <p class="govuk-body">Loading…</p>}
      {users.state === 'error' && <ErrorSummary errors={[{ field: 'users', message: users.message }]} />}
      {unitList.state === 'error' && <ErrorSummary errors={[{ field: 'users', message: unitList.message }]} />}
      {editingItem && (
        <EditUser
          key={editingItem.id}
          user={editingItem}
          units={units ?? []}
          passwords={passwords}
          onDone={done}
          onCancel={stopEditing}
        />
      )}
      {users.state === 'ready' && (
        <table class="govuk-table app-table--stack" id="users">
          <caption class="govuk-table__caption govuk-table__caption--m">People in this establishment</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">Name and username</th>
              <th scope="col" class="govuk-table__header">Job title</th>
              <th scope="col" class="govuk-table__header">Roles</th>
              <th scope="col" class="govuk-table__header">Units</th>
              <th scope="col" class="govuk-table__header">Status</th>
              <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {users.data.map((user) => (
              <tr class="govuk-table__row" key={user.id}>
                {/* One cell for both, so the table still fits a tablet held upright with the Units column. */}
                <td data-label="Name and username" class="govuk-table__cell">
                  {user.displayName}
                  <span class="govuk-!-display-block govuk-body-s govuk-!-margin-bottom-0 app-secondary-text">{user.username}</span>
                </td>
                <td data-label="Job title" class="govuk-table__cell">{user.jobTitle ?? ''}</td>
                <td data-label="Roles" class="govuk-table__cell">{user.roles.map((r) => ROLE_LABELS[r]).join(', ')}</td>
                <td data-label="Units" class="govuk-table__cell">{unitNames(user.unitIds, units)}</td>
                <td data-label="Status" class="govuk-table__cell">
                  <strong class={`govuk-tag ${user.disabled ? 'govuk-tag--grey' : 'govuk-tag--green'}`}>{user.disabled ? 'Disabled' : 'Active'}</strong>
                </td>
                <td class="govuk-table__cell">
                  <ChangeButton name={user.displayName} onClick={() => { startEditing(user.id); }} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AddUser units={units ?? []} passwords={passwords} onDone={done} />
      <AddFromElsewhere units={units ?? []} onDone={done} />
    </>
  );
}
