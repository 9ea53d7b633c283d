// One tool lints and formats: ESLint with typescript-eslint (type-aware) and @stylistic.
// `npm run lint` checks, `npm run format` fixes. The import boundaries of the architecture are
// rules here, so breaking one fails the build rather than a review.
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** no-restricted-imports patterns; each block below replaces, not merges, so they compose here. */
const noDexieDirect = {
  regex: '(^|/)data/db(\\.ts)?$',
  message: 'Screens use the repositories and hooks in src/data, never the Dexie database directly.',
};
const noShell = {
  regex: '(^|/)app/',
  message: 'src/app is the shell that routes to the screens: screens use src/api, src/data and src/ui.',
};
const noUiFromCore = {
  regex: '(^|/)(app|features|ui)/',
  message: 'Shared and sync code runs in the service worker and on the server: no UI imports.',
};
const noBrowserStoreFromCore = {
  regex: '(^|/)data/|^dexie$',
  message: 'Shared and sync code must not touch IndexedDB: pass data in, or use a transport interface.',
};

export default defineConfig(
  {
    ignores: ['dist/', 'dev-dist/', 'node_modules/', 'data/', 'test-results/', 'playwright-report/', 'coverage/'],
  },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  stylistic.configs.customize({ semi: true, quotes: 'single', indent: 2, arrowParens: true, braceStyle: '1tbs' }),
  {
    languageOptions: {
      parserOptions: {
        project: [
          './src/shared/tsconfig.json',
          './sw/tsconfig.json',
          './server/tsconfig.json',
          './tsconfig.json',
          './tsconfig.tooling.json',
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@stylistic/max-len': ['error', { code: 130, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreUrls: true }],
      '@stylistic/multiline-ternary': 'off',
      '@stylistic/jsx-one-expression-per-line': 'off',
      '@stylistic/quotes': ['error', 'single', { avoidEscape: true }],
      'eqeqeq': ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['src/app/**', 'src/main.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noDexieDirect] }] },
  },
  {
    // The shell (src/app) draws the screens; the screens and their services never import the shell.
    files: ['src/features/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noDexieDirect, noShell] }] },
  },
  {
    files: ['src/api/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          noDexieDirect,
          noShell,
          { regex: '(^|/)features/', message: 'src/api is the service layer below the screens: it never imports a screen.' },
        ],
      }],
    },
  },
  {
    files: ['src/ui/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '(^|/)(data|sync|app|features)/|^dexie$', message: 'src/ui is presentational: data comes in as props.' }],
      }],
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          noUiFromCore,
          noBrowserStoreFromCore,
          { regex: '(^|/)sync/', message: 'src/shared is the bottom layer: it imports nothing else from src.' },
          { regex: '^node:|^preact', message: 'src/shared runs in the page, the service worker and Node: no Node or UI modules.' },
        ],
      }],
    },
  },
  {
    files: ['src/sync/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noUiFromCore, noBrowserStoreFromCore] }] },
  },
  {
    files: ['src/photos/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          noUiFromCore,
          noBrowserStoreFromCore,
          { regex: '^\\.\\./(?!shared/)', message: 'src/photos runs in a Web Worker as well as the page: from src it imports only src/shared.' },
          { regex: '^node:|^preact', message: 'src/photos runs in a Web Worker as well as the page: no Node or UI modules.' },
        ],
      }],
    },
  },
  {
    files: ['sw/**'],
    languageOptions: { globals: globals.serviceworker },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          {
            regex: '(^|/)src/(?!(sync|shared|data)/)',
            message: 'The service worker shares only src/sync, src/shared and the device store in src/data with the page.',
          },
        ],
      }],
    },
  },
  {
    files: ['server/**'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '^(\\.\\./)+src/(?!shared/)', message: 'The server imports only src/shared (schemas and pure logic) from src.' }],
      }],
    },
  },
  {
    files: ['tests/**', 'scripts/**', 'bench/**', '*.config.{ts,js}'],
    languageOptions: { globals: globals.node },
  },
  {
    // Run in Chromium by Vitest's browser mode, not in Node.
    files: ['tests/browser/**'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
