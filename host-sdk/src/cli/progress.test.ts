import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from './progress';
import type { ReadEvent } from '../session/read-stream';

class Sink extends Writable {
  text = '';
  isTTY: boolean;
  columns = 100;
  constructor(tty: boolean) {
    super();
    this.isTTY = tty;
  }
  _write(chunk: Buffer, _e: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
  cursorTo(_x: number, _y?: number, cb?: () => void) { cb?.(); return true; }
  clearLine(_d: number, cb?: () => void) { cb?.(); return true; }
  moveCursor(_dx: number, _dy: number, cb?: () => void) { cb?.(); return true; }
  clearScreenDown(cb?: () => void) { cb?.(); return true; }
}

const EVENTS: ReadEvent[] = [
  { type: 'progress', phase: 'waiting-for-card', fileId: 0, done: 0, total: 10000 },
  { type: 'progress', phase: 'waiting-for-card', fileId: 0, done: 500, total: 10000 },
  { type: 'progress', phase: 'connecting', fileId: 0, done: 0, total: 0 },
  { type: 'file-begin', fileId: 2, name: 'DG2', length: 1000 },
  { type: 'chunk', fileId: 2, offset: 0, length: 500, received: 500, total: 1000 },
  { type: 'chunk', fileId: 2, offset: 500, length: 500, received: 1000, total: 1000 },
  { type: 'file-end', fileId: 2, name: 'DG2', length: 1000, verdict: 'match', hostVerdict: 'match' },
];

describe('progress output', () => {
  it('writes one plain line per phase and file off a terminal', () => {
    const sink = new Sink(false);
    const p = createProgress(sink, false);
    EVENTS.forEach((e) => p(e));
    p.stop();
    expect(sink.text).toBe('waiting for a passport on the reader\npassport found, connecting\nread DG2 (1000 bytes, hash match)\n');
  });

  it('tells the user when the passport was lost and when the read resumed', () => {
    const lost: ReadEvent[] = [
      { type: 'file-begin', fileId: 2, name: 'DG2', length: 14799 },
      { type: 'chunk', fileId: 2, offset: 0, length: 7400, received: 7400, total: 14799 },
      { type: 'progress', phase: 'card-lost', fileId: 2, done: 7400, total: 14799 },
      { type: 'progress', phase: 'card-lost', fileId: 2, done: 7400, total: 14799 },
      { type: 'progress', phase: 'connecting', fileId: 0, done: 0, total: 0 },
      { type: 'progress', phase: 'authenticating', fileId: 0, done: 0, total: 0 },
      { type: 'progress', phase: 'resumed', fileId: 2, done: 7400, total: 14799 },
      { type: 'chunk', fileId: 2, offset: 7400, length: 7399, received: 14799, total: 14799 },
      { type: 'file-end', fileId: 2, name: 'DG2', length: 14799, verdict: 'match', hostVerdict: 'match' },
    ];
    const plain = new Sink(false);
    const p = createProgress(plain, false);
    lost.forEach((e) => p(e));
    p.stop();
    expect(plain.text).toBe('passport lost at DG2 7400/14799 \u2014 place it again\npassport found, connecting\nauthenticating (BAC)\n'
      + 'resumed at DG2 7400/14799\nread DG2 (14799 bytes, hash match)\n');
    const tty = new Sink(true);
    const q = createProgress(tty, true);
    lost.forEach((e) => q(e));
    q.stop();
    expect(tty.text).toContain('passport lost at DG2 7400/14799');
    expect(tty.text).toMatch(/resumed at DG2 7400\/14799\n[^]*reading DG2 +\[.*\] 14799\/14799 bytes/);
  });

  it('draws bars on a terminal', () => {
    const sink = new Sink(true);
    const p = createProgress(sink, true);
    EVENTS.forEach((e) => p(e));
    p.stop();
    expect(sink.text).toMatch(/waiting for a passport \[.*\] 0\/10 s/);
    expect(sink.text).toMatch(/reading DG2 +\[.*\] 1000\/1000 bytes/);
    expect(sink.text).toMatch(/read DG2 \(1000 bytes, hash match\)\n$/);
  });
});
