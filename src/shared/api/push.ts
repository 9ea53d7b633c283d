import { z } from 'zod';
import { SafeText } from '../text.ts';

/**
 * Web Push: the server's VAPID public key for PushManager.subscribe, and the subscriptions the
 * browser hands back (PushSubscription.toJSON()), which the server pushes reminders to.
 */

/** GET /api/push/key: the application server key, base64url (the raw 65-byte uncompressed P-256 point). */
export const PushKey = z.object({ publicKey: z.string() });
export type PushKey = z.infer<typeof PushKey>;

/** Long enough for any push service's endpoint (FCM's are about 200 characters). */
export const MAX_PUSH_ENDPOINT_LENGTH = 2048;

/**
 * An absolute http(s) URL as browsers give it: printable ASCII only (it is also a key the database
 * indexes, which bounds its size in bytes). Which origins the server pushes to is its own decision.
 */
export const PushEndpoint = SafeText(MAX_PUSH_ENDPOINT_LENGTH).refine((value) => {
  if (!/^[\x21-\x7e]+$/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}, 'must be the push service address the browser gave (https://…)');

/** Base64url of the browser's P-256 key: 65 bytes, an uncompressed point (0x04 first, so "B"). */
const P256dh = z.string().regex(/^B[A-Za-z0-9_-]{86}=?$/, 'must be the subscription\'s p256dh key (base64url of 65 bytes)');
/** Base64url of the 16-byte authentication secret. */
const AuthSecret = z.string().regex(/^[A-Za-z0-9_-]{22}(==)?$/, 'must be the subscription\'s auth secret (base64url of 16 bytes)');

/** POST /api/push/subscriptions: a browser's PushSubscription.toJSON(), kept for the signed-in person. */
export const PushSubscriptionRequest = z.strictObject({
  endpoint: PushEndpoint,
  // toJSON() has it; the server does not use it (a push service that ends a subscription answers 404 or 410).
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({ p256dh: P256dh, auth: AuthSecret }),
});
export type PushSubscriptionRequest = z.infer<typeof PushSubscriptionRequest>;

export const PushSubscribed = z.object({ endpoint: z.string(), subscribedAt: z.string() });
export type PushSubscribed = z.infer<typeof PushSubscribed>;

/** DELETE /api/push/subscriptions: this device's subscription, ended (only ever the caller's own). */
export const PushUnsubscribeRequest = z.strictObject({ endpoint: PushEndpoint });
export type PushUnsubscribeRequest = z.infer<typeof PushUnsubscribeRequest>;

/**
 * What a push carries, encrypted for the device: the service worker shows it as a notification
 * (title, body), `tag` replacing an older one of the same, and opens `url` (an app path) on a tap.
 */
export const ReminderPayload = z.object({
  title: z.string(),
  body: z.string(),
  url: z.string(),
  tag: z.string(),
});
export type ReminderPayload = z.infer<typeof ReminderPayload>;
