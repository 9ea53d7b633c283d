/**
 * zod 4 tries `new Function("")` once to see whether it may compile its parsers. Our
 * Content-Security-Policy has no 'unsafe-eval', so the try is refused, and the browser reports a
 * CSP violation on every page even though zod carries on. `jitless` skips the try (and the
 * compiling, which a tablet's few parses do not need). zod reads this global when its core module
 * first loads, so the page and the service worker import this module before anything else.
 */
const holder = globalThis as { __zod_globalConfig?: Record<string, unknown> };
holder.__zod_globalConfig = { ...holder.__zod_globalConfig, jitless: true };

export {};
