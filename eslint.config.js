import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import prettier from 'eslint-config-prettier'
import { readdirSync } from 'node:fs'
import path from 'node:path'

/*
 * Boundaries kept by the code, not by convention (issue 12). An area's store, routes and views are its own:
 * no file outside the area imports them (app.ts registers each area's plugin). Rules and the allocator are
 * pure: no database, HTTP, templates or files. Platform imports no area.
 */
const areas = readdirSync(path.join(import.meta.dirname, 'src/areas'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
const privateTo = (area) => ({
  group: [
    `**/${area}/store.ts`,
    `**/${area}/store/**`,
    `**/${area}/routes.ts`,
    `**/${area}/routes/**`,
    `**/${area}/views/**`,
  ],
  message: `The ${area} area's store, routes and views are its own: call its service (or, for routes, register its plugin in src/app.ts).`,
})
const pureIo = [
  {
    group: ['**/platform/views.ts', '**/platform/jobs.ts', '**/platform/audit.ts', '**/platform/sessions.ts'],
    message: 'Rules and the allocator are pure: take what they need as arguments.',
  },
  {
    group: ['**/platform/notifications.ts', '**/platform/events.ts', '**/db/database.ts', '**/store.ts'],
    message: 'Rules and the allocator are pure: take what they need as arguments.',
  },
]
const pureModules = ['kysely', 'fastify', 'nunjucks', 'pg', '@electric-sql/pglite', 'node:fs', 'node:fs/promises'].map(
  (name) => ({
    name,
    message: 'Rules and the allocator are pure: no database, HTTP, templates or files.',
    allowTypeImports: true,
  }),
)
const restricted = (patterns, paths = []) => ['error', { patterns, paths }]
const boundaries = [
  ...areas.map((area) => ({
    files: [`src/areas/${area}/**/*.ts`],
    rules: { 'no-restricted-imports': restricted(areas.filter((other) => other !== area).map(privateTo)) },
  })),
  ...areas.map((area) => ({
    files: [`src/areas/${area}/rules.ts`, `src/areas/${area}/rules/**/*.ts`, `src/areas/${area}/*/rules.ts`],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': restricted(
        [...areas.filter((other) => other !== area).map(privateTo), ...pureIo],
        pureModules,
      ),
    },
  })),
  {
    files: ['src/allocator/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': restricted(pureIo, pureModules) },
  },
  {
    // Platform's own tests may build the whole app, areas and all.
    files: ['src/platform/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': restricted([
        { group: ['**/areas/**'], message: 'Platform serves every area and imports none.' },
      ]),
    },
  },
  {
    // The demo builder and the benchmarks write years of records in bulk through the stores' own functions.
    files: ['src/**/*.ts', 'test/**/*.ts'],
    ignores: ['src/areas/**', 'src/platform/**', 'src/allocator/**', 'src/demo/**', 'src/app.ts'],
    rules: { 'no-restricted-imports': restricted(areas.map(privateTo)) },
  },
  {
    // The one composition root registers each area's routes; it reaches no store or view.
    files: ['src/app.ts'],
    rules: {
      'no-restricted-imports': restricted(
        areas.map((area) => ({
          ...privateTo(area),
          group: privateTo(area).group.filter((glob) => !glob.includes('/routes')),
        })),
      ),
    },
  },
]

/*
 * Rooms small enough to read whole (issue 12): no file in an area over 500 lines but its message catalogue,
 * and no function over 150 lines outside the demo builder, which writes its estate step by step.
 */
const sizes = [
  {
    files: ['src/areas/**/*.ts'],
    ignores: ['**/messages.ts'],
    rules: { 'max-lines': ['error', { max: 500, skipBlankLines: false, skipComments: false }] },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['**/*.test.ts', 'src/demo/**'],
    rules: { 'max-lines-per-function': ['error', { max: 150, skipBlankLines: false, skipComments: false }] },
  },
]

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', 'public/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's describe and it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      // Interfaces (Kysely drivers, Fastify handlers) are async whether or not a given body awaits.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  ...boundaries,
  ...sizes,
  prettier,
)
