/**
 * The browser's reminder APIs, each where the browser has it: the app icon's badge (Badging API),
 * notifications through the service worker, and Web Push. None is required: without them Today's
 * lists are the reminder, and nothing here throws for their absence.
 */

export type ReminderSupport = 'granted' | 'default' | 'denied' | 'unsupported';

/** Whether notifications can be shown, and whether the person was asked yet. */
export function notificationSupport(): ReminderSupport {
  if (typeof Notification === 'undefined' || !('serviceWorker' in navigator)) return 'unsupported';
  return Notification.permission;
}

/** The number on the app's icon: checks still due or overdue; none clears it. */
export async function updateBadge(count: number): Promise<void> {
  // Typed as always there, but only some browsers have it (not Firefox, not Safari outside the Home Screen).
  if (!('setAppBadge' in navigator)) return;
  try {
    if (count > 0) await navigator.setAppBadge(count);
    else await navigator.clearAppBadge();
  } catch {
    // A browser may refuse a badge for an app not installed: the count is on Today anyway.
  }
}

const NOTIFIED_KEY = 'wingcheck:overdue-notified';

/**
 * One notification for the day's overdue checks, again only when the list changes (a reload or a
 * new minute does not repeat it). Shown by the service worker, which Android requires; the tag
 * makes a newer one replace the older rather than pile up.
 */
export async function showOverdueNotification(
  today: string,
  overdueKey: string,
  notification: { title: string; tag: string; body: string },
): Promise<void> {
  const marker = `${today}|${overdueKey}`;
  if (localStorage.getItem(NOTIFIED_KEY) === marker) return;
  try {
    const registration = await navigator.serviceWorker.ready;
    const { title, tag, body } = notification;
    await registration.showNotification(title, { body, tag, data: { url: '/' } });
    localStorage.setItem(NOTIFIED_KEY, marker);
  } catch {
    // Permission withdrawn meanwhile, or no service worker yet: Today still lists them.
  }
}

/** Forgets the notification shown, so the next person signed in on this tablet gets their own. */
export function forgetNotified(): void {
  localStorage.removeItem(NOTIFIED_KEY);
}

function base64UrlToBytes(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(value.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/**
 * Asks for permission (from a tap, never on load), then subscribes this device to Web Push from the
 * server where the browser can. Says, in words for the person, what is now on.
 */
export async function turnOnReminders(): Promise<string> {
  if (notificationSupport() === 'unsupported') return 'This browser cannot show reminders: Today lists every check due.';
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return 'Reminders stay off: this browser was not allowed to show notifications.';
  const registration = await navigator.serviceWorker.ready;
  if (!('pushManager' in registration)) return 'Reminders are on while Wingcheck is open. This browser cannot receive them when it is closed.';
  try {
    const { api } = await import('../../api/api.ts');
    const { publicKey } = await api.call('push.key', {});
    const applicationServerKey = base64UrlToBytes(publicKey);
    const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey });
    const json = subscription.toJSON();
    await api.call('push.subscribe', { body: { endpoint: json.endpoint ?? '', keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' } } });
    return 'Reminders are on: on this device while Wingcheck is open, and from the server when checks are overdue.';
  } catch {
    // Offline, or the browser's push service unreachable (as on a closed network): local reminders still work.
    return 'Reminders are on while Wingcheck is open. Reminders from the server could not be set up now: try again with a connection.';
  }
}

/**
 * On signing out: this browser stops receiving the person's reminders (the server forgets its
 * subscription, the browser drops it), the icon's count goes, and the next person starts afresh.
 * Best effort: with no connection the subscription lapses when the next person subscribes.
 */
export async function stopReminders(): Promise<void> {
  forgetNotified();
  await updateBadge(0);
  if (!('serviceWorker' in navigator)) return;
  try {
    const registration = await navigator.serviceWorker.getRegistration();
    const subscription = await registration?.pushManager.getSubscription();
    if (!subscription) return;
    const { api } = await import('../../api/api.ts');
    await api.call('push.unsubscribe', { body: { endpoint: subscription.endpoint } }).catch(() => undefined);
    await subscription.unsubscribe();
  } catch {
    // Nothing more to do on this browser.
  }
}
