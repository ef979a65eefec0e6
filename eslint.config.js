// Lint: typescript-eslint's recommended rules, and the import boundaries between the layers
// (README, "Architecture"): the core owns the chat model; adapters see only that model.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const PLATFORM_SDKS = ['@larksuiteoapi/*', '@wecom/*', 'wechaty', 'wechaty-*'];

export default tseslint.config(
  { ignores: ['node_modules/', 'generated/', 'dist/', 'data/', 'coverage/', 'bench/profiles/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // The dashboard's script runs in the browser, beside the ECharts it loads.
    files: ['bot/dashboard/assets/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, echarts: 'readonly' } },
  },
  {
    // Tests and benchmarks read platform payloads and JSON answers loosely.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The core and the commands: no platform code, except the one module that builds the platforms.
    files: ['bot/**/*.ts', 'commands/**/*.ts'],
    ignores: ['bot/platforms.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/adapters/**'], message: 'bot/ and commands/ use the chat model in bot/chat/; only bot/platforms.ts builds adapters.' },
            { group: PLATFORM_SDKS, message: 'platform SDKs are used only under adapters/.' },
          ],
        },
      ],
    },
  },
  {
    // The domain never calls back up: not into the composition root, the router or the wake-ups.
    files: ['bot/{tickets,incidents,approvals,duty,reminders,digest,reports,org,holidays,bindings,people}/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/adapters/**'], message: 'the domain uses the chat model in bot/chat/.' },
            { group: PLATFORM_SDKS, message: 'platform SDKs are used only under adapters/.' },
            {
              regex: '^\\.\\./(services|app|router|platforms|main)\\.js$|/scheduler/|/middleware/|/api/|commands/',
              message: 'the domain is called by the layers above it and never imports them.',
            },
          ],
        },
      ],
    },
  },
  {
    // Adapters implement the core's ports and know nothing else of the core.
    files: ['adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '(^|/)(bot/(?!chat/)|commands/)', message: 'adapters import only the chat model and ports of bot/chat/.' }],
        },
      ],
    },
  },
);
