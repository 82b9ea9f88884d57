// Lint keeps the house rules honest (DESIGN.md): type-only imports, no floating promises, no import cycles, and the
// TypeScript-aware recommended rules. Formatting is Prettier's (npm run format); nothing here argues about layout.
import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'examples/agent-app/', 'test/histories/', '.data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      // The plan model's folders stack one way (README, Architecture), and the model imports nothing else of ours.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './src/plan', from: './src', except: ['./plan'] },
            { target: './src/plan/reading', from: ['./src/plan/graph', './src/plan/checking', './src/plan/running'] },
            { target: './src/plan/graph', from: ['./src/plan/checking', './src/plan/running'] },
            { target: './src/plan/running', from: './src/plan/checking' },
          ],
        },
      ],
      // Prettier wraps code at 120 columns but not comments; long strings stay whole so messages can be searched for.
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
