import { readFileSync } from 'node:fs';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// `(min-width: 0\0)`, as Sass writes it out: the escape becomes U+FFFD.
const IE_MEDIA_HACK = /min-width:\s*0(\\0|\uFFFD)/;

// GOV.UK blue: the theme colour of the browser UI and the installed app's title bar.
const THEME_COLOUR = '#1d70b8';

export default defineConfig({
  define: {
    __APP_VERSION__: JSON.stringify(version),
  },
  plugins: [
    preact(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'sw',
      filename: 'sw.ts',
      // A new version waits until the person chooses to update: a silent reload could throw
      // away a check being filled in on a landing.
      registerType: 'prompt',
      // Registered by src/app/serviceWorker.ts through workbox-window, not by an injected inline
      // script (the Content-Security-Policy allows no inline script).
      injectRegister: false,
      manifest: {
        id: '/',
        name: 'Wingcheck',
        short_name: 'Wingcheck',
        description: 'Record evidence for prison inspection action plans on the wing, with or without signal.',
        lang: 'en-GB',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        theme_color: THEME_COLOUR,
        background_color: '#ffffff',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      // The glob below already finds the icons and the plugin adds the manifest itself.
      includeManifestIcons: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png}'],
        // Source maps are for developers' tools, never for tablets' caches.
        globIgnores: ['**/*.map'],
      },
    }),
  ],
  build: {
    // Class fields and the rest of ES2022 as written: every browser a tablet runs (Chrome 94+, Safari
    // 15.4+) has them, and es2020 made the bundler add helper code to the first load for nothing.
    target: 'es2022',
    sourcemap: false,
    // Rolldown's plugin timing report is for plugin authors; it only adds noise to npm start.
    rolldownOptions: {
      checks: { pluginTimings: false },
      // Everything the first screen needs in one chunk beside the entry: a dozen small shared
      // chunks each pay gzip's header and restart its dictionary, on the one load a tablet waits for.
      output: { codeSplitting: { groups: [{ name: 'initial', tags: ['$initial'] }] } },
    },
  },
  css: {
    postcss: {
      plugins: [
        {
          // GOV.UK Frontend carries an IE 9-11 hack, `@media (min-width: 0\0)`, that Lightning
          // CSS (the minifier) cannot parse. No browser we support needs it: drop it.
          postcssPlugin: 'drop-ie-media-hacks',
          AtRule: {
            media(rule: { params: string; remove(): void }) {
              if (IE_MEDIA_HACK.test(rule.params)) rule.remove();
            },
          },
        },
      ],
    },
    preprocessorOptions: {
      scss: {
        // GOV.UK Frontend's Sass still uses features Dart Sass warns about; they are its to fix.
        quietDeps: true,
      },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:8080' },
  },
});
