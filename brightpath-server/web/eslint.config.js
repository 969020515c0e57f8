import js from '@eslint/js'
import globals from 'globals'
import react from 'eslint-plugin-react'
import reactHooks from 'eslint-plugin-react-hooks'
import jsxA11y from 'eslint-plugin-jsx-a11y'

const features = ['schedule', 'onboarding', 'feedback', 'coop']

export default [
  { ignores: ['dist', 'storybook-static', 'node_modules'] },
  js.configs.recommended,
  react.configs.flat.recommended,
  react.configs.flat['jsx-runtime'],
  jsxA11y.flatConfigs.recommended,
  {
    files: ['**/*.{js,jsx,mjs}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.node },
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
    settings: { react: { version: '18.3' } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react/prop-types': 'error',
      // A scrolling region must take focus to be scrolled by keyboard (axe's scrollable-region-focusable).
      'jsx-a11y/no-noninteractive-tabindex': ['error', { tags: [], roles: ['tabpanel', 'region'] }],
      'no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  // Shared pieces never import from a feature folder (bulletproof-react's rule).
  {
    files: ['src/components/common/**', 'src/api/**', 'src/lib/**', 'src/hooks/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: features.map((f) => ({
            group: [`**/${f}/**`, `**/${f}`],
            message: 'shared code must not import a feature',
          })),
        },
      ],
    },
  },
  // Features never import each other.
  ...features.map((f) => ({
    files: [`src/components/${f}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: features
            .filter((o) => o !== f)
            .map((o) => ({
              group: [`**/${o}/**`, `**/${o}`],
              message: 'features must not import each other',
            })),
        },
      ],
    },
  })),
]
