// The committed blob is what the C builds to: a fresh build into a temporary directory must give
// the same bytes (and the same native.json). Needs Debian's gcc-arm-none-eabi.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../../test/support/requires-tool';

const here = fileURLToPath(new URL('.', import.meta.url));
const run = requireTool('arm-none-eabi-gcc', 'a rebuild of the native blob from its C');

describe.skipIf(!run)('native blob build', () => {
  it('a rebuild from the C matches the committed native.bin and native.json byte for byte', () => {
    const r = spawnSync(`${here}check.sh`, { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 60_000);

  it('native-counts.json (npm run native:count) was measured on the committed blob', async () => {
    const { createHash } = await import('node:crypto');
    const counts = JSON.parse(readFileSync(`${here}blob/native-counts.json`, 'utf8'));
    expect(counts.blobSha256).toBe(createHash('sha256').update(readFileSync(`${here}blob/native.bin`)).digest('hex'));
  });

  it('native.json describes the committed bytes and the ABI.md header', async () => {
    const { createHash } = await import('node:crypto');
    const bin = readFileSync(`${here}blob/native.bin`);
    const json = JSON.parse(readFileSync(`${here}blob/native.json`, 'utf8'));
    expect(json.sha256).toBe(createHash('sha256').update(bin).digest('hex'));
    expect(json.size).toBe(bin.length);
    expect(bin.subarray(0, 4).toString('latin1')).toBe('EPN1');
    expect(bin.readUInt32LE(4)).toBe(1);
    expect(bin.readUInt32LE(8)).toBe(bin.length);
    expect(bin.readUInt32LE(12)).toBe(json.functions.DES_SP.offset);
    expect(json.functions.DES_SP.size).toBe(2048);
    expect(json.entries.map((e: { name: string }) => e.name)).toEqual([
      'des_setkey', 'des_cbc', 'mac_update', 'mac_final', 'sha512_init', 'sha512_update', 'sha512_final',
      'crc16', 'cobs_encode', 'cobs_decode', 'pn532_dcs', 'wipe', 'sha256_init', 'sha256_update',
      'sha256_final', 'sha1_init', 'sha1_update', 'sha1_final', 'sm_unwrap',
    ]);
  });
});
