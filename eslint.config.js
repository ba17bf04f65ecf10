import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** What the engine folders may not import (DESIGN.md: data flows one way). */
const noUi = {
  group: ['react', 'react-dom', '@xyflow/*', '**/editor/**', '**/storage/**', '**/pwa/**'],
  message: 'The engine has no UI dependency (DESIGN.md: data flows one way).',
};

/** Forbids `folder` to import the src/ folders in `users`, which depend on it. */
function below(folder, users) {
  return {
    group: users.flatMap((name) => [`**/${name}`, `**/${name}/**`]),
    message: `${folder} is below ${users.join(', ')} (docs/architecture.md, "Folders"): it may not import them.`,
  };
}

export default tseslint.config(
  {
    ignores: [
      'dist',
      'dev-dist',
      'node_modules',
      '.venv-spark',
      'public/modules',
      'coverage',
      'test-results',
      // AssemblyScript, not TypeScript (its own compiler checks it), and the kits' build outputs.
      'examples/modules/assemblyscript/**/assembly/**',
      'examples/modules/**/build/**',
      '.toolchains/**',
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
    rules: { 'no-restricted-imports': ['error', { patterns: [noUi] }] },
  },
  {
    // The CLI may keep its step-output cache in a directory (src/storage/cache-dir.ts).
    files: ['src/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ ...noUi, group: noUi.group.filter((g) => g !== '**/storage/**') }] },
      ],
    },
  },
  {
    // src/modules (manifests, catalog, compile cache, import inspection) is the bottom layer:
    // the pipeline and the runtime use it, it uses neither, so no folder cycle can come back.
    files: ['src/modules/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [noUi, below('src/modules', ['pipeline', 'runtime', 'cli'])] },
      ],
    },
  },
  {
    // The document model knows modules (manifests, catalog) but not how a run happens. Tests
    // may run modules through the real WASI host as evidence.
    files: ['src/pipeline/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [noUi, below('src/pipeline', ['runtime', 'cli'])] },
      ],
    },
  },
);
