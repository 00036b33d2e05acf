// The MRZ prompt on a real terminal: `read` with nothing on stdin, no PASSPORT_MRZ and no
// --mrz-file asks for the MRZ on the terminal with echo off. util-linux `script` gives the CLI a
// pseudo-terminal in its normal (cooked, echoing) mode and copies everything the terminal shows
// to its stdout, so a typed MRZ that the CLI failed to hide would be in that copy.

import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixture } from '@epassport/hardware/fixtures/index';
import { requireTool, type Tool } from '../support/requires-tool';
import { CLI, cscaPath, mrzOf, ROOT, SOURCE_NODE_ARGS, startSimulator, type Simulator } from '../support/virtual-reader';

const DOCUMENT = 'utopia-anna';
const anna = loadFixture(DOCUMENT);
const PROMPT = 'MRZ (document number, birth and expiry date, or the MRZ lines; not shown): ';

const script: Tool = {
  name: 'script (util-linux)',
  install: 'apt-get install bsdutils',
  problem: () => {
    const r = spawnSync('script', ['-qec', 'true', '/dev/null'], { stdio: 'ignore', timeout: 10_000 });
    return r.error ? 'script cannot run: ' + r.error.message : r.status === 0 ? null : 'script -qec true exited ' + r.status;
  },
};

const quote = (s: string) => "'" + s.replace(/'/g, "'\\''") + "'";

/** The CLI under `script`: `typed` is written once the prompt shows. Resolves with the exit code
 * and everything the terminal showed. */
function onTerminal(args: string[], typed: string): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, ...SOURCE_NODE_ARGS, CLI, ...args].map(quote).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: ROOT, env: { ...process.env, PASSPORT_MRZ: '', HOME: '/nonexistent' }, stdio: ['pipe', 'pipe', 'inherit'] });
  let screen = '';
  let sent = false;
  child.stdout.on('data', (d: Buffer) => {
    screen += d.toString('utf8');
    if (!sent && screen.includes(PROMPT)) {
      sent = true;
      // The prompt is written in the same tick as raw mode is set; a little margin all the same.
      setTimeout(() => child.stdin.write(typed), 200);
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, screen });
    });
  });
}

describe.skipIf(!requireTool(script, 'the no-echo MRZ prompt on a pseudo-terminal'))('the MRZ prompt on a terminal', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator(DOCUMENT, 'pico');
  }, 60_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it('asks without echo, reads with what was typed, and the screen never shows it', async () => {
    const mrz = mrzOf(anna);
    const r = await onTerminal(['read', '--port', sim.path, '-q', '--trust', cscaPath(DOCUMENT)], mrz + '\r');
    expect(r.screen).toContain(PROMPT);
    expect(r.screen).toMatch(/VERIFIED\r?\n/);
    expect(r.screen).not.toMatch(/NOT VERIFIED/);
    expect(r.code).toBe(0);
    // Neither the whole MRZ nor any of its fields reached the terminal.
    for (const part of [mrz, ...mrz.split(' ')]) expect(r.screen).not.toContain(part);
    // No warning: the MRZ did not come on the command line.
    expect(r.screen).not.toMatch(/warning/);
  }, 90_000);

  it('backspace edits the hidden line; Ctrl-C at the prompt cancels (exit 130) and touches no reader', async () => {
    const [number, birth, expiry] = mrzOf(anna).split(' ');
    const typo = await onTerminal(['read', '--port', '/nonexistent/tty', '-q'], number + 'X\u007f ' + birth + ' ' + expiry + '\r');
    // The edited MRZ is valid, so the CLI goes on to the port, which is not there (exit 2).
    expect(typo.screen).toMatch(/\[(not-found|port-error)\]/);
    expect(typo.code).toBe(2);
    expect(typo.screen).not.toContain(number);
    const cancelled = await onTerminal(['read', '--port', '/nonexistent/tty', '-q'], number.slice(0, 3) + '\u0003');
    expect(cancelled.screen).toMatch(/cancelled at the MRZ prompt \[cancelled\]/);
    expect(cancelled.code).toBe(130);
    expect(cancelled.screen).not.toContain(number.slice(0, 3));
  }, 90_000);
});
