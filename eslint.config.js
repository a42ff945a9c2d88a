// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** The process boundaries of ARCHITECTURE.md, enforced. */
const noElectron = {
  name: 'electron',
  message:
    'app/ and renderer/ must stay Electron-free (ARCHITECTURE.md); put Electron glue in main/.',
};
const noIpcRendererSyntax = [
  {
    selector: "Identifier[name='ipcRenderer']",
    message: 'Only preload/ may touch ipcRenderer; use window.switchboard.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      '.tsbuild/**',
      'e2e/artifacts/**',
      'test-results/**',
      'playwright-report/**',
      'app/clients/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        window: 'readonly',
        document: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
        setImmediate: 'readonly',
        navigator: 'readonly',
        performance: 'readonly',
        Response: 'readonly',
        Request: 'readonly',
        Headers: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', ...noIpcRendererSyntax],
    },
  },
  {
    files: ['app/**', 'renderer/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: ['electron/*'] }],
    },
  },
  {
    files: ['preload/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.cjs', 'bin/**', 'scripts/**/*.mjs', '**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
