import { readFileSync } from 'node:fs';

/** The version in package.json, read once: what `/api/health` reports. */
export const APP_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
