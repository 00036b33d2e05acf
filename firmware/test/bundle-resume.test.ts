// Resume on the BUNDLE: the passport leaves the field mid-read and comes back within the resume
// window; the device authenticates again and carries on from the last delivered byte. The host
// sees every byte once (filesOf throws on any offset that does not follow the previous chunk),
// every hash still verifies, and fewer bytes come off the chip again than a restart would cost.
import { describe, expect, it } from 'vitest';
import { CAP, FILE, type Message } from '@epassport/protocol';
import type { Card, CardReply } from '@epassport/hardware/sim/card';
import type { VirtualClock } from '@epassport/hardware/sim/clock';
import type { VirtualPassport } from '@epassport/hardware/sim/passport/virtual-passport';
import { loadFixture } from '@epassport/hardware/fixtures/index';
import { filesOf, newPassport, rig, type Rig } from './device-host';

/** The resume window the firmware documents (READ_DEFAULTS.RESUME_WINDOW_MS). */
const RESUME_WINDOW_MS = 10000;

const INS_MUTUAL_AUTHENTICATE = 0x82;
const INS_READ_BINARY = 0xb0;

/** Where a command APDU reads: READ BINARY with a short EF identifier (P1 = 80|SFI) names the
 * file; the later ones carry the offset in P1 P2. */
interface Cursor { sfi: number; offset: number; ins: number }

/**
 * A hand that holds a passport over the reader: counts the bytes the chip sends, and takes the
 * passport away (VirtualPassport.remove) on the first command `when` picks, before the chip
 * answers it; `backAfterMs` later the passport is laid down again (insert: the chip restarts).
 */
class Hand implements Card {
  /** R-APDU bytes the chip sent (data, SM wrapping, status words), BAC included. */
  bytes = 0;
  apdus = 0;
  /** `bytes` when the passport was taken away, per removal. */
  readonly removedAt: number[] = [];
  private sfi = 0;

  constructor(
    readonly passport: VirtualPassport,
    private clock: VirtualClock,
    readonly when: Array<(c: Cursor) => boolean>,
    private backAfterMs: number | null = 1000,
  ) {}

  get identity() {
    return this.passport.identity;
  }

  isPresent(): boolean {
    return this.passport.isPresent();
  }

  reset(): void {
    this.passport.reset();
  }

  transceive(apdu: Uint8Array): CardReply | null {
    const ins = apdu[1];
    let offset = -1;
    if (ins === INS_READ_BINARY) {
      if (apdu[2] & 0x80) {
        this.sfi = apdu[2] & 0x1f;
        offset = apdu[3];
      } else {
        offset = (apdu[2] << 8) | apdu[3];
      }
    }
    if (this.passport.isPresent() && this.when.length && this.when[0]({ sfi: this.sfi, offset, ins })) {
      this.when.shift();
      this.removedAt.push(this.bytes);
      this.passport.remove();
      if (this.backAfterMs !== null) this.clock.setTimeout(() => this.passport.insert(), this.backAfterMs);
    }
    const reply = this.passport.transceive(apdu);
    if (reply) {
      this.bytes += reply.response.length;
      this.apdus++;
    }
    return reply;
  }
}

function last(messages: Message[]): Message {
  return messages[messages.length - 1];
}

function finals(messages: Message[]): Message[] {
  return messages.filter((m) => m.type === 'result' || m.type === 'error');
}

function progress(messages: Message[], phase: string): Extract<Message, { type: 'progress' }>[] {
  return messages.filter((m): m is Extract<Message, { type: 'progress' }> => m.type === 'progress' && m.phase === phase);
}

const READ_ORDER = [FILE.COM, FILE.SOD, 1, 2, 15];

/** A complete read: one file-begin per file, the files equal the fixture's, every group 'match'. */
function expectComplete(r: Rig, messages: Message[]): void {
  expect(last(messages)).toMatchObject({ type: 'result', ok: true });
  expect([...(last(messages) as { files: number[] }).files].sort((a, b) => a - b)).toEqual([1, 2, 15, FILE.SOD, FILE.COM]);
  expect(finals(messages)).toHaveLength(1);
  expect(messages.filter((m) => m.type === 'file-begin').map((m) => m.type === 'file-begin' && m.fileId)).toEqual(READ_ORDER);
  const files = filesOf(messages); // throws on a duplicate or a gap
  for (const id of READ_ORDER) expect(files.get(id), 'file ' + id).toEqual(r.fixture.files[id]);
  const ends = messages.filter((m) => m.type === 'file-end');
  expect(ends.map((m) => m.type === 'file-end' && [m.fileId, m.verdict])).toEqual([
    [FILE.COM, 'not-checked'], [FILE.SOD, 'not-checked'], [1, 'match'], [2, 'match'], [15, 'match'],
  ]);
  // Each byte exactly once: the chunks add up to the files, no more.
  const chunkBytes = messages.reduce((n, m) => n + (m.type === 'file-chunk' ? m.data.length : 0), 0);
  expect(chunkBytes).toBe(READ_ORDER.reduce((n, id) => n + r.fixture.files[id].length, 0));
  expect(r.device.errors).toEqual([]);
}

/** The device is idle and healthy: a fresh passport reads completely. */
function readsNextPassport(r: Rig): void {
  r.device.setCard(newPassport(r.fixture));
  const messages = r.host.read({ ...r.bac });
  expectComplete(r, messages);
}

/** A rig whose passport is held by a Hand that takes it away at the commands `when` picks. */
async function handRig(board: string, when: (r: Rig) => Array<(c: Cursor) => boolean>, backAfterMs: number | null = 1000): Promise<{ r: Rig; hand: Hand }> {
  const r = await rig(board);
  const hand = new Hand(r.passport, r.clock, when(r), backAfterMs);
  r.device.setCard(hand);
  r.host.hello();
  return { r, hand };
}

const dg2Half = (r: Rig) => (c: Cursor) => c.sfi === 2 && c.offset >= r.fixture.files[2].length / 2;

describe('resume after the passport left the field (bundle)', () => {
  it('advertises RESUME in hello-reply', async () => {
    const r = await rig('pico');
    expect(r.host.hello().capabilities & CAP.RESUME).toBe(CAP.RESUME);
  });

  it.each(['pico', 'pico-i2c', 'pico-spi'])('removed at 50%% of DG2, back after 1 s, on %s: complete and verified, fewer bytes re-read than a restart', async (board) => {
    // The cost of an uninterrupted read, on the same board.
    const clean = await handRig(board, () => []);
    expectComplete(clean.r, clean.r.host.read({ ...clean.r.bac }));
    const cleanBytes = clean.hand.bytes;

    const { r, hand } = await handRig(board, (x) => [dg2Half(x)]);
    const dg2 = r.fixture.files[2];
    const messages = r.host.read({ ...r.bac });
    expectComplete(r, messages);

    expect(hand.removedAt).toHaveLength(1);
    const lost = progress(messages, 'card-lost');
    expect(lost.length).toBeGreaterThanOrEqual(2); // the notice, then heartbeats while it waits
    expect(lost[0]).toMatchObject({ fileId: 2, total: dg2.length });
    expect(lost[0].done).toBeGreaterThanOrEqual(dg2.length / 2);
    expect(lost[0].done).toBeLessThan(dg2.length);
    const resumed = progress(messages, 'resumed');
    expect(resumed).toHaveLength(1);
    expect(resumed[0]).toMatchObject({ fileId: 2, done: lost[0].done, total: dg2.length });
    // The DG2 chunk after 'resumed' starts exactly where the host's copy ended.
    const at = messages.indexOf(resumed[0]);
    const nextChunk = messages.slice(at).find((m) => m.type === 'file-chunk');
    expect(nextChunk).toMatchObject({ fileId: 2, offset: lost[0].done });
    // A second BAC, in the order: lost, connecting, authenticating, resumed.
    const order = messages.filter((m) => m.type === 'progress' && m.phase !== 'reading' && m.phase !== 'card-lost' && m.phase !== 'waiting-for-card')
      .map((m) => m.type === 'progress' && m.phase);
    expect(order).toEqual(['connecting', 'authenticating', 'connecting', 'authenticating', 'resumed']);

    const docBytes = READ_ORDER.reduce((n, id) => n + r.fixture.files[id].length, 0);
    const beforeLoss = hand.removedAt[0];
    const resumeCost = hand.bytes - cleanBytes; // what the resume read again (BAC, file header, ...)
    const restartCost = beforeLoss; // a restart reads everything up to the loss again
    console.log(`[resume ${board}] document ${docBytes} B of files; clean read ${cleanBytes} B from the chip; ` +
      `lost at DG2 ${lost[0].done}/${dg2.length} after ${beforeLoss} B; resumed read ${hand.bytes} B in total: ` +
      `${resumeCost} B read again, a restart would read ${restartCost} B again (${cleanBytes + restartCost} B in total)`);
    expect(resumeCost).toBeGreaterThan(0); // BAC again and the file's header, at least
    expect(resumeCost).toBeLessThan(restartCost);
    expect(resumeCost).toBeLessThan(1000);
    readsNextPassport(r);
  });

  it('removed during BAC (MUTUAL AUTHENTICATE): authenticates again and reads everything', async () => {
    const { r, hand } = await handRig('pico', () => [(c) => c.ins === INS_MUTUAL_AUTHENTICATE]);
    const messages = r.host.read({ ...r.bac });
    expectComplete(r, messages);
    expect(hand.removedAt).toHaveLength(1);
    expect(progress(messages, 'card-lost')[0]).toMatchObject({ fileId: 0, done: 0 });
    expect(progress(messages, 'resumed')).toHaveLength(1);
  });

  it('removed in the middle of EF.SOD: the extractor carries on, the groups still match', async () => {
    const { r, hand } = await handRig('pico-i2c', () => [(c) => c.sfi === 0x1d && c.offset >= 600]);
    const messages = r.host.read({ ...r.bac });
    expectComplete(r, messages);
    expect(hand.removedAt).toHaveLength(1);
    const lost = progress(messages, 'card-lost')[0];
    expect(lost).toMatchObject({ fileId: FILE.SOD, total: r.fixture.files[FILE.SOD].length });
    expect(lost.done).toBeGreaterThanOrEqual(600);
  });

  it('removed at the start of DG1 (its first READ BINARY): DG1 begins once and reads whole', async () => {
    const { r, hand } = await handRig('pico-spi', () => [(c) => c.sfi === 1 && c.offset === 0]);
    const messages = r.host.read({ ...r.bac });
    expectComplete(r, messages);
    expect(hand.removedAt).toHaveLength(1);
    expect(progress(messages, 'card-lost')[0]).toMatchObject({ fileId: 1, done: 0 });
  });

  it('lost twice in DG2 (at 30% and at 70%): still complete and verified', async () => {
    const { r, hand } = await handRig('pico', (x) => {
      const n = x.fixture.files[2].length;
      return [(c) => c.sfi === 2 && c.offset >= 0.3 * n, (c) => c.sfi === 2 && c.offset >= 0.7 * n];
    });
    const messages = r.host.read({ ...r.bac });
    expectComplete(r, messages);
    expect(hand.removedAt).toHaveLength(2);
    expect(progress(messages, 'resumed')).toHaveLength(2);
  });

  it('another passport laid down during the window: card-lost, nothing of it delivered', async () => {
    const { r } = await handRig('pico', (x) => [dg2Half(x)], null);
    const other = loadFixture('utopia-long-name');
    const stranger = newPassport(other);
    const from = r.host.messages.length;
    r.host.startRead({ ...r.bac });
    r.host.waitFor((m) => m.type === 'progress' && m.phase === 'card-lost', from);
    r.clock.advance(1000);
    r.device.setCard(stranger);
    r.host.waitFor((m) => m.type === 'result' || m.type === 'error', from, 30000);
    const messages = r.host.messages.slice(from);
    expect(last(messages)).toMatchObject({ type: 'error', code: 'card-lost', fileId: 2 });
    expect(finals(messages)).toHaveLength(1);
    expect(stranger.stats.bacSessions).toBe(0); // its BAC was refused
    expect(progress(messages, 'resumed')).toHaveLength(0);
    // Whatever arrived is a prefix of the first passport's files; DG2 never ended.
    for (const [id, bytes] of filesOf(messages)) expect(bytes, 'file ' + id).toEqual(r.fixture.files[id].subarray(0, bytes.length));
    expect(messages.some((m) => m.type === 'file-end' && m.fileId === 2)).toBe(false);
    const lostAt = messages.findIndex((m) => m.type === 'progress' && m.phase === 'card-lost');
    expect(messages.slice(lostAt).some((m) => m.type === 'file-chunk' || m.type === 'file-begin')).toBe(false);
    readsNextPassport(r);
  });

  it('the window passes without the passport: card-lost, with card-lost heartbeats meanwhile', async () => {
    const { r } = await handRig('pico-i2c', (x) => [dg2Half(x)], null);
    const dg2 = r.fixture.files[2];
    const from = r.host.messages.length;
    r.host.startRead({ ...r.bac });
    const notice = r.host.waitFor((m) => m.type === 'progress' && m.phase === 'card-lost', from);
    const lostTime = r.clock.now();
    r.host.waitFor((m) => m.type === 'result' || m.type === 'error', from, 30000);
    const waited = r.clock.now() - lostTime;
    const messages = r.host.messages.slice(from);
    expect(last(messages)).toMatchObject({ type: 'error', code: 'card-lost', fileId: 2 });
    expect(finals(messages)).toHaveLength(1);
    expect(waited).toBeGreaterThanOrEqual(RESUME_WINDOW_MS);
    expect(waited).toBeLessThan(RESUME_WINDOW_MS + 2000);
    const beats = progress(messages, 'card-lost');
    expect(beats.length).toBeGreaterThanOrEqual(RESUME_WINDOW_MS / 500 - 2);
    expect(beats.every((b) => b.fileId === 2 && b.done === (notice as { done: number }).done && b.total === dg2.length)).toBe(true);
    expect(r.device.pn532.asleep).toBe(true);
    readsNextPassport(r);
  });

  it('cancel while waiting for the passport to come back: cancelled at once', async () => {
    const { r } = await handRig('pico', (x) => [dg2Half(x)], null);
    const from = r.host.messages.length;
    r.host.startRead({ ...r.bac });
    r.host.waitFor((m) => m.type === 'progress' && m.phase === 'card-lost', from);
    r.clock.advance(1500);
    r.host.send({ type: 'cancel' });
    r.host.waitFor((m) => m.type === 'result' || m.type === 'error', from, 1000);
    const messages = r.host.messages.slice(from);
    expect(last(messages)).toMatchObject({ type: 'error', code: 'cancelled' });
    expect(finals(messages)).toHaveLength(1);
    expect(r.device.pn532.asleep).toBe(true);
    readsNextPassport(r);
  });

  it('cancel right at the loss (while the field is being released): cancelled', async () => {
    const { r } = await handRig('pico-spi', (x) => [dg2Half(x)], null);
    const from = r.host.messages.length;
    r.host.startRead({ ...r.bac });
    r.host.waitFor((m) => m.type === 'progress' && m.phase === 'card-lost', from);
    r.host.send({ type: 'cancel' });
    r.host.waitFor((m) => m.type === 'result' || m.type === 'error', from, 2000);
    expect(last(r.host.messages.slice(from))).toMatchObject({ type: 'error', code: 'cancelled' });
    readsNextPassport(r);
  });

  it('reset while waiting: no final message, the next read works', async () => {
    const { r } = await handRig('pico', (x) => [dg2Half(x)], null);
    const from = r.host.messages.length;
    r.host.startRead({ ...r.bac });
    r.host.waitFor((m) => m.type === 'progress' && m.phase === 'card-lost', from);
    r.clock.advance(800);
    r.host.send({ type: 'reset', toConsole: false });
    r.clock.advance(RESUME_WINDOW_MS + 1000);
    expect(finals(r.host.messages.slice(from))).toHaveLength(0);
    readsNextPassport(r);
  });

  it('a read while waiting for the passport is refused busy; the waiting read resumes', async () => {
    const { r } = await handRig('pico', (x) => [dg2Half(x)], 2000);
    const from = r.host.messages.length;
    r.host.startRead({ ...r.bac });
    r.host.waitFor((m) => m.type === 'progress' && m.phase === 'card-lost', from);
    r.host.startRead({ ...r.bac });
    r.host.waitFor((m) => m.type === 'result', from, 30000);
    const messages = r.host.messages.slice(from);
    expect(finals(messages).map((m) => (m.type === 'error' ? m.code : m.type))).toEqual(['busy', 'result']);
    expect(filesOf(messages).get(2)).toEqual(r.fixture.files[2]);
  });
});
