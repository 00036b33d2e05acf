// Mutation testing (npm run mutation; not part of npm test): Stryker changes the code one small
// edit at a time and runs the unit tests beside it; a mutant no test notices ("survived") is a
// place where the tests cannot fail. test/README.md has the scores and how to read the report.
//   npm run mutation                      all three packages (long: see test/README.md)
//   MUTATE=protocol npm run mutation      one of: protocol, icao, pa
//   MUTATE=pa/verdict-reasons npm run mutation   one file (path under the package, no .ts)
const PACKAGES = {
  protocol: 'protocol/src',
  icao: 'firmware/src/icao',
  pa: 'host-sdk/src/pa',
};

function mutateGlobs(selection) {
  if (!selection) return Object.values(PACKAGES).map((dir) => `${dir}/**/*.ts`);
  const [pkg, file] = selection.split('/');
  const dir = PACKAGES[pkg];
  if (!dir) throw new Error(`MUTATE=${selection}: the package is one of ${Object.keys(PACKAGES).join(', ')}`);
  return [file ? `${dir}/${file}.ts` : `${dir}/**/*.ts`];
}

export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  mutate: [...mutateGlobs(process.env.MUTATE), '!**/*.test.ts', '!**/testing/**', '!**/index.ts'],
  coverageAnalysis: 'perTest',
  // The machine has 2 cores shared by everyone.
  concurrency: 2,
  timeoutMS: 20000,
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['out', 'reports', 'coverage', '**/dist', 'firmware/native/**/*.bin.tmp'],
  cleanTempDir: 'always',
};
