import { saveReference } from '../data/reference.ts';
import { getStoredSession } from '../data/session.ts';
import { Unit } from '../shared/api/admin.ts';
import { Schedule, TemplateVersionRecord } from '../shared/api/capture.ts';
import { PlanDetail, PlanSummary } from '../shared/api/plans.ts';
import { ApiRequestError } from '../shared/api/errors.ts';
import { api } from './api.ts';

let running: Promise<void> | null = null;

/**
 * Fetches what the device needs to work offline (units, plans and actions, templates, schedules)
 * and keeps it. Calls made while one runs share it. Offline or signed out: keeps what it has.
 */
export function refreshReference(): Promise<void> {
  running ??= load().finally(() => {
    running = null;
  });
  return running;
}

async function load(): Promise<void> {
  const session = await getStoredSession();
  if (!session || session.expired) return;
  try {
    const [units, summaries, templates, schedules] = await Promise.all([
      api.get('/api/units', Unit.array()),
      api.get('/api/plans', PlanSummary.array()),
      api.get('/api/templates', TemplateVersionRecord.array()),
      api.get('/api/schedules', Schedule.array()),
    ]);
    const plans = await Promise.all(summaries.map((plan) => api.get(`/api/plans/${plan.id}`, PlanDetail)));
    await saveReference({ establishmentId: session.info.establishment.id, units, plans, templates, schedules }, new Date());
  } catch (error) {
    // No connection, or the session ended (the API client records that): the device keeps what it had.
    if (!(error instanceof ApiRequestError)) throw error;
  }
}
