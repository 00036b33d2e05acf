// Active Authentication end to end through the bundle: the SDK (PassportReader over a real pty)
// draws the challenge, the firmware in the shim sends INTERNAL AUTHENTICATE to the virtual
// passport, the SDK checks the answer against DG15. The RSA and EC samples pass; a clone (wrong
// signature) and a chip that refuses fail with chip-not-authentic; the CLI prints it, exit 5.

import { afterAll, describe, expect, it } from 'vitest';
import { PassportReader } from '@epassport/host-sdk';
import { loadFixture } from '@epassport/hardware/fixtures/index';
import { requireTool } from '../support/requires-tool';
import { closeInProcessReaders, cscaPath, mrzOf, READ_TIMEOUT_MS, runCli, startInProcessReader } from '../support/virtual-reader';

const CHALLENGE = Uint8Array.of(9, 8, 7, 6, 5, 4, 3, 2);

describe.skipIf(!requireTool(['pty', 'openssl'], 'e2e: Active Authentication through the bundle'))('Active Authentication through the bundle', () => {
  afterAll(closeInProcessReaders);

  it.each([
    ['utopia-anna', /^ISO\/IEC 9796-2 scheme 1 \(sha1\)$/],
    ['utopia-ec', /^ECDSA plain \(sha256, prime256v1\)$/],
  ])('%s: the chip proves its DG15 key; VERIFIED', async (name, algorithm) => {
    const virtual = await startInProcessReader(name, 'pico');
    const reader = await PassportReader.open({ path: virtual.path });
    try {
      const doc = await reader.read({ mrz: loadFixture(name).mrz }, { trust: cscaPath(name), random: () => CHALLENGE });
      expect(doc.chipAuthenticity).toBe('active-authentication');
      expect(doc.activeAuthentication).toMatchObject({ challenge: '0908070605040302', problem: null });
      expect(doc.activeAuthentication.algorithm).toMatch(algorithm);
      expect(doc.verdict).toEqual({ verified: true, reasons: [] });
      expect(doc.verified).toBe(true);
    } finally {
      await reader.close();
      await virtual.close();
    }
  }, READ_TIMEOUT_MS * 2);

  it('a clone and a refusing chip: NOT VERIFIED, chip-not-authentic; with AA turned off the read says not-supported', async () => {
    const virtual = await startInProcessReader('utopia-ec', 'pico-spi');
    const reader = await PassportReader.open({ path: virtual.path });
    const mrz = loadFixture('utopia-ec').mrz;
    const trust = cscaPath('utopia-ec');
    try {
      virtual.passport.configure({ activeAuthFault: 'wrong-signature' });
      const clone = await reader.read({ mrz }, { trust });
      expect(clone.chipAuthenticity).toBe('failed');
      expect(clone.verdict.reasons.map((r) => r.code)).toEqual(['chip-not-authentic']);
      expect(clone.passiveAuthentication.verified).toBe(true); // the data itself is genuine

      virtual.passport.configure({ activeAuthFault: 'refuse', activeAuthRefusalSw: 0x6d00 });
      const refused = await reader.read({ mrz }, { trust });
      expect(refused.activeAuthentication).toMatchObject({ status: 'failed', problem: expect.stringMatching(/refused INTERNAL AUTHENTICATE/) });
      expect(refused.verified).toBe(false);

      const off = await reader.read({ mrz }, { trust, activeAuthentication: false });
      expect(off.activeAuthentication).toMatchObject({ status: 'not-supported', problem: 'Active Authentication was turned off' });
      expect(off.verified).toBe(true);
    } finally {
      await reader.close();
      await virtual.close();
    }
  }, READ_TIMEOUT_MS * 3);

  it('the CLI prints the chip line; a clone exits 5 naming chip-not-authentic', async () => {
    const virtual = await startInProcessReader('utopia-anna', 'pico');
    const fixture = loadFixture('utopia-anna');
    try {
      const ok = await runCli(['read', '--mrz', mrzOf(fixture), '--port', virtual.path, '--trust', cscaPath('utopia-anna')]).result;
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/^Chip:\s+active-authentication \(ISO\/IEC 9796-2 scheme 1 \(sha1\)\)$/m);
      virtual.passport.configure({ activeAuthFault: 'wrong-signature' });
      const clone = await runCli(['read', '--mrz', mrzOf(fixture), '--port', virtual.path, '--trust', cscaPath('utopia-anna'), '--quiet']).result;
      expect(clone.code).toBe(5);
      expect(clone.stdout).toMatch(/^NOT VERIFIED: Active Authentication failed: signature: .* \[chip-not-authentic\]$/m);
    } finally {
      await virtual.close();
    }
  }, READ_TIMEOUT_MS * 2);
});
