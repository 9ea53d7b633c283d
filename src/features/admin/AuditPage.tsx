import { useEffect, useState } from 'preact/hooks';
import { api } from '../../app/api.ts';
import { errorMessage } from '../../app/useRemote.ts';
import { AuditRow, AuditVerifyResponse } from '../../shared/api/admin.ts';
import { Button, ErrorSummary } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';

const PAGE = 50;
const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });

export function AuditPage() {
  const [rows, setRows] = useState<AuditRow[]>([]);
  const [more, setMore] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [verdict, setVerdict] = useState<string | null>(null);

  const loadOlder = async (before?: number) => {
    try {
      const page = await api.get(`/api/audit?limit=${PAGE}${before ? `&before=${before}` : ''}`, AuditRow.array());
      setRows((current) => [...current, ...page]);
      setMore(page.length === PAGE);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  useEffect(() => {
    void loadOlder();
  }, []);

  const verify = async () => {
    setVerdict(null);
    try {
      const result = await api.get('/api/audit/verify', AuditVerifyResponse);
      setVerdict(
        result.ok
          ? `The log is intact: all ${result.count} entries check out.`
          : `The log has been tampered with at entry ${result.brokenAt}: ${result.reason}.`,
      );
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <>
      <PageHeading>Audit log</PageHeading>
      <p class="govuk-body">Every change in this establishment, newest first. Each entry is chained to the one before, so an edit or deletion shows.</p>
      <ErrorSummary errors={error ? [{ field: 'audit', message: error }] : []} />
      <Button secondary onClick={() => void verify()}>
        Check the log has not been changed
      </Button>
      {verdict && (
        <p class="govuk-body govuk-!-font-weight-bold" role="status" data-testid="audit-verdict">
          {verdict}
        </p>
      )}
      <table class="govuk-table app-table--stack" id="audit">
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">#</th>
            <th scope="col" class="govuk-table__header">When</th>
            <th scope="col" class="govuk-table__header">Who</th>
            <th scope="col" class="govuk-table__header">What</th>
            <th scope="col" class="govuk-table__header">Details</th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {rows.map((row) => (
            <tr class="govuk-table__row" key={row.seq}>
              <td data-label="#" class="govuk-table__cell">{row.seq}</td>
              <td data-label="When" class="govuk-table__cell">{when.format(new Date(row.at))}</td>
              <td data-label="Who" class="govuk-table__cell">{row.actor ?? 'System'}</td>
              <td data-label="What" class="govuk-table__cell">{row.action}</td>
              <td data-label="Details" class="govuk-table__cell app-audit-details">{JSON.stringify(row.details)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more && rows.length > 0 && (
        <Button secondary onClick={() => void loadOlder(rows.at(-1)?.seq)}>
          Show older entries
        </Button>
      )}
    </>
  );
}
