/**
 * The version of the outbox's wire format (mutations.ts): bump it for a change an older server or
 * client could misread. Apart from mutations.ts so the device's first bundle carries no zod.
 */
export const PROTOCOL_VERSION = 1;
