/**
 * Debian's Chromium, never a downloaded build (the network here reaches no browser CDN).
 * As root in a container Chromium needs --no-sandbox; the rest stop it calling Google's services,
 * which a closed network refuses, noisily and slowly.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
