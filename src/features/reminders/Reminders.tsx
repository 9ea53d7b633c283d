import { useEffect, useState } from 'preact/hooks';
import { useSession } from '../../api/sessionContext.ts';
import { useChecksSince, useStandingGaps } from '../../data/gaps.ts';
import type { ReferenceData, TemplateRow, UnitRow } from '../../data/queries.ts';
import { addDays, scheduledDayKey } from '../../shared/cycles.ts';
import { localHourOf, OVERDUE_AFTER_HOUR, overdueNotification, remindersFor } from '../../shared/reminders.ts';
import { localDateOf } from '../../shared/schedules.ts';
import { dueItemState, type DueCheck } from '../../shared/today.ts';
import { Button } from '../../ui/form.tsx';
import { unitName } from '../capture/labels.ts';
import { notificationSupport, showOverdueNotification, turnOnReminders, updateBadge, type ReminderSupport } from './device-reminders.ts';
import { plural } from '../../shared/words.ts';

interface Props {
  reference: ReferenceData;
  templates: ReadonlyMap<string, TemplateRow>;
  units: ReadonlyMap<string, UnitRow>;
}

/** The time now, again each minute: a check becomes overdue at OVERDUE_AFTER_HOUR while the app stays open. */
function useMinute(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(new Date());
    }, 60_000);
    return () => {
      clearInterval(timer);
    };
  }, []);
  return now;
}

/**
 * Reminders worked out on the device, with no signal and no background API: the count of checks
 * still due on the app's icon (Badging API), a notification when some are overdue (while the app
 * is open), and, from a tap, permission for those and for Web Push from the server. Where the
 * browser has none of it (iPad Safari outside the Home Screen), Today's lists are the reminder.
 */
export function Reminders({ reference, templates, units }: Props) {
  const { info } = useSession();
  const timeZone = info.establishment.timeZone;
  const now = useMinute();
  const today = localDateOf(now, timeZone);
  const hour = localHourOf(now, timeZone);
  const yesterday = addDays(today, -1);
  // Weekly and monthly checks count for any day of their cycle: read back far enough to see it.
  const checks = useChecksSince(`${addDays(yesterday, -31)}T00:00:00.000Z`);
  const gaps = useStandingGaps(yesterday);
  const [support, setSupport] = useState<ReminderSupport>(notificationSupport);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const ready = checks !== undefined && gaps !== undefined;
  const templateOfVersion = new Map(reference.templates.map((t) => [t.id, t.templateId]));
  const liveUnits = new Set(reference.units.filter((u) => !u.archived).map((u) => u.id));
  const settled = (item: DueCheck) =>
    gaps?.has(scheduledDayKey(item)) === true
    || dueItemState(item, checks ?? [], templateOfVersion, info.user.id, timeZone).state === 'done';
  const reminders = ready ? remindersFor(info, reference.schedules, liveUnits, settled, today, hour) : null;
  const overdueKey = reminders?.overdue.map(scheduledDayKey).join(',') ?? '';
  const outstanding = reminders ? new Set([...reminders.due, ...reminders.overdue].map(scheduledDayKey)).size : 0;

  useEffect(() => {
    if (reminders) void updateBadge(outstanding);
  }, [outstanding, ready]);
  useEffect(() => {
    if (!reminders || reminders.overdue.length === 0 || support !== 'granted') return;
    const names = reminders.overdue.map((c) => `${templates.get(c.templateId)?.definition.title ?? 'Check'} on ${unitName(units, c.unitId)}`);
    void showOverdueNotification(today, overdueKey, { ...overdueNotification(today, reminders.overdue.length), body: names.join('; ') });
  }, [overdueKey, support, today]);

  if (!reminders) return null;
  const turnOn = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const outcome = await turnOnReminders();
      setSupport(notificationSupport());
      setMessage(outcome);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="reminders-title" data-testid="reminders">
      <h2 class="govuk-heading-m" id="reminders-title">
        Reminders
      </h2>
      <p class="govuk-body" data-testid="reminder-summary">
        {outstanding === 0
          ? 'Nothing is waiting for you from today or yesterday.'
          : `${plural(outstanding, 'check', 'checks')} waiting for you${reminders.overdue.length > 0 ? `, ${reminders.overdue.length} overdue` : ''}.`}{' '}
        A check due today is overdue from {OVERDUE_AFTER_HOUR}:00.
      </p>
      {support === 'default' && (
        <Button secondary disabled={busy} onClick={() => void turnOn()}>
          Turn on reminders
        </Button>
      )}
      {support === 'denied' && (
        <p class="govuk-body-s">Notifications are blocked for Wingcheck in this browser’s settings: this screen still lists every check due.</p>
      )}
      {support === 'unsupported' && (
        <p class="govuk-body-s">
          This browser cannot show reminders (on an iPad, add Wingcheck to the Home Screen first): this screen lists every
          check due.
        </p>
      )}
      {message && (
        <p class="govuk-body-s" role="status" data-testid="reminder-message">
          {message}
        </p>
      )}
    </section>
  );
}
