import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/api.ts';
import { errorMessage } from '../../api/useRemote.ts';
import { AuditCheckpoint, type AuditRow, type AuditVerifyResponse } from '../../shared/api/admin.ts';
import { Button, ErrorSummary } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { FileUpload } from '../../ui/FileUpload.tsx';

const PAGE = 50;
const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });

function describeVerdict(result: AuditVerifyResponse): string {
  if (!result.ok) {
    return result.brokenAt === null
      ? `The log’s entries hold, but the stored evidence does not match them: ${result.reason}.`
      : `The log has been tampered with at entry ${result.brokenAt}: ${result.reason}.`;
  }
  const checkpoint = result.checkpoint ? ` It still holds the checkpoint’s entry ${result.checkpoint.seq} unchanged.` : '';
  return `The log is intact: all ${result.count} entries check out, and ${result.evidence.checks} pieces of evidence and `
    + `${result.evidence.reviews} review decisions match them.${checkpoint}`;
}

function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function AuditPage() {
  const [rows, setRows] = useState<AuditRow[]>([]);
  const [more, setMore] = useState(true);
  const [error, setError] = useState<{ field: string; message: string } | null>(null);
  const [verdict, setVerdict] = useState<string | null>(null);

  const loadOlder = async (before?: number) => {
    try {
      const page = await api.call('audit.page', { query: { limit: PAGE, before } });
      setRows((current) => [...current, ...page]);
      setMore(page.length === PAGE);
    } catch (e) {
      setError({ field: 'audit', message: errorMessage(e) });
    }
  };
  useEffect(() => {
    void loadOlder();
  }, []);

  const verify = async (checkpoint?: AuditCheckpoint) => {
    setVerdict(null);
    setError(null);
    try {
      const query = checkpoint ? { seq: checkpoint.seq, hash: checkpoint.hash } : {};
      setVerdict(describeVerdict(await api.call('audit.verify', { query })));
    } catch (e) {
      setError({ field: 'audit', message: errorMessage(e) });
    }
  };

  const verifyAgainstFile = async (file: File | undefined) => {
    if (!file) return;
    const parsed = AuditCheckpoint.safeParse(await file.text().then(parseJsonOrNull));
    if (!parsed.success) {
      setVerdict(null);
      setError({
        field: 'checkpoint-file',
        message: `${file.name} is not a Wingcheck audit checkpoint: choose a .json file downloaded from this page.`,
      });
      return;
    }
    await verify(parsed.data);
  };

  return (
    <>
      <PageHeading>Audit log</PageHeading>
      <p class="govuk-body">Every change in this establishment, newest first. Each entry is chained to the one before, so an edit or deletion shows.</p>
      <ErrorSummary errors={error ? [error] : []} />
      <Button secondary onClick={() => void verify()}>
        Check the log has not been changed
      </Button>
      <details class="govuk-details">
        <summary class="govuk-details__summary">
          <span class="govuk-details__summary-text">Keep a checkpoint, or check against one</span>
        </summary>
        <div class="govuk-details__text">
          <p class="govuk-body">
            The log’s latest entry lives in the same database as the log. Keep a checkpoint somewhere else (every
            evidence pack prints one too): checking against it later shows whether entries up to it were removed or
            rewritten, even by someone with access to the database.
          </p>
          <p class="govuk-body">
            <a class="govuk-link" href="/api/audit/checkpoint" download>
              Download a checkpoint of the log now
            </a>
          </p>
          <FileUpload
            id="checkpoint-file"
            label="Check against a checkpoint file"
            accept="application/json,.json"
            onFile={(file) => void verifyAgainstFile(file)}
          />
        </div>
      </details>
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
