import { PageHeading } from '../../ui/PageHeading.tsx';

export function AdminPage() {
  return (
    <>
      <PageHeading>Admin</PageHeading>
      <ul class="govuk-list">
        <li>
          <a class="govuk-link" href="/admin/users">
            Users and roles
          </a>
        </li>
        <li>
          <a class="govuk-link" href="/admin/units">
            Units and landings
          </a>
        </li>
        <li>
          <a class="govuk-link" href="/admin/templates">
            Check templates
          </a>
        </li>
        <li>
          <a class="govuk-link" href="/admin/schedules">
            Schedules
          </a>
        </li>
        <li>
          <a class="govuk-link" href="/admin/retention">
            Evidence retention
          </a>
        </li>
        <li>
          <a class="govuk-link" href="/admin/audit">
            Audit log
          </a>
        </li>
      </ul>
    </>
  );
}
