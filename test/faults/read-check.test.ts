// The judge of a read must see what it counts: holes, bytes twice, wrong 'match' verdicts, a
// result over the wrong bytes, untyped errors.

import { describe, expect, it } from 'vitest';
import { FILE, type Message } from '@epassport/protocol';
import { judgeRead } from './read-check';
import { fixtureOf, requiredFiles, trustOf } from './run-scenario';

const f = fixtureOf('utopia-anna');
const x = { served: f.files, signed: f.files, trust: trustOf(f), required: requiredFiles([1, 2, 15]) };
const ORDER = [FILE.COM, FILE.SOD, 1, 2, 15];

function cleanRead(files = f.files, verdicts: Record<number, string> = {}): Message[] {
  const out: Message[] = [];
  for (const id of ORDER) {
    const bytes = files[id];
    out.push({ type: 'file-begin', fileId: id, length: bytes.length });
    for (let o = 0; o < bytes.length; o += 200) out.push({ type: 'file-chunk', fileId: id, offset: o, data: bytes.slice(o, o + 200) });
    out.push({ type: 'file-end', fileId: id, length: bytes.length, verdict: verdicts[id] ?? (id >= 1 && id <= 16 ? 'match' : 'not-checked'), digest: new Uint8Array(32) });
  }
  out.push({ type: 'result', ok: true, files: [...ORDER].sort((a, b) => a - b), bytesRead: 0, apdus: 0, elapsedMs: 0 });
  return out;
}

describe('judgeRead', () => {
  it('a clean read of the fixture is verified with every counter at 0', () => {
    expect(judgeRead(cleanRead(), x)).toMatchObject({ outcome: 'verified', dataLost: 0, duplicated: 0, wrongVerdicts: 0, extraFinals: 0 });
  });

  it('counts bytes delivered twice and bytes missing from a completed file', () => {
    const m = cleanRead();
    const i = m.findIndex((k) => k.type === 'file-chunk' && k.fileId === 2 && k.offset === 400);
    m.splice(i, 0, m[i - 1]); // chunk at 200 again: 200 bytes twice
    expect(judgeRead(m, x).duplicated).toBe(200);
    const lost = cleanRead().filter((k) => !(k.type === 'file-chunk' && k.fileId === 2 && k.offset === 400));
    const v = judgeRead(lost, x);
    expect(v.dataLost).toBeGreaterThanOrEqual(200);
    expect(v.outcome).not.toBe('verified');
  });

  it('a match verdict or a result over bytes that are not the signed ones is a wrong verdict', () => {
    const files = { ...f.files, 1: f.files[1].slice() };
    files[1][30] ^= 1;
    const v = judgeRead(cleanRead(files), { ...x, served: files });
    expect(v.wrongVerdicts).toBe(2); // DG1 'match', result ok
    expect(v.outcome).toBe('unverified');
    expect(v.dataLost).toBe(0); // the chip did serve those bytes
  });

  it("EF.COM is not signed: the chip's own EF.COM in a result is right, another one is wrong", () => {
    const COM = 0x1e;
    const files = { ...f.files, [COM]: new Uint8Array([0x60, 0x03, 0x01, 0x02, 0x03]) };
    const own = judgeRead(cleanRead(files), { ...x, served: files });
    expect(own).toMatchObject({ outcome: 'verified', wrongVerdicts: 0, dataLost: 0 });
    // The device delivered a garbage EF.COM the chip does not hold: lost bytes and not verified.
    const v = judgeRead(cleanRead(files), x);
    expect(v.outcome).toBe('unverified');
    expect(v.wrongVerdicts).toBeGreaterThan(0);
  });

  it('error outcomes: typed codes pass through, internal and unknown codes are untyped, no final is no-final', () => {
    const err = (code: string): Message[] => [{ type: 'error', code, sw: 0, fileId: 0, message: '' }];
    expect(judgeRead(err('card-lost'), x).outcome).toBe('card-lost');
    expect(judgeRead(err('internal'), x).outcome).toBe('untyped');
    expect(judgeRead(err('made-up'), x).outcome).toBe('untyped');
    expect(judgeRead([], x).outcome).toBe('no-final');
    expect(judgeRead([...err('busy'), ...err('no-card')], x).outcome).toBe('no-card');
    expect(judgeRead([...err('no-card'), ...err('no-card')], x).extraFinals).toBe(1);
  });

  it('a result missing a required file loses its bytes', () => {
    const m = cleanRead().filter((k) => !('fileId' in k && k.fileId === 15));
    const last = m[m.length - 1];
    if (last.type === 'result') last.files = last.files.filter((id) => id !== 15);
    expect(judgeRead(m, x).dataLost).toBe(f.files[15].length);
  });
});

describe('berTotalLength', () => {
  it('reads one-, two- and three-byte tags and short and long lengths', async () => {
    const { berTotalLength } = await import('./read-check');
    expect(berTotalLength(new Uint8Array([0x60, 0x05]))).toBe(7);
    expect(berTotalLength(new Uint8Array([0x5f, 0x1f, 0x81, 0x90]))).toBe(4 + 0x90);
    expect(berTotalLength(new Uint8Array([0x3f, 0xa6, 0x4d, 0x2c]))).toBe(48);
    expect(berTotalLength(new Uint8Array([0x77, 0x82, 0x06, 0xc4]))).toBe(4 + 0x6c4);
    expect(berTotalLength(new Uint8Array([0x60, 0x80]))).toBe(-1);
  });
});
