import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ReliableLink, type LinkTimers } from './reliable-link';
import { MSG, type Message } from './catalogue';
import { encodePayload, MAX_CHUNK_DATA } from './codec';
import { encodeFrame, MAX_PAYLOAD } from './frame';

/** A minimal discrete-event scheduler (the protocol package cannot import the simulators). */
class Scheduler implements LinkTimers {
  t = 0;
  private q: { at: number; n: number; fn: () => void; id: number }[] = [];
  private n = 0;
  now() { return this.t; }
  setTimeout(fn: () => void, ms: number) {
    const id = ++this.n;
    this.q.push({ at: this.t + ms, n: id, fn, id });
    this.q.sort((a, b) => a.at - b.at || a.n - b.n);
    return id;
  }
  clearTimeout(id: unknown) { this.q = this.q.filter((e) => e.id !== id); }
  run(until: () => boolean, maxMs = 120_000) {
    while (!until()) {
      const e = this.q.shift();
      if (!e || e.at > maxMs) throw new Error('stalled at ' + this.t);
      this.t = e.at;
      e.fn();
    }
  }
}

type Fault = 'ok' | 'drop' | 'dup' | 'corrupt' | 'delay';

/** Two links joined by lossy one-way pipes whose fate for each write comes from `faults`. */
function pair(s: Scheduler, faults: Fault[], window = 4, seed = 1) {
  // Each write draws its fate from `faults` plus three 'ok', with a seeded LCG: random, but
  // repeatable, and never a line that loses everything.
  const table: Fault[] = [...faults, 'ok', 'ok', 'ok'];
  let state = seed >>> 0;
  const fate = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    // The high bits: an LCG's low bits repeat with a tiny period (mod 4: period 4), which would
    // line the faults up with go-back-N rounds and corrupt the same frame forever.
    return table[(state >>> 16) % table.length];
  };
  const got: { a: Message[]; b: Message[] } = { a: [], b: [] };
  const pipe = (to: () => ReliableLink) => (bytes: Uint8Array) => {
    const copy = bytes.slice();
    const f = fate();
    if (f === 'drop') return;
    if (f === 'corrupt') copy[(copy.length / 2) | 0] ^= 0x10;
    const delay = f === 'delay' ? 40 : 1;
    s.setTimeout(() => to().receive(copy), delay);
    if (f === 'dup') s.setTimeout(() => to().receive(copy), delay + 2);
  };
  const drains = { a: 0, b: 0 };
  const a: ReliableLink = new ReliableLink(pipe(() => b), s, { onMessage: (m) => got.a.push(m), onDrain: () => drains.a++ }, { window, retransmitMs: 100, maxRetransmits: 50 });
  const b: ReliableLink = new ReliableLink(pipe(() => a), s, { onMessage: (m) => got.b.push(m), onDrain: () => drains.b++ }, { window, retransmitMs: 100, maxRetransmits: 50 });
  return { a, b, got, drains };
}

const chunk = (i: number): Message => ({ type: 'file-chunk', fileId: 2, offset: i * 100, data: new Uint8Array(100).fill(i & 0xff) });

describe('ReliableLink', () => {
  it('delivers in order with back-pressure on a clean line', () => {
    const s = new Scheduler();
    const { a, got } = pair(s, []);
    let i = 0;
    const pump = () => { while (i < 50 && a.send(chunk(i))) i++; };
    a['handlers'].onDrain = pump;
    pump();
    expect(i).toBe(4); // the window held the rest back
    s.run(() => got.b.length === 50);
    expect(got.b).toEqual(Array.from({ length: 50 }, (_, k) => chunk(k)));
    expect(a.stats.retransmitted).toBe(0);
  });

  // Asynchronous, one event-loop turn per run: the 150 runs take 5-12 s, which in one block keeps
  // the worker from answering vitest (test/support/block-monitor.ts).
  it('loses nothing and duplicates nothing under drops, duplicates, corruption and delay', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.constantFrom<Fault>('ok', 'ok', 'ok', 'drop', 'dup', 'corrupt', 'delay'), { maxLength: 40 }),
      fc.integer({ min: 1, max: 300 }),
      fc.constantFrom(1, 2, 4, 8),
      fc.nat(),
      async (faults, count, window, seed) => {
        await new Promise((turn) => setImmediate(turn));
        const s = new Scheduler();
        const { a, b, got } = pair(s, faults, window, seed);
        let i = 0;
        const pump = () => { while (i < count && a.send(chunk(i))) i++; };
        a['handlers'].onDrain = pump;
        pump();
        b.send({ type: 'progress', phase: 'reading', fileId: 1, done: 1, total: 2 });
        s.run(() => got.b.length === count && got.a.length === 1 && a.idle && b.idle, 10_000_000);
        expect(got.b).toEqual(Array.from({ length: count }, (_, k) => chunk(k)));
      }), { numRuns: 150 });
  });

  it('gives up after maxRetransmits when the peer is gone, and says so', () => {
    const s = new Scheduler();
    let failed = 0;
    const link = new ReliableLink(() => {}, s, { onMessage: () => {}, onFail: () => failed++ }, { retransmitMs: 10, maxRetransmits: 3 });
    link.send({ type: 'cancel' });
    s.run(() => failed === 1);
    expect(link.stats.retransmitted).toBe(3);
    expect(link.idle).toBe(true);
  });

  it('a hello opens a new session on both ends, whatever came before', () => {
    const s = new Scheduler();
    const { a, b, got } = pair(s, []);
    for (let i = 0; i < 7; i++) a.send(chunk(i));
    s.run(() => got.b.length === 4); // only the window's worth got sent
    // The host "reconnects": a fresh link on side a with the same peer b.
    const fresh = new ReliableLink((bytes) => { const c = bytes.slice(); s.setTimeout(() => b.receive(c), 1); }, s, { onMessage: (m) => got.a.push(m) });
    b['write'] = (bytes: Uint8Array) => { const c = bytes.slice(); s.setTimeout(() => fresh.receive(c), 1); };
    fresh.send({ type: 'hello', protocolVersion: 1 });
    s.run(() => got.b.length === 5);
    expect(got.b[4]).toEqual({ type: 'hello', protocolVersion: 1 });
    b.send({ type: 'hello-reply', protocolVersion: 1, firmwareVersion: 'x', board: 'y', capabilities: 0, maxPayload: 512, nfcFirmware: 0 });
    fresh.send({ type: 'cancel' });
    s.run(() => got.a.length === 1 && got.b.length === 6 && fresh.idle && b.idle);
    expect(got.a[0].type).toBe('hello-reply');
  });

  it('builds each frame in place in its slot: the same bytes as encodeFrame, long COBS runs too', () => {
    // Zero-free data up to the largest chunk puts up to two extra COBS code bytes (one per 254)
    // ahead of the body being read; zeros at either end, and every slot of the ring, reused.
    const datas = [MAX_CHUNK_DATA, MAX_CHUNK_DATA - 1, 254, 253, 300, 0, 1].map((n, k) => {
      const d = new Uint8Array(n).fill(0x41 + k);
      if (k >= 4 && n > 0) d[n - 1] = 0;
      return d;
    });
    fc.assert(fc.property(fc.array(fc.constantFrom(...datas.keys()), { minLength: 1, maxLength: 12 }), fc.uint8Array({ maxLength: MAX_CHUNK_DATA }), (picks, random) => {
      const writes: Uint8Array[] = [];
      const link = new ReliableLink((b) => writes.push(b.slice()), new Scheduler(), { onMessage: () => {} });
      const messages: Message[] = [...picks.map((k, i): Message => ({ type: 'file-chunk', fileId: 2, offset: i, data: datas[k] })), { type: 'file-chunk', fileId: 1, offset: 7, data: random }];
      messages.forEach((m, seq) => {
        link['unacked'] = 0; // as if acknowledged: every message goes out, round the ring
        link.send(m);
        expect(writes[seq]).toEqual(encodeFrame(MSG.FILE_CHUNK, seq, encodePayload(m, new Uint8Array(MAX_PAYLOAD)).slice()));
      });
    }), { numRuns: 200 });
  });

  it('keeps each unacknowledged frame in a copy of its length, and lets go of it when acknowledged', () => {
    const s = new Scheduler();
    const { a, b, got } = pair(s, []);
    const writes: Uint8Array[] = [];
    const write = a['write'];
    a['write'] = (bytes: Uint8Array) => { writes.push(bytes.slice()); write(bytes); };
    a.send(chunk(1));
    a.send({ type: 'cancel' });
    const held = () => a['slots'].filter((f) => f !== null) as Uint8Array[];
    expect(held()).toEqual(writes); // a chunk and a cancel, not two buffers of MAX_WIRE_FRAME
    expect(held().map((f) => f.length)).toEqual([writes[0].length, writes[1].length]);
    s.run(() => got.b.length === 2 && a.idle);
    expect(held()).toEqual([]);
    b.send({ type: 'cancel' }); // and the peer's own frame, once acknowledged
    s.run(() => got.a.length === 1 && b.idle);
    expect(b['slots'].every((f) => f === null)).toBe(true);
  });

  it('rounds the window down to a power of two', () => {
    const link = new ReliableLink(() => {}, new Scheduler(), { onMessage: () => {} }, { window: 6 });
    expect(link.freeSlots).toBe(4);
  });
});
