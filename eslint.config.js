import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Node built-ins may not be imported by code that runs on Espruino.
const nodeModules = [
  'assert', 'buffer', 'child_process', 'crypto', 'events', 'fs', 'fs/promises', 'http', 'https', 'net',
  'os', 'path', 'process', 'stream', 'timers', 'tty', 'url', 'util', 'vm', 'worker_threads', 'zlib',
];
const deviceRestrictions = {
  'no-restricted-imports': ['error', {
    paths: nodeModules.map((name) => ({ name, message: 'Firmware and protocol code runs on Espruino: no Node modules.' })),
    patterns: [{ group: ['node:*'], message: 'Firmware and protocol code runs on Espruino: no Node modules.' }],
  }],
  'no-restricted-globals': ['error',
    ...['Buffer', 'process', 'TextEncoder', 'TextDecoder', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Symbol', 'BigInt', 'DataView', 'globalThis', '__dirname', 'require']
      .map((name) => ({ name, message: name + ' does not exist on Espruino.' })),
  ],
  'no-restricted-syntax': ['error',
    { selector: 'ForOfStatement', message: 'Espruino has no iterators: use an index loop.' },
    { selector: ':function[async=true]', message: 'Espruino has no async/await.' },
    { selector: ':function[generator=true]', message: 'Espruino has no generators.' },
    { selector: 'ChainExpression', message: 'Avoid optional chaining on Espruino.' },
    { selector: 'Literal[regex]', message: 'Avoid RegExp in firmware.' },
    { selector: 'Literal[bigint]', message: 'Espruino has no BigInt.' },
  ],
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/coverage/**', '.stryker-tmp/**', 'reports/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['protocol/src/**/*.ts', 'firmware/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: deviceRestrictions,
  },
);
