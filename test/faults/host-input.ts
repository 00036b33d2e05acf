// Host input faults (issue 8): malformed MRZ strings (SDK), bad command lines (CLI), corrupt or
// badly signed master lists (SDK and `trust import`). Each check runs fixed cases plus `runs`
// seeded random ones; a failure is an untyped error (not a ReaderError with a known code), an
// accepted invalid input, a stack trace or personal data in what the user sees, or a master list
// accepted with other certificates than the signed ones.

import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadMasterList } from '@epassport/hardware/fixtures/index';
import { createCsca, createMasterList, encodeCscaMasterList } from '@epassport/hardware/sim/document/index';
import { run } from '@epassport/host-sdk/cli';
import { parseMasterList } from '@epassport/host-sdk/pa/master-list';
import { toBacKey } from '@epassport/host-sdk/mrz/mrz-input';
import { ALL_ERROR_CODES, isReaderError } from '@epassport/host-sdk/reader-error';
import { randomBytes, seededRandom } from './seeded-random';

export interface HostInputCheck {
  name: string;
  cases: number;
  /** Rejected with a typed error, as they should be. */
  rejected: number;
  accepted: number;
  failures: string[];
}

const MRZ_DOC = 'UA1234567';

/** Invalid MRZ inputs: each must be refused with a typed error. */
export const BAD_MRZ: unknown[] = [
  null, undefined, 42, '', ' ', { mrz: '' }, { mrz: 42 }, { mrz: [] }, { mrz: ['P<UTO', 42] },
  { mrz: 'UA1234567 881315 330921' }, { mrz: 'UA1234567 880315 331321' }, { mrz: 'UA1234567 880332 330921' },
  { mrz: 'UA1234567 8803 330921' }, { mrz: 'UA1234567' }, { mrz: 'UA1234567 880315' }, { mrz: '\u0000\u0001\u0002' },
  { mrz: 'ÄÖÜ1234567 880315 330921' }, { mrz: 'UA123456789012345678901234 880315 330921' }, { mrz: 'ua1234567 88-03-15 33/09/21' },
  { mrz: 'P<UTO|' + 'X'.repeat(100) }, { mrz: 'P<UTOANNA<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<|UA12345670UTO8803150F3309212<<<<<<<<<<<<<<09' },
  { mrz: ['P<UTOANNA'.padEnd(44, '<'), 'UA12345679UTO8803150F3309212<<<<<<<<<<<<<<09'] },
  { documentNumber: '', dateOfBirth: '880315', dateOfExpiry: '330921' }, { documentNumber: MRZ_DOC, dateOfBirth: '88031', dateOfExpiry: '330921' },
  { documentNumber: MRZ_DOC, dateOfBirth: '880315', dateOfExpiry: 'ABCDEF' }, { documentNumber: MRZ_DOC },
];

/** Command lines that must exit 1 (usage) with one error line. */
export const BAD_ARGS: string[][] = [
  ['frobnicate'], ['read'], ['read', '--mrz'], ['read', '--mrz', 'UA1234567 881315 330921'], ['read', '--mrz', 'nonsense'],
  ['read', '--mrz', 'UA1234567 880315 330921', '--groups', 'x'], ['read', '--mrz', 'UA1234567 880315 330921', '--groups', '0,17'],
  ['read', '--mrz', 'UA1234567 880315 330921', '--card-timeout', '-3'], ['read', '--mrz', 'UA1234567 880315 330921', '--card-timeout', 'abc'],
  ['read', '--mrz', 'UA1234567 880315 330921', '--bogus'], ['read', '--document-number', MRZ_DOC, '--birth', '880315'],
  ['read', '--mrz-lines', 'P<UTO'], ['trust'], ['trust', 'import'], ['trust', 'frob', 'x'], ['info', '--port'], ['--port'], ['-x'],
  ['read', '--mrz', 'UA1234567 880315 330921', '--trust', '/nonexistent/trust/dir'],
  ['verify'], ['verify', 'a', 'b'], ['verify', 'x', '--mrz', 'UA1234567 880315 330921'], ['verify', 'x', '--port', 'p'], ['verify', 'x', '--groups', '1'],
  ['trust', 'list', 'x'], ['trust', 'list', '--quiet'], ['trust', 'remove'], ['trust', 'remove', ' '], ['trust', 'remove', 'a', 'b'],
  ['trust', 'remove', 'x', '--mrz', 'UA1234567 880315 330921'], ['trust', 'remove', 'x', '--out', 'y'],
];

class Capture extends Writable {
  text = '';
  _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Personal strings of the MRZ used in these inputs, in the forms they could be printed in. */
const PERSONAL = [MRZ_DOC, '880315', '1988-03-15', '330921', '2033-09-21'];

function typed(e: unknown): boolean {
  return isReaderError(e) && ALL_ERROR_CODES.includes(e.code);
}

function mrzCheck(runs: number): HostInputCheck {
  const c: HostInputCheck = { name: 'MRZ input (SDK toBacKey)', cases: 0, rejected: 0, accepted: 0, failures: [] };
  const tryOne = (input: unknown, mustReject: boolean): void => {
    c.cases++;
    try {
      toBacKey(input as Parameters<typeof toBacKey>[0]);
      c.accepted++;
      if (mustReject) c.failures.push('accepted ' + JSON.stringify(input));
    } catch (e) {
      if (!typed(e)) c.failures.push(`untyped ${(e as Error).name} for ${JSON.stringify(input)}: ${(e as Error).message}`);
      else {
        c.rejected++;
        const text = (e as Error).message;
        for (const p of PERSONAL) if (text.includes(p)) c.failures.push(`error message repeats "${p}": ${text}`);
      }
    }
  };
  for (const input of BAD_MRZ) tryOne(input, true);
  const random = seededRandom(0x4d525a);
  const alphabet = 'UA0123456789<| -/.\n\tÄ\u0000';
  for (let i = 0; i < runs * 20; i++) {
    const n = Math.floor(random() * 100);
    let s = '';
    for (let k = 0; k < n; k++) s += alphabet[Math.floor(random() * alphabet.length)];
    tryOne(random() < 0.5 ? { mrz: s } : { documentNumber: s.slice(0, 12), dateOfBirth: s.slice(12, 18), dateOfExpiry: s.slice(18, 24) }, false);
  }
  return c;
}

async function cliCheck(runs: number): Promise<HostInputCheck> {
  const c: HostInputCheck = { name: 'CLI arguments', cases: 0, rejected: 0, accepted: 0, failures: [] };
  const previous = process.env.XDG_CONFIG_HOME;
  process.env.XDG_CONFIG_HOME = mkdtempSync(join(tmpdir(), 'faults-cli-config-'));
  const one = async (argv: string[], mustBeUsage: boolean): Promise<void> => {
    c.cases++;
    const stdout = new Capture();
    const stderr = new Capture();
    // No binding and no sysfs: nothing can be opened, so nothing reaches a real port.
    // No MRZ from env, stdin or a prompt: `read` without one must fail, never wait on stdin.
    const mrzSource = { env: {}, stdin: null, stdinTty: false, prompt: () => Promise.reject(new Error('no prompt here')) };
    const code = await run(argv, { stdout, stderr, tty: false, sysfsRoot: null, binding: undefined, handshakeTimeoutMs: 200, mrzSource });
    const out = stdout.text + stderr.text;
    if (code === 0) c.accepted++;
    else c.rejected++;
    if (mustBeUsage && code !== 1) c.failures.push(`exit ${code} for ${JSON.stringify(argv)} (expected 1)`);
    if (/\n\s+at /.test(out)) c.failures.push(`stack trace printed for ${JSON.stringify(argv)}`);
    if (code !== 0 && !/^passport-reader: .+ \[[a-z-]+\]$/m.test(stderr.text)) c.failures.push(`no one-line typed error for ${JSON.stringify(argv)}: ${stderr.text.slice(0, 120)}`);
    if (/\[internal\]/.test(stderr.text)) c.failures.push(`internal error for ${JSON.stringify(argv)}: ${stderr.text.trim()}`);
    for (const p of PERSONAL) if (stderr.text.includes(p)) c.failures.push(`stderr repeats "${p}" for ${JSON.stringify(argv)}`);
  };
  try {
    for (const argv of BAD_ARGS) await one(argv, true);
    const random = seededRandom(0xc11);
    // No --trust word: a random folder after it could be made in the working directory.
    const words = [
      'read', 'info', 'list', 'verify', 'trust', 'import', 'remove', '--mrz', 'UA1234567 881315 330921', '--groups', '1,2,99', '--card-timeout', '-1',
      '--json', '-q', '--out', '--mrz-lines', 'x', '/nonexistent/saved-read', 'deadbeef', '--', '-g', '--document-number', '--birth', '--expiry',
    ];
    for (let i = 0; i < runs; i++) {
      const argv: string[] = [];
      const n = 1 + Math.floor(random() * 6);
      for (let k = 0; k < n; k++) argv.push(words[Math.floor(random() * words.length)]);
      // 'list' with no port list and 'info' fail on the missing reader, both fine; never a crash.
      await one(argv, false);
    }
  } finally {
    if (previous === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = previous;
  }
  return c;
}

function certSet(list: Uint8Array[]): string {
  return list.map((d) => Buffer.from(d).toString('hex')).sort().join(',');
}

async function masterListCheck(runs: number): Promise<HostInputCheck> {
  const c: HostInputCheck = { name: 'master lists (SDK + trust import)', cases: 0, rejected: 0, accepted: 0, failures: [] };
  const genuine = loadMasterList();
  const expected = certSet(parseMasterList(genuine).certificates);
  const variants: { what: string; bytes: Uint8Array }[] = [];
  const random = seededRandom(0x3a57);
  for (let i = 0; i < runs * 4; i++) {
    const b = genuine.slice();
    b[Math.floor(random() * b.length)] ^= 1 + Math.floor(random() * 255);
    variants.push({ what: 'byte flipped', bytes: b });
  }
  for (let i = 0; i < runs; i++) variants.push({ what: 'truncated', bytes: genuine.slice(0, Math.floor(random() * genuine.length)) });
  variants.push({ what: 'signature byte flipped', bytes: (() => { const b = genuine.slice(); b[b.length - 10] ^= 0x01; return b; })() });
  variants.push({ what: 'random bytes', bytes: randomBytes(random, 2000) });
  variants.push({ what: 'SignedData prefix only', bytes: genuine.slice(0, 40) });
  // A well-formed list signed by a CSCA that is not in it (an attacker's list).
  const outsider = await createCsca({ signature: 'ecdsa' });
  const rogueCsca = await createCsca({ signature: 'ecdsa' });
  variants.push({ what: 'signed by a CSCA not in the list', bytes: await createMasterList([rogueCsca], { signerCsca: outsider }) });
  // Unsigned: the bare CscaMasterList, no CMS around it.
  variants.push({ what: 'unsigned (bare CscaMasterList)', bytes: encodeCscaMasterList([rogueCsca.certificate]) });
  const dir = mkdtempSync(join(tmpdir(), 'faults-ml-'));
  for (const v of variants) {
    c.cases++;
    let accepted: Uint8Array[] | null = null;
    try {
      accepted = parseMasterList(v.bytes).certificates;
    } catch (e) {
      if (!typed(e)) c.failures.push(`${v.what}: untyped ${(e as Error).name}: ${(e as Error).message}`);
    }
    if (accepted) {
      c.accepted++;
      if (certSet(accepted) !== expected) c.failures.push(`${v.what}: accepted with other certificates`);
    } else c.rejected++;
  }
  // The CLI refuses corrupt lists with exit 1 and writes nothing into the trust folder.
  for (const v of variants.slice(-5)) {
    const file = join(dir, 'list.ml');
    writeFileSync(file, v.bytes);
    const trust = join(dir, 'trust-' + c.cases++);
    const stderr = new Capture();
    const code = await run(['trust', 'import', file, '--trust', trust], { stdout: new Capture(), stderr, tty: false, sysfsRoot: null });
    if (code !== 1) c.failures.push(`trust import of "${v.what}" exited ${code}`);
    else c.rejected++;
    let written: string[] = [];
    try {
      written = readdirSync(trust);
    } catch {
      // not even created: fine
    }
    if (written.length) c.failures.push(`trust import of "${v.what}" wrote ${written.join(', ')}`);
  }
  return c;
}

export async function runHostInputChecks(runs: number): Promise<HostInputCheck[]> {
  return [mrzCheck(runs), await cliCheck(runs), await masterListCheck(runs)];
}

export function formatHostInput(checks: HostInputCheck[]): string {
  const lines = ['host input                          cases  rejected  accepted  failures'];
  for (const c of checks) lines.push(`${c.name.padEnd(34)}  ${String(c.cases).padStart(5)}  ${String(c.rejected).padStart(8)}  ${String(c.accepted).padStart(8)}  ${String(c.failures.length).padStart(8)}`);
  for (const c of checks) for (const f of c.failures.slice(0, 8)) lines.push('  ' + c.name + ': ' + f);
  return lines.join('\n');
}
