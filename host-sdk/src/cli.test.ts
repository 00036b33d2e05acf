// The CLI end to end against the fake reader: arguments, exit codes, --json, --out, privacy.

import { spawnSync } from 'node:child_process';
import { randomBytes, sign } from 'node:crypto';
import { chmod, mkdtemp, readFile, readdir, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCrl, createCsca, createDocument, createMasterList, tamper, type Csca, type GeneratedDocument } from '@epassport/hardware/sim/document/index';
import { run, type CliIo } from './cli';
import { parseCommandLine } from './cli/args';
import type { MrzSourceIo } from './cli/mrz-source';
import { FakeBinding, FakeDevice, type FakeDeviceOptions } from '../test/support/fake-device';

const person = {
  issuingState: 'UTO', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', documentNumber: 'L898902C3',
  nationality: 'UTO', dateOfBirth: '740812', sex: 'F' as const, dateOfExpiry: '320415',
};
const MRZ = ['--mrz', 'L898902C3 740812 320415'];
/** Strings that must never show up in diagnostics. */
const PERSONAL = ['L898902C3', '740812', '320415', 'ERIKSSON', 'ANNA', 'X12345678'];

let csca: Csca;
let doc: GeneratedDocument;
let trustDir: string;

beforeAll(async () => {
  // Keep the user's real default trust folder out of the tests.
  process.env.XDG_CONFIG_HOME = await mkdtemp(join(tmpdir(), 'cli-config-'));
  csca = await createCsca({ signature: 'ecdsa' });
  doc = await createDocument(person, { signature: 'ecdsa', csca });
  trustDir = await mkdtemp(join(tmpdir(), 'cli-trust-'));
  await writeFile(join(trustDir, 'csca.der'), csca.certificate);
});

class Capture extends Writable {
  text = '';
  _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

/** No MRZ from anywhere but the command line, unless a test gives one. */
function mrzSource(over: Partial<MrzSourceIo> = {}): MrzSourceIo {
  return { env: {}, stdin: null, stdinTty: false, prompt: () => Promise.reject(new Error('no prompt in this test')), ...over };
}

async function cli(argv: string[], device: Partial<FakeDeviceOptions> = {}, extra: Partial<CliIo> = {}, files = doc.files) {
  const fake = new FakeDevice({ files, documentNumber: person.documentNumber, dateOfBirth: person.dateOfBirth, dateOfExpiry: person.dateOfExpiry, ...device });
  const binding = new FakeBinding(fake);
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await run(argv, { stdout, stderr, tty: false, binding, sysfsRoot: null, mrzSource: mrzSource(), ...extra });
  return { code, stdout: stdout.text, stderr: stderr.text, device: fake, binding };
}

describe('argument parsing', () => {
  it('takes the MRZ in its three forms', () => {
    expect(parseCommandLine(['read', ...MRZ])).toMatchObject({ command: 'read', mrz: { mrz: 'L898902C3 740812 320415' }, json: false, quiet: false });
    expect(parseCommandLine(['read', '--mrz-lines', 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<10'])).toMatchObject({
      mrz: { mrz: ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'] },
    });
    expect(parseCommandLine(['read', '--document-number', 'L898902C3', '--birth', '740812', '--expiry', '320415', '-g', '1,2,DG15', '--port', '/dev/x', '--card-timeout', '2.5'])).toMatchObject({
      mrz: { documentNumber: 'L898902C3', dateOfBirth: '740812', dateOfExpiry: '320415' }, groups: [1, 2, 15], port: '/dev/x', cardTimeoutMs: 2500,
    });
    expect(parseCommandLine(['trust', 'import', 'list.ml', '--trust', '/t'])).toEqual({ command: 'trust-import', file: 'list.ml', trust: '/t', json: false });
    expect(parseCommandLine(['--help'])).toEqual({ command: 'help', topic: undefined });
    expect(parseCommandLine(['info', '-p', '/dev/ttyACM0', '--json'])).toEqual({ command: 'info', port: '/dev/ttyACM0', json: true });
  });

  it.each([
    [['read', '--mrz-file', 'f', ...MRZ], /one way only/],
    [['read', 'L898902C3'], /no positional arguments: pipe the MRZ/],
    [['--json'], /no command given/],
    [['read', ...MRZ, '--birth', '740812'], /one way only/],
    [['read', '--document-number', 'X', '--birth', '740812'], /missing --expiry/],
    [['read', ...MRZ, '--groups', '1,17'], /--groups takes data group numbers 1..16/],
    [['read', ...MRZ, '--card-timeout', 'soon'], /--card-timeout takes seconds/],
    [['read', ...MRZ, '--bogus'], /Unknown option '--bogus'/],
    [['list', '--mrz', 'x'], /--mrz does not apply to list/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['trust', 'export'], /trust has three subcommands/],
    [['trust', 'remove'], /trust remove takes one certificate/],
    [['trust', 'import'], /takes one file/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(message);
  });
});

describe('passport-reader read', () => {
  it('exits 0 for a verified read and prints the holder\'s data', async () => {
    const r = await cli(['read', ...MRZ, '--trust', trustDir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Name:\s+ERIKSSON, ANNA MARIA/);
    expect(r.stdout).toMatch(/Born:\s+1974-08-12\s+Sex F/);
    expect(r.stdout).toMatch(/Chain:\s+trusted/);
    expect(r.stdout.trim().split('\n').pop()).toBe('VERIFIED');
    // Progress went to stderr as plain lines, without personal data.
    expect(r.stderr).toMatch(/waiting for a passport/);
    expect(r.stderr).toMatch(/read DG1 \(\d+ bytes, hash match\)/);
    for (const p of PERSONAL) expect(r.stderr).not.toContain(p);
  });

  it('exits 5 when the read is fine but nothing vouches for it', async () => {
    const r = await cli(['read', '--quiet'], {}, { mrzSource: mrzSource({ env: { PASSPORT_MRZ: MRZ[1] } }) });
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('NOT VERIFIED: no trust store was given: the Document Signer certificate cannot be checked [no-trust-store]\n');
    expect(r.stderr).toBe('');
  });

  it('exits 5 on a hash mismatch and still shows and saves what was read', async () => {
    const out = await mkdtemp(join(tmpdir(), 'cli-out-'));
    const r = await cli(['read', ...MRZ, '--trust', trustDir, '--out', out, '--json'], {}, {}, tamper(doc, 2).files);
    expect(r.code).toBe(5);
    const j = JSON.parse(r.stdout);
    expect(j.passiveAuthentication.hashes.mismatched).toEqual([2]);
    expect(j.verified).toBe(false);
    expect(j.record).toMatchObject({ verified: false, reasons: [{ code: 'hash-mismatch', message: expect.stringMatching(/DG2/) }], faceImagePath: join(out, 'face.jpg') });
    expect(await readdir(out)).toContain('DG2.bin');
  });

  it('prints the documented JSON shape with --json', async () => {
    const r = await cli(['read', ...MRZ, '--trust', trustDir, '--json', '-g', '1,2,15']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j).sort()).toEqual([
      'activeAuthentication', 'activeAuthenticationExchange', 'chipAuthentication', 'chipAuthenticity', 'dataGroups', 'dg1', 'dg11', 'dg12', 'dg7', 'faces', 'files',
      'missingGroups', 'parseErrors', 'passiveAuthentication', 'record', 'stats', 'verdict', 'verified', 'written',
    ]);
    // Every file, whole, base64.
    expect(j.files.map((f: { fileId: number; base64: string }) => Buffer.compare(Buffer.from(f.base64, 'base64'), Buffer.from(doc.files[f.fileId])))).toEqual([0, 0, 0, 0, 0]);
    expect(j.record).toEqual({
      schema: 'epassport-enrolment-record/1', documentType: 'P', documentCode: 'P', issuingState: 'UTO', documentNumber: 'L898902C3',
      surname: 'ERIKSSON', givenNames: 'ANNA MARIA', nameMayBeTruncated: false, fullName: null, nationality: 'UTO',
      dateOfBirth: '1974-08-12', dateOfExpiry: '2032-04-15', sex: 'F', verified: true, reasons: [], chipAuthenticity: 'none',
      chipAuthenticityDetail: 'the reader firmware does not do Active Authentication', faceImagePath: null, dataGroups: [1, 2, 15],
    });
    // The fake reader does not advertise Active Authentication: nothing was asked of the chip.
    expect(j.chipAuthenticity).toBe('not-supported');
    expect(j.activeAuthentication.problem).toBe('the reader firmware does not do Active Authentication');
    expect(j.verdict).toEqual({ verified: true, reasons: [] });
    expect(j.dg1).toMatchObject({ format: 'TD3', primaryIdentifier: 'ERIKSSON', documentNumber: 'L898902C3', dateOfBirthIso: '1974-08-12', valid: true });
    expect(j.faces[0]).toMatchObject({ mime: 'image/jpeg', viewable: 'image/jpeg' });
    expect(j.files.map((f: { name: string }) => f.name)).toEqual(['EF.COM', 'EF.SOD', 'DG1', 'DG2', 'DG15']);
    expect(j.passiveAuthentication).toMatchObject({ verified: true, hashes: { status: 'ok' }, signature: { status: 'valid' }, chain: { status: 'trusted' } });
    expect(j.dataGroups).toEqual([1, 2, 15]);
  });

  it('shows DG11 and DG12 when the chip has them; the record takes DG11\'s full name', async () => {
    const details = await createDocument(person, { signature: 'ecdsa', csca, dataGroups: [1, 2, 11, 12] });
    const r = await cli(['read', ...MRZ, '--trust', trustDir], {}, {}, details.files);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Full name:\s+ERIKSSON, ANNA MARIA$/m);
    expect(r.stdout).toMatch(/^Birthplace:\s+UTOPIA CITY$/m);
    expect(r.stdout).toMatch(/^Issued by:\s+UTOPIA PASSPORT OFFICE$/m);
    expect(r.stdout).toMatch(/^Issued:\s+\d{4}-\d\d-\d\d$/m);
    for (const p of PERSONAL) expect(r.stderr).not.toContain(p);
    const j = JSON.parse((await cli(['read', ...MRZ, '--trust', trustDir, '--json'], {}, {}, details.files)).stdout);
    expect(j.record).toMatchObject({ fullName: 'ERIKSSON, ANNA MARIA', dataGroups: [1, 2, 11, 12], verified: true });
    expect(j.dg11).toMatchObject({ placeOfBirth: 'UTOPIA CITY' });
    expect(j.dg12).toMatchObject({ issuingAuthority: 'UTOPIA PASSPORT OFFICE' });
  });

  it('saves every file and the face with --out (JPEG 2000 also as PNG)', async () => {
    const jp2 = await createDocument(person, { signature: 'ecdsa', csca, face: 'jpeg2000' });
    const out = await mkdtemp(join(tmpdir(), 'cli-out-'));
    const r = await cli(['read', ...MRZ, '--trust', trustDir, '--out', out], {}, {}, jp2.files);
    expect(r.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['DG1.bin', 'DG15.bin', 'DG2.bin', 'EF.COM.bin', 'EF.SOD.bin', 'face.jp2', 'face.png', 'report.json']);
    expect(Buffer.compare(await readFile(join(out, 'EF.SOD.bin')), Buffer.from(jp2.files[0x1d]))).toBe(0);
    expect((await readFile(join(out, 'face.png'))).subarray(1, 4).toString()).toBe('PNG');
    expect(JSON.parse(await readFile(join(out, 'report.json'), 'utf8')).verified).toBe(true);
    const jpegOut = await mkdtemp(join(tmpdir(), 'cli-out-'));
    await cli(['read', ...MRZ, '--out', jpegOut]);
    expect(await readdir(jpegOut)).toContain('face.jpg');
    expect(await readdir(jpegOut)).not.toContain('face.png');
  });

  it.each<[string, string[], Partial<FakeDeviceOptions>, number, string]>([
    ['invalid MRZ', ['read', '--mrz', 'L898902C3 741312 320415'], {}, 1, 'invalid-mrz'],
    ['bad MRZ line check digit', ['read', '--mrz-lines', 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408125F1204159ZE184226B<<<<<10'], {}, 1, 'invalid-mrz'],
    ['no card', ['read', ...MRZ, '--card-timeout', '0.6'], { cardAfterMs: -1 }, 3, 'no-card'],
    ['card lost', ['read', ...MRZ], { failWith: { code: 'card-lost' } }, 3, 'card-lost'],
    ['access denied', ['read', '--mrz', 'X12345678 740812 320415'], {}, 4, 'access-denied'],
    ['chip error', ['read', ...MRZ], { failWith: { code: 'card-error', sw: 0x6a82 } }, 6, 'card-error'],
    ['protocol version', ['read', ...MRZ], { protocolVersion: 99 }, 2, 'protocol-version'],
  ])('exits with the documented code on %s, no personal data in the error', async (_name, argv, device, exit, code) => {
    const r = await cli(argv, device);
    expect(r.code).toBe(exit);
    expect(r.stderr).toContain('[' + code + ']');
    for (const p of PERSONAL) expect(r.stderr).not.toContain(p);
    const j = await cli([...argv, '--json'], device);
    expect(JSON.parse(j.stdout)).toMatchObject({ error: { code }, exitCode: exit });
    for (const p of PERSONAL) expect(j.stdout).not.toContain(p);
  });

  it('exits 2 when no reader is there, 1 on usage errors, 130 when cancelled', async () => {
    const fake = new FakeDevice({ files: doc.files });
    const binding = new FakeBinding(fake);
    binding.unplug();
    const stderr = new Capture();
    expect(await run(['read', ...MRZ], { stdout: new Capture(), stderr, tty: false, binding, sysfsRoot: null })).toBe(2);
    expect(stderr.text).toMatch(/no reader found.*\[not-found\]/);
    const none = await cli([]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^passport-reader 0.1.0/);
    expect(none.stdout).toBe('');
    const usage = await cli(['read', '--bogus']);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toMatch(/Try "passport-reader --help"/);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 200);
    const cancelled = await cli(['read', ...MRZ], { cardAfterMs: -1 }, { signal: abort.signal });
    expect(cancelled.code).toBe(130);
    expect(cancelled.device.received.some((m) => m.type === 'cancel')).toBe(true);
  });
});

describe('other commands', () => {
  it('lists ports with the reader marked, and shows the reader\'s info', async () => {
    const list = await cli(['list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^\/dev\/ttyACM7\s+0483:5740\s+Espruino\s+serial FAKE1\s+\(reader\)$/m);
    expect(JSON.parse((await cli(['list', '--json'])).stdout)[0]).toMatchObject({ path: '/dev/ttyACM7', isReader: true });
    const info = await cli(['info']);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/Firmware:\s+0.3.1-fake/);
    expect(info.stdout).toMatch(/NFC module:\s+PN532 v1.6 \(0x32010607\)/);
    expect(info.stdout).toMatch(/Capabilities:\s+bac, type-a, sha1, sha256, resume/);
    expect(JSON.parse((await cli(['info', '--json'])).stdout)).toMatchObject({ board: 'PICO_R1_3', protocolVersion: 2 });
  });

  it('imports a master list into the trust folder, refuses a bad one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-ml-'));
    await writeFile(join(dir, 'good.ml'), await createMasterList([csca]));
    await writeFile(join(dir, 'bad.ml'), await createMasterList([csca], { badSignature: true }));
    const target = join(dir, 'trust');
    const good = await cli(['trust', 'import', join(dir, 'good.ml'), '--trust', target]);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/^Imported 1 certificate\(s\) into .*trust\n {2}.*CN=Utopia Test CSCA/);
    const bad = await cli(['trust', 'import', join(dir, 'bad.ml'), '--trust', target]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/master list rejected: the signature does not verify.*\[trust-store\]/);
    expect((await cli(['read', ...MRZ, '--trust', target, '-q'])).code).toBe(0);
    const list = await cli(['trust', 'list', '--trust', target]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/: 1 certificate\(s\), 0 CRL\(s\)\n {2}.*CN=Utopia Test CSCA.*until \d{4}-\d\d-\d\d {2}sha256 [0-9a-f]{16}\n$/);
    expect(JSON.parse((await cli(['trust', 'list', '--trust', target, '--json'])).stdout).certificates).toHaveLength(1);
  });

  it('removes one CSCA from the trust folder by fingerprint or subject, with the CRLs only it issued', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-remove-'));
    const other = await createCsca({ signature: 'ecdsa', commonName: 'Utopia Test CSCA 2' });
    await writeFile(join(dir, 'csca.der'), csca.certificate);
    await writeFile(join(dir, 'other.der'), other.certificate);
    await writeFile(join(dir, 'other.crl'), createCrl(other, []));
    await writeFile(join(dir, 'both.ml'), await createMasterList([csca, other]));
    const listed = JSON.parse((await cli(['trust', 'list', '--trust', dir, '--json'])).stdout);
    const otherSha = listed.certificates.find((c: { subject: string }) => c.subject.includes('CSCA 2')).sha256;
    // Ambiguous text, an unknown fingerprint, a certificate that sits in a master list with others: refused, nothing removed.
    const ambiguous = await cli(['trust', 'remove', 'Utopia Test CSCA', '--trust', dir]);
    expect([ambiguous.code, ambiguous.stderr]).toEqual([1, expect.stringMatching(/2 certificates match "Utopia Test CSCA": .*nothing removed: give the SHA-256 fingerprint.*\[invalid-argument\]\n$/)]);
    const unknown = await cli(['trust', 'remove', 'deadbeef00', '--trust', dir]);
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringMatching(/no certificate in .* has a SHA-256 fingerprint starting deadbeef00; "passport-reader trust list" shows/)]);
    const shared = await cli(['trust', 'remove', otherSha.slice(0, 16), '--trust', dir]);
    expect([shared.code, shared.stderr]).toEqual([1, expect.stringMatching(/is in both.ml together with 1 other certificate\(s\); nothing removed/)]);
    expect((await readdir(dir)).sort()).toEqual(['both.ml', 'csca.der', 'other.crl', 'other.der']);
    await unlink(join(dir, 'both.ml'));
    const removed = await cli(['trust', 'remove', otherSha.slice(0, 16).replace(/(..)(?!$)/g, '$1:'), '--trust', dir]);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/^Removed C=UT, O=Utopia Test Authority, CN=Utopia Test CSCA 2, .* sha256 [0-9a-f]{16} from .* \(other.der, other.crl\)\n$/);
    expect(await readdir(dir)).toEqual(['csca.der']);
    expect((await cli(['read', ...MRZ, '--trust', dir, '-q'])).code).toBe(0);
    const last = await cli(['trust', 'remove', 'CSCA', '--trust', dir, '--json']);
    expect(JSON.parse(last.stdout)).toMatchObject({ removed: ['csca.der'], subject: expect.stringMatching(/CN=Utopia Test CSCA,/) });
    const untrusted = await cli(['read', ...MRZ, '--trust', dir, '-q']);
    expect([untrusted.code, untrusted.stdout]).toEqual([5, expect.stringMatching(/\[chain-untrusted\]/)]);
    const gone = await cli(['trust', 'remove', 'CSCA', '--trust', join(dir, 'nope')]);
    expect([gone.code, gone.stderr]).toEqual([1, expect.stringMatching(/trust folder .*nope does not exist: give the folder with --trust DIR.*\[trust-store\]/)]);
  });

  it('runs from the bin launcher (on the sources here; the pack test runs the built one)', () => {
    const bin = fileURLToPath(new URL('../bin/passport-reader.mjs', import.meta.url));
    const node = (args: string[]) => spawnSync(process.execPath, ['--conditions=@epassport/source', '--import', 'tsx', bin, ...args], { encoding: 'utf8' });
    const help = node(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^passport-reader 0.1.0/);
    const bad = spawnSync(process.execPath, ['--conditions=@epassport/source', '--import', 'tsx', bin, 'read'], { encoding: 'utf8', input: 'L898902C3 740812 321315\n' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe('passport-reader: dateOfExpiry has a month outside 01..12 [invalid-mrz]\n');
  });
});

describe('MRZ input and --out', () => {
  const warning = /warning: the MRZ on the command line is visible to other users/;

  it('warns when the MRZ is on the command line, not when it comes from stdin, env, a file or the prompt', async () => {
    expect((await cli(['read', ...MRZ, '-q', '-t', trustDir])).stderr).toMatch(warning);
    const stdin = await cli(['read', '-q', '-t', trustDir], {}, { mrzSource: mrzSource({ stdin: [Buffer.from(MRZ[1] + '\n')] }) });
    expect([stdin.code, stdin.stderr]).toEqual([0, '']);
    const env = await cli(['read', '-q', '-t', trustDir], {}, { mrzSource: mrzSource({ env: { PASSPORT_MRZ: MRZ[1] } }) });
    expect([env.code, env.stderr]).toEqual([0, '']);
    const asked: string[] = [];
    const prompt = await cli(['read', '-q', '-t', trustDir], {}, { mrzSource: mrzSource({ stdinTty: true, prompt: async (q) => (asked.push(q), MRZ[1]) }) });
    expect([prompt.code, prompt.stderr, asked.length]).toEqual([0, '', 1]);
    const dir = await mkdtemp(join(tmpdir(), 'cli-mrz-'));
    const file = join(dir, 'mrz.txt');
    await writeFile(file, MRZ[1] + '\n', { mode: 0o600 });
    const fromFile = await cli(['read', '-q', '-t', trustDir, '--mrz-file', file]);
    expect([fromFile.code, fromFile.stderr]).toEqual([0, '']);
    await chmod(file, 0o644);
    const open = await cli(['read', '-q', '--mrz-file', file]);
    expect(open.code).toBe(1);
    expect(open.stderr).toMatch(/readable by other users.*chmod 600/);
    expect(open.device.received.length).toBe(0);
    const none = await cli(['read'], {}, { mrzSource: mrzSource({ stdin: [Buffer.from('  \n')] }) });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/read needs the MRZ and got none: pipe it on standard input, set PASSPORT_MRZ/);
  });

  it('checks -o before the reader is touched: non-empty folder needs --force, bad path fails, modes 0700/0600', async () => {
    const env = { mrzSource: mrzSource({ env: { PASSPORT_MRZ: MRZ[1] } }) };
    const bad = await cli(['read', '-q', '-o', '/proc/nope'], {}, env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^passport-reader: --out \/proc\/nope: cannot create the folder \(\w+\); check that its parent exists/);
    expect(bad.stderr.split('\n').filter(Boolean).length).toBe(1);
    expect(bad.device.received.length).toBe(0);
    const dir = join(await mkdtemp(join(tmpdir(), 'cli-out-')), 'new');
    const first = await cli(['read', '-q', '-t', trustDir, '-o', dir], {}, env);
    expect(first.code).toBe(0);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    for (const name of await readdir(dir)) expect((await stat(join(dir, name))).mode & 0o777).toBe(0o600);
    const again = await cli(['read', '-q', '-t', trustDir, '-o', dir], {}, env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not empty.*add --force/);
    expect(again.device.received.length).toBe(0);
    expect((await cli(['read', '-q', '-t', trustDir, '-o', dir, '--force'], {}, env)).code).toBe(0);
    const file = join(dir, 'DG1.bin');
    expect((await cli(['read', '-q', '-o', file], {}, env)).stderr).toMatch(/this is a file, not a folder/);
  });

  it('a bad trust file is exit 1 [trust-store], before the reader is touched', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-badtrust-'));
    await writeFile(join(dir, 'junk.der'), new Uint8Array([0x30, 0x03, 1, 2]));
    const r = await cli(['read', '-q', '-t', dir], {}, { mrzSource: mrzSource({ env: { PASSPORT_MRZ: MRZ[1] } }) });
    expect(r.stderr).toMatch(/\[trust-store\]\n$/);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean).length).toBe(1);
    expect(r.device.received.length).toBe(0);
  });
});

describe('Chip Authentication (the device runs it, the host judges it against DG14)', () => {
  let caDoc: GeneratedDocument;
  beforeAll(async () => {
    caDoc = await createDocument(person, { signature: 'ecdsa', csca, dataGroups: [1, 2, 14], chipAuthentication: true });
  });

  it('the device\'s ok with DG14 hash-verified is chip-authentication; the record says so', async () => {
    const r = await cli(['read', ...MRZ, '--trust', trustDir], { chipAuth: 'ok' }, {}, caDoc.files);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Hashes:.*DG14 match$/m);
    expect(r.stdout).toMatch(/^Chip:\s+chip-authentication \(DG14 key, hash-verified\)\nVERIFIED\n$/m);
    const j = JSON.parse((await cli(['read', ...MRZ, '--trust', trustDir, '--json'], { chipAuth: 'ok' }, {}, caDoc.files)).stdout);
    expect(j.chipAuthenticity).toBe('chip-authentication');
    expect(j.chipAuthentication).toEqual({ status: 'verified', problem: null });
    expect(j.record).toMatchObject({ verified: true, chipAuthenticity: 'chip-authentication', chipAuthenticityDetail: expect.stringMatching(/DG14 hash-verified/) });
    // No CA reported: the chip's authenticity is whatever Active Authentication says.
    const none = JSON.parse((await cli(['read', ...MRZ, '--trust', trustDir, '--json'], {}, {}, caDoc.files)).stdout);
    expect([none.verified, none.chipAuthenticity, none.chipAuthentication.status]).toEqual([true, 'not-supported', 'not-performed']);
  });

  it.each<[string, 'ok' | 'failed', string[], RegExp]>([
    ['the device reports CA failed', 'failed', [], /Chip Authentication: the device reports that Chip Authentication failed \[chip-authentication-failed\]/],
    ['CA ok but DG14 was not read', 'ok', ['-g', '1,2'], /Chip Authentication: DG14 \(the Chip Authentication key\) was not hash-checked \[chip-authentication-failed\]/],
  ])('%s: NOT VERIFIED, exit 5, chip authenticity failed', async (_name, chipAuth, args, why) => {
    const r = await cli(['read', ...MRZ, '--trust', trustDir, '--json', ...args], { chipAuth }, {}, caDoc.files);
    expect(r.code).toBe(5);
    const j = JSON.parse(r.stdout);
    expect([j.verified, j.chipAuthenticity, j.record.chipAuthenticity]).toEqual([false, 'failed', 'failed']);
    expect(j.record.chipAuthenticityDetail).toMatch(/^Chip Authentication: /);
    expect(j.verdict.reasons.map((x: { code: string }) => x.code)).toEqual(['chip-authentication-failed']);
    expect((await cli(['read', ...MRZ, '--trust', trustDir, '-q', ...args], { chipAuth }, {}, caDoc.files)).stdout).toMatch(why);
  });

  it('verify on the saved files does not take CA again (it needs the chip): DG14 still checked, CA not-performed', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'cli-ca-')), 'scan');
    expect((await cli(['read', ...MRZ, '--trust', trustDir, '-q', '-o', dir], { chipAuth: 'ok' }, {}, caDoc.files)).code).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')).chipAuthentication).toEqual({ status: 'verified', problem: null });
    const j = JSON.parse((await cli(['verify', dir, '--trust', trustDir, '--json'])).stdout);
    expect([j.verified, j.chipAuthenticity, j.chipAuthentication.status]).toEqual([true, 'not-supported', 'not-performed']);
  });
});

describe('passport-reader verify DIR', () => {
  it('verifies a saved read again offline: passive authentication and the saved Active Authentication exchange', async () => {
    const aaDoc = await createDocument(person, { signature: 'ecdsa', csca, dataGroups: [1, 2, 14, 15], activeAuthKey: 'ecdsa' });
    const dir = join(await mkdtemp(join(tmpdir(), 'cli-verify-')), 'scan');
    const read = await cli(['read', ...MRZ, '--trust', trustDir, '-g', '1,2,14,15', '--out', dir], {}, {}, aaDoc.files);
    expect(read.code).toBe(0);
    // The fake reader has no Active Authentication: write the exchange a reader with it saves.
    const challenge = randomBytes(8);
    await writeFile(join(dir, 'AA-challenge.bin'), challenge);
    await writeFile(join(dir, 'AA-response.bin'), sign('sha256', challenge, { key: aaDoc.activeAuthPrivateKey!, dsaEncoding: 'ieee-p1363' }));
    const ok = await cli(['verify', dir, '--trust', trustDir]);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(ok.stdout).toMatch(/^Chip:\s+active-authentication \(ECDSA plain \(sha256, prime256v1\)\)$/m);
    expect(ok.stdout).toMatch(/^Hashes:\s+ok \(SHA-256\): DG1 match, DG2 match, DG14 match, DG15 match$/m);
    // The same lines as the read, but for the chip (the read had no AA).
    const strip = (t: string) => t.split('\n').filter((l) => !/^(Chip|Saved)/.test(l)).join('\n');
    expect(strip(ok.stdout)).toBe(strip(read.stdout));
    expect(ok.stdout.trim().split('\n').pop()).toBe('VERIFIED');
    const j = JSON.parse((await cli(['verify', dir, '--trust', trustDir, '--json'])).stdout);
    expect(j.record).toMatchObject({ verified: true, chipAuthenticity: 'active-authentication', faceImagePath: join(dir, 'face.jpg'), documentNumber: 'L898902C3' });
    expect(j.files.every((f: { deviceVerdict: string }) => f.deviceVerdict === 'none')).toBe(true);
    expect((await cli(['verify', dir, '-q'])).stdout).toMatch(/^NOT VERIFIED: no trust store was given.*\[no-trust-store\]\n$/);

    // A forged answer, an altered group, a group asked for and gone: NOT VERIFIED with the reason, exit 5.
    const response = await readFile(join(dir, 'AA-response.bin'));
    response[5] ^= 1;
    await writeFile(join(dir, 'AA-response.bin'), response);
    const forged = await cli(['verify', dir, '--trust', trustDir, '-q']);
    expect([forged.code, forged.stdout]).toEqual([5, expect.stringMatching(/Active Authentication failed: the ECDSA signature does not verify \[chip-not-authentic\]/)]);
    await unlink(join(dir, 'AA-challenge.bin'));
    expect((await cli(['verify', dir, '--trust', trustDir])).stdout).toMatch(/^Chip:\s+not-supported \(the saved read holds no Active Authentication exchange \(AA-challenge.bin\)\)$/m);
    const dg2 = await readFile(join(dir, 'DG2.bin'));
    dg2[dg2.length - 3] ^= 1;
    await writeFile(join(dir, 'DG2.bin'), dg2);
    expect((await cli(['verify', dir, '--trust', trustDir, '-q'])).stdout).toMatch(/^NOT VERIFIED: hash mismatch in DG2 \[hash-mismatch\]\n$/);
    await unlink(join(dir, 'DG2.bin'));
    const gone = await cli(['verify', dir, '--trust', trustDir, '-q']);
    expect([gone.code, gone.stdout]).toEqual([5, 'NOT VERIFIED: not read: DG2 (EF.COM lists it but the reader did not get it) [group-missing]\n']);
  });

  it('refuses a folder that is not a saved read, saying what to give (exit 1)', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'cli-verify-'));
    const none = await cli(['verify', empty]);
    expect([none.code, none.stderr]).toEqual([1, expect.stringMatching(/^passport-reader: verify .*: it holds none of the chip files \(EF.COM.bin, EF.SOD.bin, DG1.bin, \.\.\.\); give a folder that "passport-reader read --out DIR" wrote \[invalid-argument\]\n$/)]);
    expect((await cli(['verify', join(empty, 'nope')])).stderr).toMatch(/no such folder; give a folder/);
    await writeFile(join(empty, 'DG1.bin'), doc.files[1]);
    await writeFile(join(empty, 'AA-challenge.bin'), new Uint8Array(3));
    expect((await cli(['verify', empty])).stderr).toMatch(/AA-challenge.bin holds 3 bytes, a challenge has 8/);
    expect((await cli(['verify'])).stderr).toMatch(/verify takes one folder/);
    expect((await cli(['verify', empty, '--port', 'x'])).stderr).toMatch(/--port does not apply to verify/);
  });
});
