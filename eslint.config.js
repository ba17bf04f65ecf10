import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'dist',
      'dev-dist',
      'node_modules',
      'public/modules',
      'coverage',
      'test-results',
      // peggy output (scripts/gen-expression-parser.mjs), checked against the grammar instead.
      'src/pipeline/expression/parser.generated.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.tsx', 'src/editor/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    // The engine runs in Node and in workers: no React, no editor code, no DOM-only modules.
    files: ['src/pipeline/**', 'src/runtime/**', 'src/modules/**', 'src/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'react',
                'react-dom',
                '@xyflow/*',
                '**/editor/**',
                '**/storage/**',
                '**/pwa/**',
              ],
              message: 'The engine has no UI dependency (DESIGN.md: data flows one way).',
            },
          ],
        },
      ],
    },
  },
);
