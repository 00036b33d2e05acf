// Mutation testing (npm run mutation; not part of npm test): Stryker changes the code one small
// edit at a time and runs the unit tests beside it; a mutant no test notices ("survived") is a
// place where the tests cannot fail. test/README.md has the scores and how to read the report.
//   npm run mutation                      all three packages (long: see test/README.md)
//   MUTATE=protocol npm run mutation      one of: protocol, icao, pa
//   MUTATE=pa/verdict-reasons npm run mutation   one file (path under the package, no .ts;
//                                         pa/verdict is host-sdk/src/verdict.ts,
//                                         icao/file-streamer firmware/src/reader/file-streamer.ts)
//   MUTATE=icao/secure-messaging:230-300,firmware/src/crypto/retail-mac.ts:87-93 npm run mutation
//                                         line ranges and root paths, comma-separated
// Each package: its folder, and files outside it that belong to it for this purpose: the device
// compares each data group's hash with EF.SOD in firmware/src/reader/file-streamer.ts, and the SDK's document verdict,
// host-sdk/src/verdict.ts, sits beside pa/ but is pa's verdict logic.
const PACKAGES = {
  protocol: { dir: 'protocol/src', extra: [] },
  icao: { dir: 'firmware/src/icao', extra: ['firmware/src/reader/file-streamer.ts'] },
  pa: { dir: 'host-sdk/src/pa', extra: ['host-sdk/src/verdict.ts'] },
};

/** One MUTATE item: a package, a file of it (pkg/file), either with a Stryker line range
 * (pkg/file:200-260), or a path from the repository root (firmware/src/crypto/retail-mac.ts:87-93). */
function mutateItem(item) {
  if (/\.ts(:|$)/.test(item)) return [item];
  const [selection, range] = item.split(':');
  const [name, file] = selection.split('/');
  const pkg = PACKAGES[name];
  if (!pkg) throw new Error(`MUTATE=${item}: the package is one of ${Object.keys(PACKAGES).join(', ')}`);
  if (!file) return [`${pkg.dir}/**/*.ts`, ...pkg.extra];
  const outside = pkg.extra.find((path) => path.endsWith(`/${file}.ts`));
  return [(outside ?? `${pkg.dir}/${file}.ts`) + (range ? `:${range}` : '')];
}

function mutateGlobs(selection) {
  if (!selection) return Object.keys(PACKAGES).flatMap(mutateItem);
  return selection.split(',').flatMap((item) => mutateItem(item.trim()));
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
