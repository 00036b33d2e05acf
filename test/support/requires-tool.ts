// One rule for every test that needs something outside node_modules (a Debian tool, the built
// firmware bundle, the real Espruino interpreter, the ARM compiler, Unicorn):
// - present: the tests run;
// - missing under CI (CI set, as .ci/run does): the test file fails, naming what is missing;
// - missing elsewhere: the tests are skipped, one line says what was not checked and how to get
//   the tool, and `npm test` ends with the count of such skips (summary-reporter.ts).
//
// Usage (the API is stable; add tools to TOOLS):
//
//   import { requireTool } from '<relative path>/test/support/requires-tool';
//
//   describe.skipIf(!requireTool('pty', 'the CLI over a real pty'))('...', () => { ... });
//   it.skipIf(!requireTool(['openssl'], 'EF.SOD checked by openssl cms -verify'))('...', ...);
//
//   // a check of your own (a tool that must also run, a build variant...):
//   const espruino: Tool = { name: 'espruino (pico64)', install: 'see ../shared/espruino/README.md',
//     problem: () => interpreterProblem('pico64') };
//   describe.skipIf(!requireTool(espruino, 'the bundle on the real interpreter'))(...);
//
// Call it at module level (while vitest collects the file), not inside a test: the CI failure is
// then an error of the file, and the skip line is printed once.

import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canOpenPseudoTerminal } from '../../hardware/sim/pty';
import { SKIP_MARKER } from './skip-marker';

export interface Tool {
  /** What is missing, as a person would name it (e.g. `socat`, `firmware bundle`). */
  readonly name: string;
  /** How to get it (an apt-get line, an npm script, a README). */
  readonly install: string;
  /** Why it cannot be used here, or null when it can. */
  problem(): string | null;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

function onPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    try {
      if (statSync(join(dir, command)).isFile()) return null;
    } catch {
      // not in this directory
    }
  }
  return `${command} is not on PATH`;
}

function runs(command: string, args: string[]): string | null {
  const r = spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 });
  if (r.error) return `${command} cannot run: ${r.error.message}`;
  return r.status === 0 ? null : `${command} ${args.join(' ')} exited ${r.status}`;
}

function executable(path: string): string | null {
  try {
    accessSync(path, constants.X_OK);
    return null;
  } catch {
    return `no executable at ${path}`;
  }
}

export type ToolName =
  | 'pty' | 'socat' | 'openssl' | 'nfc-list' | 'nfc-poll' | 'pn53x-tamashell'
  | 'firmware-bundle' | 'espruino' | 'arm-none-eabi-gcc' | 'python3-unicorn';

/** Everything a test may need from outside node_modules. */
export const TOOLS: Record<ToolName, Tool> = {
  // hardware/sim/pty.ts: openpty from node-pty (an npm dependency), socat where node-pty has no binary.
  pty: {
    name: 'a pseudo-terminal',
    install: 'npm ci (@lydell/node-pty), or apt-get install socat',
    problem: () => (canOpenPseudoTerminal() ? null : 'node-pty has no binary for this platform and socat is not installed'),
  },
  socat: { name: 'socat', install: 'apt-get install socat', problem: () => onPath('socat') },
  openssl: { name: 'openssl', install: 'apt-get install openssl', problem: () => onPath('openssl') ?? runs('openssl', ['version']) },
  'nfc-list': { name: 'nfc-list (libnfc)', install: 'apt-get install libnfc-bin', problem: () => onPath('nfc-list') },
  'nfc-poll': { name: 'nfc-poll (libnfc)', install: 'apt-get install libnfc-examples', problem: () => onPath('nfc-poll') },
  'pn53x-tamashell': { name: 'pn53x-tamashell (libnfc)', install: 'apt-get install libnfc-pn53x-examples', problem: () => onPath('pn53x-tamashell') },
  'firmware-bundle': {
    name: 'firmware bundle',
    install: 'npm run build',
    problem: () => (existsSync(join(ROOT, 'firmware/dist/firmware.js')) ? null : 'firmware/dist/firmware.js has not been built'),
  },
  espruino: {
    name: 'Espruino interpreter',
    install: 'see ../shared/espruino/README.md (build.sh)',
    problem: () => executable(join(ROOT, '../shared/espruino/espruino')),
  },
  'arm-none-eabi-gcc': { name: 'arm-none-eabi-gcc', install: 'apt-get install gcc-arm-none-eabi', problem: () => onPath('arm-none-eabi-gcc') },
  'python3-unicorn': {
    name: 'python3-unicorn',
    install: 'apt-get install python3-unicorn',
    problem: () => executable('/usr/bin/python3') ?? runs('/usr/bin/python3', ['-c', 'import unicorn']),
  },
};

/** CI is on when CI is set to anything but '' / 'false' / '0'. */
export function inCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

const reported = new Set<string>();

/** The problems of `tools` here, each as `name: problem (install: ...)`; empty when all are there. */
export function missingTools(tools: ToolName | Tool | Array<ToolName | Tool>): string[] {
  const list = Array.isArray(tools) ? tools : [tools];
  const out: string[] = [];
  for (const t of list) {
    const tool = typeof t === 'string' ? TOOLS[t] : t;
    const problem = tool.problem();
    if (problem) out.push(`${tool.name}: ${problem} (install: ${tool.install})`);
  }
  return out;
}

/** True when every one of `tools` can be used. Otherwise: under CI throws (naming them); elsewhere
 * prints one line (`SKIPPED (tool missing): <what>: <tool>: <problem> (install: ...)`) and
 * returns false, so the caller skips. `what` says what goes unchecked. */
export function requireTool(tools: ToolName | Tool | Array<ToolName | Tool>, what: string): boolean {
  const missing = missingTools(tools);
  if (missing.length === 0) return true;
  if (inCi()) throw new Error(`CI must check ${what}, but ${missing.join('; ')}`);
  const line = `${SKIP_MARKER}${what}: ${missing.join('; ')}`;
  if (!reported.has(line)) {
    reported.add(line);
    console.warn(line);
  }
  return false;
}
