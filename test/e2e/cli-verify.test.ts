// `read --out` then `verify DIR` through the bundle: the firmware in the shim runs Active
// Authentication against the virtual passport, the CLI saves the files and the exchange, and
// verify judges them again offline with the same verdict; a clone's saved answer fails again.
// `--json` carries the files (base64, the chip's bytes) and the enrolment record.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFixture } from '@epassport/hardware/fixtures/index';
import { requireTool } from '../support/requires-tool';
import { closeInProcessReaders, cscaPath, fixtureFiles, mrzOf, READ_TIMEOUT_MS, runCli, startInProcessReader } from '../support/virtual-reader';

const DOCUMENT = 'utopia-anna';
const fixture = loadFixture(DOCUMENT);
const work = mkdtempSync(join(tmpdir(), 'e2e-cli-verify-'));

describe.skipIf(!requireTool(['pty'], 'e2e: read --out, then verify DIR, through the bundle'))('read --out then verify DIR', () => {
  afterAll(async () => {
    await closeInProcessReaders();
    rmSync(work, { recursive: true, force: true });
  });

  it('verify repeats the verdict and the Active Authentication of the read; a clone fails again', async () => {
    const virtual = await startInProcessReader(DOCUMENT, 'pico');
    const trust = cscaPath(DOCUMENT);
    const read = (out: string, ...more: string[]) => runCli(['read', '--mrz', mrzOf(fixture), '--port', virtual.path, '--trust', trust, '--out', out, ...more]).result;
    try {
      const good = join(work, 'good');
      const r = await read(good, '--json');
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.written).toEqual(expect.arrayContaining(['AA-challenge.bin', 'AA-response.bin', 'report.json', 'face.jpg']));
      for (const [name, bytes] of fixtureFiles(DOCUMENT)) {
        const f = j.files.find((x: { name: string }) => x.name + '.bin' === name);
        expect(Buffer.from(f.base64, 'base64').equals(bytes)).toBe(true);
      }
      expect(j.record).toMatchObject({
        schema: 'epassport-enrolment-record/1', documentNumber: fixture.bac.documentNumber, verified: true, reasons: [],
        chipAuthenticity: 'active-authentication', faceImagePath: join(good, 'face.jpg'),
      });

      const v = await runCli(['verify', good, '--trust', trust]).result;
      expect([v.code, v.stderr]).toEqual([0, '']);
      expect(v.stdout).toMatch(/^Chip:\s+active-authentication \(ISO\/IEC 9796-2 scheme 1 \(sha1\)\)$/m);
      expect(v.stdout.trim().split('\n').pop()).toBe('VERIFIED');

      virtual.passport.configure({ activeAuthFault: 'wrong-signature' });
      const clone = join(work, 'clone');
      expect((await read(clone, '-q')).code).toBe(5);
      const again = await runCli(['verify', clone, '--trust', trust, '-q']).result;
      expect(again.code).toBe(5);
      expect(again.stdout).toMatch(/^NOT VERIFIED: Active Authentication failed: signature: .* \[chip-not-authentic\]$/m);
    } finally {
      await virtual.close();
    }
  }, READ_TIMEOUT_MS * 3);
});
