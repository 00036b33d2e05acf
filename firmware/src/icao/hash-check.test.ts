import { createHash as nodeHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FileSink } from './file-reader';
import { readFile } from './file-reader';
import { HashCheckSink } from './hash-check';
import { MockChip } from '../../test/support/mock-chip';
import { selectApplicationApdu } from './commands';

function file(n: number): Uint8Array {
  return new Uint8Array([0x75, 0x82, n >> 8, n & 0xff, ...randomBytes(n)]);
}

function feed(sink: FileSink, data: Uint8Array, from = 0, block = 100): void {
  sink.begin(data.length);
  for (let o = from; o < data.length; o += block) sink.chunk(data.subarray(o, Math.min(o + block, data.length)), o);
  sink.end();
}

describe('HashCheckSink', () => {
  const data = file(1000);
  const sha256 = new Uint8Array(nodeHash('sha256').update(data).digest());

  it('match, mismatch, not-in-sod', () => {
    const ok = new HashCheckSink(null, 'sha256', sha256);
    feed(ok, data);
    expect(ok.verdict()).toBe('match');
    const other = data.slice();
    other[500] ^= 1;
    const bad = new HashCheckSink(null, 'sha256', sha256);
    feed(bad, other);
    expect(bad.verdict()).toBe('mismatch');
    const none = new HashCheckSink(null, 'sha256', null);
    feed(none, data);
    expect(none.verdict()).toBe('not-in-sod');
  });

  it('passes every call on to the inner sink', () => {
    const seen: string[] = [];
    const inner: FileSink = { begin: (n) => seen.push('b' + n), chunk: (d, o) => seen.push('c' + o + ':' + d.length), end: () => seen.push('e') };
    feed(new HashCheckSink(inner, 'sha1', new Uint8Array(20)), data.subarray(0, 250));
    expect(seen).toEqual(['b250', 'c0:100', 'c100:100', 'c200:50', 'e']);
  });

  it('a gap in the stream is not-checked, never a false match', () => {
    const s = new HashCheckSink(null, 'sha256', sha256);
    feed(s, data, 300);
    expect(s.verdict()).toBe('not-checked');
    const s2 = new HashCheckSink(null, 'sha256', sha256);
    s2.begin(data.length);
    s2.chunk(data.subarray(0, 100), 0);
    s2.end(); // ended early
    expect(s2.verdict()).toBe('not-checked');
  });

  it('the same checker across a resumed read carries the hash on (overlaps skipped)', () => {
    const s = new HashCheckSink(null, 'sha256', sha256);
    s.begin(data.length);
    s.chunk(data.subarray(0, 420), 0); // then the card was lost
    s.begin(data.length);
    s.chunk(data.subarray(400, 700), 400); // resumed a little earlier
    s.chunk(data.subarray(700), 700);
    s.end();
    expect(s.verdict()).toBe('match');
  });

  it('an expected hash longer than the digest is a mismatch, even when the digest is its prefix', () => {
    const s = new HashCheckSink(null, 'sha256', new Uint8Array([...sha256, 0]));
    feed(s, data);
    expect(s.verdict()).toBe('mismatch');
  });

  it('a length that changes between begin calls is never trusted, even when the bytes would match', () => {
    const s = new HashCheckSink(null, 'sha256', sha256);
    s.begin(600);
    s.chunk(data.subarray(0, 600), 0);
    s.begin(data.length); // a "resume" that announces another length
    s.chunk(data.subarray(600), 600);
    s.end();
    expect(s.verdict()).toBe('not-checked');
    // Back to the first length after a change: still not trusted.
    const t = new HashCheckSink(null, 'sha256', sha256);
    t.begin(data.length);
    t.chunk(data, 0);
    t.begin(500);
    t.begin(data.length);
    t.end();
    expect(t.verdict()).toBe('not-checked');
    // A first begin of 0 counts as a length too.
    const u = new HashCheckSink(null, 'sha256', sha256);
    u.begin(0);
    feed(u, data);
    expect(u.verdict()).toBe('not-checked');
  });

  it('a chunk after a gap breaks the check for good: bytes filled in later are not trusted', () => {
    const s = new HashCheckSink(null, 'sha256', sha256);
    s.begin(data.length);
    s.chunk(data.subarray(0, 100), 0);
    s.chunk(data.subarray(200, 300), 200); // 100..200 missing
    s.chunk(data.subarray(100), 100);
    s.end();
    expect(s.verdict()).toBe('not-checked');
  });

  it('a resumed chunk wholly inside what was hashed already is skipped', () => {
    const s = new HashCheckSink(null, 'sha256', sha256);
    s.begin(data.length);
    s.chunk(data.subarray(0, 420), 0);
    s.begin(data.length);
    s.chunk(data.subarray(100, 300), 100); // seen already
    s.chunk(data.subarray(420), 420);
    s.end();
    expect(s.verdict()).toBe('match');
  });

  it('an empty data group: not-in-sod when EF.SOD does not list it, match only against the hash of nothing', () => {
    const none = new HashCheckSink(null, 'sha256', null);
    feed(none, new Uint8Array(0));
    expect(none.verdict()).toBe('not-in-sod');
    const empty = new HashCheckSink(null, 'sha256', new Uint8Array(nodeHash('sha256').digest()));
    feed(empty, new Uint8Array(0));
    expect(empty.verdict()).toBe('match');
    const other = new HashCheckSink(null, 'sha256', sha256);
    feed(other, new Uint8Array(0));
    expect(other.verdict()).toBe('mismatch');
  });

  it('checks a data group streamed by readFile, with SHA-1 and SHA-512', () => {
    for (const name of ['sha1', 'sha512']) {
      const dg = file(3000);
      const chip = new MockChip({ files: { 2: dg } });
      chip.transceive(selectApplicationApdu(), () => {});
      const s = new HashCheckSink(null, name, new Uint8Array(nodeHash(name).update(dg).digest()));
      let err: unknown = 'pending';
      readFile(chip, 2, s, { maxFileLength: 10000 }, (e) => { err = e; });
      expect(err).toBeNull();
      expect(s.verdict()).toBe('match');
    }
  });
});
