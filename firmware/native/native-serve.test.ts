// The emulator server the runtime shim talks to (emu/serve.py): its line protocol, region
// write/read-back, instruction counts equal to native:count's, errors that leave it running.
import { spawnSync } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BLOB_PATH, PYTHON, emulatorMissing, toolGate } from './emu/emulator';

const SERVER = fileURLToPath(new URL('./emu/serve.py', import.meta.url));
const RAM = 0x20000000;
const run = toolGate(emulatorMissing());

/** One server process for all `lines`; its reply lines. */
function serve(lines: string[]): string[] {
  const r = spawnSync(PYTHON, [SERVER, BLOB_PATH], { input: lines.join('\n') + '\n', encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.split('\n').slice(0, -1); // each reply ends in a newline
}

describe.skipIf(!run)('native emulator server (serve.py)', () => {
  it('answers each request line with r0, the instruction count and the regions read back', () => {
    const counts = JSON.parse(readFileSync(new URL('./blob/native-counts.json', import.meta.url), 'utf8'));
    const key = randomBytes(16), data = randomBytes(64);
    const ctx = RAM, buf = RAM + 512, keyAt = RAM + 1024;
    const kb = randomBytes(1024);
    const replies = serve([
      `7 0xffff ${RAM} 9 0 ${RAM}:${Buffer.from('123456789').toString('hex')}`,
      `0 ${ctx} ${keyAt} 16 0 ${ctx}:${'00'.repeat(400)} ${keyAt}:${key.toString('hex')}`,
      `1 ${ctx} ${buf} 64 0 ${buf}:${data.toString('hex')}`,
      '42 0 0 0 0',
      `1 0 0 8 0`,
      `7 65535 ${RAM} 1024 0 ${RAM}:${kb.toString('hex')}`,
      `10 ${RAM} 0 0 0 ${RAM}:`,
    ]);
    expect(replies).toHaveLength(7);
    expect(replies[0].split(' ')[0]).toBe(String(0x29b1));
    expect(replies[0].split(' ')[2]).toBe(Buffer.from('123456789').toString('hex'));
    expect(replies[1].split(' ')[0]).toBe('0');
    const c = createCipheriv('des-ede-cbc', key, Buffer.alloc(8));
    c.setAutoPadding(false);
    const [r0, instructions, out] = replies[2].split(' ');
    expect(r0).toBe('64');
    expect(out).toBe(Buffer.concat([c.update(data), c.final()]).toString('hex'));
    // The context persisted from the previous request; 8 blocks of 3DES.
    expect(Number(instructions)).toBeGreaterThan(8 * 1296);
    expect(replies[3]).toMatch(/^!entry 42 is not in the blob/);
    expect(replies[4]).toMatch(/^!.*(unmapped|UNMAPPED)/i); // a fault reading address 0; the server lives on
    expect(Number(replies[5].split(' ')[1])).toBe(counts.perKB.crc16.instructions);
    expect(replies[6]).toMatch(/^0 \d+ $/);
  });
});
