// Privacy and key hygiene of the whole chain (issue 8):
//
// 1. Everything a user or a log sees during full runs of the real CLI against the BUNDLED
//    firmware (virtual reader on a real pseudo-terminal): a verified read, a wrong MRZ, a card
//    lost mid-read, a hash mismatch; plus the SDK's errors (message, stack, details) for the same
//    failures, the firmware's console lines and uncaught errors. Scanned for the MRZ (document
//    number, dates in every printed form, the MRZ lines), the names, and key material (K_seed,
//    K_enc, K_mac derived with node:crypto; KS_enc, KS_mac as the chip derived them).
//    Left out of the scan, by design, is exactly one thing: the identity block that
//    `passport-reader read` prints on stdout after a read because the user asked for the holder's
//    data (the lines labelled Document, Name, Nationality, Born, Expires, Optional; see
//    personal-data.ts IDENTITY_LABELS). Progress, errors, verdicts, reports and diagnostics must
//    never hold personal data.
// 2. Session keys are wiped: every typed array the firmware bundle allocates in the shim is
//    recorded (the context's typed-array constructors wrapped before the bundle loads); during a
//    read KS_enc is found in one of them (the check can see keys), after the read none of them
//    holds KS_enc, KS_mac, K_seed, K_enc or K_mac.
// 3. A second read while one runs is refused 'busy': firmware/test/bundle-errors.test.ts
//    ("busy: a second read is refused and the first one completes") covers it on the bundle.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBoard } from '@epassport/hardware/boards/index';
import { loadFixture, fixturePath, type Fixture } from '@epassport/hardware/fixtures/index';
import { RealClock } from '@epassport/hardware/sim/clock';
import { VirtualPassport } from '@epassport/hardware/sim/passport/virtual-passport';
import type { PassportOptions } from '@epassport/hardware/sim/passport/passport-options';
import { createVirtualDevice, serveOnPty, type PtyServer, type VirtualDevice } from '@epassport/hardware/sim/virtual-device';
import { run } from '@epassport/host-sdk/cli';
import { PassportReader } from '@epassport/host-sdk/passport-reader';
import { loadTrustStore } from '@epassport/host-sdk/pa/trust-store';
import { firmwareBundle } from '../../firmware/test/device-host';
import { isFinal } from '../faults/fault-host';
import { buildReader } from '../faults/run-scenario';
import { seededRandom } from '../faults/seeded-random';
import { bacKeys, findSecrets, secretsOf, withoutIdentityBlock, type Secret } from './personal-data';
import { requireTool } from '../support/requires-tool';

const anna = loadFixture('utopia-anna');
const other = loadFixture('utopia-long-name');
const WRONG_BAC = { ...anna.bac, dateOfBirth: '880316' };
const mrzArg = (b: typeof anna.bac) => `${b.documentNumber} ${b.dateOfBirth} ${b.dateOfExpiry}`;

class Capture extends Writable {
  text = '';
  _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

interface SessionKeyHolder {
  session: { ksEnc: Uint8Array; ksMac: Uint8Array } | null;
}

/** A passport that remembers the session keys it derived (for the scan). */
function keyedPassport(fixture: Fixture, options: PassportOptions, keys: Uint8Array[]): VirtualPassport {
  const inner = options.mutateResponse;
  let p: VirtualPassport | null = null;
  p = new VirtualPassport(fixture.files, fixture.bac, {
    ...options,
    mutateResponse: (apdu, response) => {
      const s = (p as unknown as SessionKeyHolder).session;
      if (s && !keys.some((k) => Buffer.compare(Buffer.from(k), Buffer.from(s.ksEnc)) === 0)) keys.push(s.ksEnc.slice(), s.ksMac.slice());
      return inner ? inner(apdu, response) : response;
    },
  });
  return p;
}

describe.skipIf(!requireTool('pty', 'the privacy scan of what the CLI, the SDK and the firmware print'))('privacy: nothing personal in what the CLI, the SDK and the firmware print', () => {
  let device: VirtualDevice;
  let server: PtyServer;
  let trustFile: string;
  const sessionKeys: Uint8Array[] = [];
  /** Everything scanned, by where it came from. */
  const seen: { where: string; text: string }[] = [];

  beforeAll(async () => {
    process.env.XDG_CONFIG_HOME = await mkdtemp(join(tmpdir(), 'privacy-config-'));
    trustFile = fixturePath('utopia-anna', 'csca.pem');
    device = createVirtualDevice({ clock: new RealClock(), board: loadBoard('pico'), card: keyedPassport(anna, { activeAuthKey: anna.activeAuthPrivateKey }, sessionKeys), bundlePath: await firmwareBundle() });
    server = await serveOnPty(device);
  }, 30_000);

  afterAll(async () => {
    await server?.close();
  });

  async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await run(argv, { stdout, stderr, tty: false });
    seen.push({ where: 'CLI stdout of ' + argv.slice(0, 1).join(' ') + ' (identity block removed)', text: withoutIdentityBlock(stdout.text) });
    seen.push({ where: 'CLI stderr of ' + argv.slice(0, 1).join(' '), text: stderr.text });
    return { code, stdout: stdout.text, stderr: stderr.text };
  }

  const readArgs = (bac = anna.bac) => ['read', '--port', server.path, '--mrz', mrzArg(bac), '--trust', trustFile, '--groups', '1,2,15'];

  it('a verified read: exit 0, VERIFIED, the identity block only on stdout', async () => {
    const r = await cli(readArgs());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^VERIFIED$/m);
    // The identity block is there (the user asked for it), and only it holds the name.
    expect(r.stdout).toMatch(/^Name:\s+LINDQVIST/m);
    expect(findSecrets(withoutIdentityBlock(r.stdout), secretsOf(anna))).toEqual([]);
  }, 30_000);

  it('a wrong MRZ: exit 4, access denied', async () => {
    const r = await cli(readArgs(WRONG_BAC));
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/\[access-denied\]/);
  }, 30_000);

  it('a hash mismatch: exit 5, NOT VERIFIED', async () => {
    const files = { ...anna.files, 2: anna.files[2].slice() };
    files[2][5000] ^= 0x01;
    device.setCard(keyedPassport({ ...anna, files }, {}, sessionKeys));
    const r = await cli(readArgs());
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/NOT VERIFIED/);
  }, 30_000);

  it('a card lost mid-read (another passport comes back): exit 3, card lost', async () => {
    const lost = keyedPassport(anna, { removedAfterBytes: 8000 }, sessionKeys);
    device.setCard(lost);
    // When the passport leaves, another one is put on the reader: the resume refuses it.
    const swap = setInterval(() => {
      if (!lost.isPresent()) {
        device.setCard(new VirtualPassport(other.files, other.bac));
        clearInterval(swap);
      }
    }, 5);
    try {
      const r = await cli(readArgs());
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/\[card-lost\]/);
    } finally {
      clearInterval(swap);
    }
  }, 40_000);

  it('the SDK\'s errors (message, stack, details) for the same failures', async () => {
    const trust = await loadTrustStore(trustFile);
    const reader = await PassportReader.open({ path: server.path });
    const failures: unknown[] = [];
    try {
      device.setCard(keyedPassport(anna, {}, sessionKeys));
      await reader.read(WRONG_BAC, { trust, dataGroups: [1, 2, 15] }).catch((e) => failures.push(e));
      const files = { ...anna.files, 1: anna.files[1].slice() };
      files[1][40] ^= 0x01;
      device.setCard(keyedPassport({ ...anna, files }, {}, sessionKeys));
      await reader.read(anna.bac, { trust, dataGroups: [1, 2, 15] }).catch((e) => failures.push(e));
      await reader.read({ mrz: 'UA1234567 881315 330921' }, { trust }).catch((e) => failures.push(e));
    } finally {
      await reader.close();
    }
    expect(failures.map((e) => (e as { code: string }).code)).toEqual(['access-denied', 'hash-mismatch', 'invalid-mrz']);
    for (const e of failures) {
      const err = e as Error & { code: string; sw?: number; fileId?: number };
      seen.push({ where: 'SDK error ' + err.code + ' message', text: err.message });
      seen.push({ where: 'SDK error ' + err.code + ' stack', text: err.stack ?? '' });
      seen.push({ where: 'SDK error ' + err.code + ' details', text: JSON.stringify({ code: err.code, sw: err.sw, fileId: err.fileId }) });
    }
  }, 40_000);

  it('finds none of the MRZ, names or keys anywhere in what was printed (and the scan does see them)', () => {
    seen.push({ where: 'firmware console', text: device.runtime.consoleLines.join('\n') });
    seen.push({ where: 'firmware uncaught errors', text: device.errors.map((e) => e.name + ': ' + e.message + '\n' + e.stack).join('\n') });
    const secrets: Secret[] = secretsOf(anna, sessionKeys, [WRONG_BAC, { documentNumber: 'UA1234567', dateOfBirth: '881315', dateOfExpiry: '330921' }]);
    // The session keys of the four sessions that got through BAC were captured.
    expect(sessionKeys.length).toBeGreaterThanOrEqual(6);
    // The scanner itself finds what it looks for.
    expect(findSecrets(`x ${anna.bac.documentNumber} 15.03.1988 lindqvist ${Buffer.from(sessionKeys[0]).toString('hex').toUpperCase()}`, secrets).map((s) => s.what))
      .toEqual(expect.arrayContaining(['document number', 'birth date', 'name', 'KS_enc (HEX)']));
    const leaks = seen.flatMap((s) => findSecrets(s.text, secrets).map((x) => `${s.where}: ${x.what} "${x.text}"`));
    expect(leaks).toEqual([]);
    expect(seen.length).toBeGreaterThan(10);
  });
});

describe('key hygiene on the bundle', () => {
  it('after a read no array in the firmware holds KS_enc, KS_mac, K_seed, K_enc or K_mac; during it one does', async () => {
    const sessionKeys: Uint8Array[] = [];
    const passport = keyedPassport(anna, {}, sessionKeys);
    const arrays: ArrayBufferView[] = [];
    const r = await buildReader('pico', anna, passport, seededRandom(0x6b), (device) => {
      // Before the bundle loads: every typed array the firmware (or the Espruino API) makes is
      // recorded; slice() and friends construct through the wrapped constructor (species).
      // (Proxy and Reflect are not Espruino globals: the wrapper is made on this side.)
      type Ctor = new (...args: unknown[]) => ArrayBufferView;
      const install = device.runtime.evaluate(`(function (name, wrap) {
        var T = this[name];
        var P = wrap(T);
        Object.defineProperty(T.prototype, 'constructor', { value: P, writable: true, configurable: true });
        this[name] = P;
      })`) as (name: string, wrap: (t: Ctor) => Ctor) => void;
      for (const name of ['Uint8Array', 'Uint16Array', 'Uint32Array', 'Int8Array', 'Int16Array', 'Int32Array']) {
        install(name, (T) => {
          const P: Ctor = new Proxy(T, {
            construct: (t, args, nt) => {
              const a = Reflect.construct(t, args, nt === P ? t : nt) as ArrayBufferView;
              arrays.push(a);
              return a;
            },
          });
          return P;
        });
      }
    });
    const holding = (key: Uint8Array): number => arrays.filter((a) => {
      const bytes = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      return bytes.indexOf(Buffer.from(key)) >= 0;
    }).length;
    r.host.hello();
    const from = r.host.startRead(anna.bac);
    r.host.waitFor((m) => m.type === 'file-begin' && m.fileId === 2, from);
    expect(sessionKeys).toHaveLength(2);
    const [ksEnc, ksMac] = sessionKeys;
    // Mid-read the live session holds its keys: the recording sees them.
    expect(holding(ksEnc)).toBeGreaterThan(0);
    expect(holding(ksMac)).toBeGreaterThan(0);
    r.host.waitFor(isFinal, from);
    expect(r.host.messages[r.host.messages.length - 1]).toMatchObject({ type: 'result', ok: true });
    expect(arrays.length).toBeGreaterThan(100);
    const k = bacKeys(anna.bac);
    expect({ ksEnc: holding(ksEnc), ksMac: holding(ksMac), kSeed: holding(k.kSeed), kEnc: holding(k.kEnc), kMac: holding(k.kMac) })
      .toEqual({ ksEnc: 0, ksMac: 0, kSeed: 0, kEnc: 0, kMac: 0 });
    expect(r.device.errors).toEqual([]);
    r.device.stop();
  });
});
