// Whether the real interpreter runs here. In CI (CI set) it must: a missing or broken binary
// fails the suite. Elsewhere the tests that need it are skipped with one loud, counted line.

import { interpreterProblem, type Build } from './espruino-runner';

const checked = new Map<Build, string | null>();

/** null when the interpreter runs; otherwise the reason, already printed. Throws under CI. */
export function interpreterUnavailable(build: Build = 'pico64'): string | null {
  if (!checked.has(build)) {
    const problem = interpreterProblem(build);
    if (problem && process.env.CI) throw new Error(`CI must run the real Espruino interpreter: ${problem}`);
    if (problem) console.warn(`\n!!! SKIPPED: real Espruino interpreter tests (${build}): ${problem}\n`);
    checked.set(build, problem);
  }
  return checked.get(build)!;
}
