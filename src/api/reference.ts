import { saveReference } from '../data/reference.ts';
import { getStoredSession } from '../data/session.ts';
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
      api.call('units.list'),
      api.call('plans.list'),
      api.call('templates.list'),
      api.call('schedules.list'),
    ]);
    const plans = await Promise.all(summaries.map((plan) => api.call('plans.get', { params: { id: plan.id } })));
    await saveReference({ establishmentId: session.info.establishment.id, units, plans, templates, schedules }, new Date());
  } catch (error) {
    // No connection, or the session ended (the API client records that): the device keeps what it had.
    if (!(error instanceof ApiRequestError)) throw error;
  }
}
