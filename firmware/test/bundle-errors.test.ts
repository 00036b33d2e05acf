// Error paths of the bundled firmware in the shim: every failure ends the read with one typed
// error, after which the same device reads the next passport.
import { describe, expect, it } from 'vitest';
import { FILE, type Message } from '@epassport/protocol';
import { filesOf, newPassport, rig, type Rig } from './device-host';

function last(messages: Message[]): Message {
  return messages[messages.length - 1];
}

function finals(messages: Message[]): Message[] {
  return messages.filter((m) => m.type === 'result' || m.type === 'error');
}

/** The device is idle and healthy: a fresh passport reads completely. */
function readsNextPassport(r: Rig): void {
  const card = newPassport(r.fixture);
  r.device.setCard(card);
  const messages = r.host.read({ ...r.bac, dataGroups: [1, 2, 15] });
  expect(last(messages)).toMatchObject({ type: 'result', ok: true });
  expect(filesOf(messages).get(2)).toEqual(r.fixture.files[2]);
  expect(r.device.errors).toEqual([]);
}

describe('bundled firmware error paths', () => {
  it('invalid MRZ: error before any radio traffic', async () => {
    const r = await rig('pico');
    r.host.hello();
    const before = r.device.stats.commands;
    const messages = r.host.read({ documentNumber: 'UA1234567', dateOfBirth: '881315', dateOfExpiry: '330921' });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ type: 'error', code: 'invalid-mrz' });
    expect(r.device.stats.commands).toBe(before);
    readsNextPassport(r);
  });

  it('wrong MRZ: access-denied', async () => {
    const r = await rig('pico');
    r.host.hello();
    const messages = r.host.read({ ...r.bac, dateOfBirth: '880316' });
    expect(last(messages)).toMatchObject({ type: 'error', code: 'access-denied' });
    expect(messages.some((m) => m.type === 'file-begin')).toBe(false);
    readsNextPassport(r);
  });

  it.each(['pico', 'pico-i2c', 'pico-spi'])('card removed in the middle of DG2 on %s: card-lost', async (board) => {
    const r = await rig(board, 'utopia-anna', { removedAfterBytes: 8000 });
    r.host.hello();
    const messages = r.host.read({ ...r.bac });
    expect(last(messages)).toMatchObject({ type: 'error', code: 'card-lost', fileId: 2 });
    expect(finals(messages)).toHaveLength(1);
    // What did arrive is a correct prefix of DG2.
    const dg2 = filesOf(messages).get(2)!;
    expect(dg2.length).toBeGreaterThan(0);
    expect(dg2).toEqual(r.fixture.files[2].subarray(0, dg2.length));
    readsNextPassport(r);
  });

  it('PN532 silent: pn532-silent, then works once it speaks again', async () => {
    const r = await rig('pico');
    r.host.hello();
    r.device.pn532.faults.silence();
    const messages = r.host.read({ ...r.bac });
    expect(last(messages)).toMatchObject({ type: 'error', code: 'pn532-silent' });
    r.device.pn532.faults.speak();
    readsNextPassport(r);
  });

  it('a module mute from power-on: hello reports 0, a read says pn532-silent', async () => {
    const r = await rig('pico-i2c', 'utopia-anna', {}, (d) => d.pn532.faults.silence());
    expect(r.host.hello().nfcFirmware).toBe(0);
    expect(last(r.host.read({ ...r.bac }))).toMatchObject({ type: 'error', code: 'pn532-silent' });
    r.device.pn532.faults.speak();
    readsNextPassport(r);
    expect(r.host.hello().nfcFirmware).toBe(0x32010607);
  });

  it('corrupt PN532 frames are recovered with NACK and the read succeeds', async () => {
    const r = await rig('pico');
    r.host.hello();
    const from = r.host.messages.length;
    r.host.startRead({ ...r.bac });
    r.host.waitFor((m) => m.type === 'file-begin' && m.fileId === 2, from);
    r.device.pn532.faults.corruptNextResponse(3);
    r.host.waitFor((m) => m.type === 'result' || m.type === 'error', from);
    const messages = r.host.messages.slice(from);
    expect(last(messages)).toMatchObject({ type: 'result', ok: true });
    expect(r.device.stats.nacks).toBe(3);
    expect(filesOf(messages).get(2)).toEqual(r.fixture.files[2]);
  });

  it('a response MAC failure from the chip: sm-failure', async () => {
    const r = await rig('pico', 'utopia-anna', { wrongMacResponse: 5 });
    r.host.hello();
    const messages = r.host.read({ ...r.bac });
    expect(last(messages)).toMatchObject({ type: 'error', code: 'sm-failure' });
    readsNextPassport(r);
  });

  it('a DG hash mismatch: file-end mismatch, the other files still come, error hash-mismatch last', async () => {
    const r = await rig('pico');
    const files = { ...r.fixture.files };
    const dg2 = files[2].slice();
    dg2[5000] ^= 0x01;
    files[2] = dg2;
    r.device.setCard(newPassport({ ...r.fixture, files }));
    r.host.hello();
    const messages = r.host.read({ ...r.bac });
    const ends = messages.filter((m) => m.type === 'file-end');
    expect(ends.map((m) => m.type === 'file-end' && [m.fileId, m.verdict])).toEqual([
      [FILE.COM, 'not-checked'], [FILE.SOD, 'not-checked'], [1, 'match'], [2, 'mismatch'], [15, 'match'],
    ]);
    expect(finals(messages)).toHaveLength(1);
    expect(last(messages)).toMatchObject({ type: 'error', code: 'hash-mismatch', fileId: 2 });
    expect(filesOf(messages).get(2)).toEqual(dg2);
    readsNextPassport(r);
  });

  it('host cancel in the middle of DG2: cancelled, card released', async () => {
    const r = await rig('pico');
    r.host.hello();
    const from = r.host.messages.length;
    r.host.startRead({ ...r.bac });
    r.host.waitFor((m) => m.type === 'file-chunk' && m.fileId === 2 && m.offset > 3000, from);
    r.host.send({ type: 'cancel' });
    r.host.waitFor((m) => m.type === 'result' || m.type === 'error', from);
    const messages = r.host.messages.slice(from);
    expect(last(messages)).toMatchObject({ type: 'error', code: 'cancelled' });
    expect(messages.some((m) => m.type === 'file-begin' && m.fileId === 15)).toBe(false);
    expect(r.device.pn532.asleep).toBe(true);
    readsNextPassport(r);
  });

  it('host cancel while waiting for a card: cancelled at once', async () => {
    const r = await rig('pico-i2c');
    r.device.setCard(null);
    r.host.hello();
    const from = r.host.messages.length;
    r.host.startRead({ ...r.bac, cardTimeoutMs: 20000 });
    r.clock.advance(1200);
    r.host.send({ type: 'cancel' });
    r.host.waitFor((m) => m.type === 'error', from, 1000);
    expect(last(r.host.messages)).toMatchObject({ type: 'error', code: 'cancelled' });
    readsNextPassport(r);
  });

  it('busy: a second read is refused and the first one completes', async () => {
    const r = await rig('pico');
    r.host.hello();
    const from = r.host.messages.length;
    r.host.startRead({ ...r.bac });
    r.host.waitFor((m) => m.type === 'file-begin' && m.fileId === 2, from);
    r.host.startRead({ ...r.bac });
    r.host.waitFor((m) => m.type === 'result', from);
    const messages = r.host.messages.slice(from);
    expect(finals(messages).map((m) => m.type === 'error' ? m.code : m.type)).toEqual(['busy', 'result']);
    expect(filesOf(messages).get(2)).toEqual(r.fixture.files[2]);
    readsNextPassport(r);
  });

  it('no card: waiting-for-card heartbeats, then no-card', async () => {
    const r = await rig('pico-spi');
    r.device.setCard(null);
    r.host.hello();
    const messages = r.host.read({ ...r.bac, cardTimeoutMs: 2000 });
    expect(last(messages)).toMatchObject({ type: 'error', code: 'no-card' });
    const beats = messages.filter((m) => m.type === 'progress' && m.phase === 'waiting-for-card');
    expect(beats.length).toBeGreaterThanOrEqual(4);
    const done = beats.map((m) => (m.type === 'progress' ? m.done : -1));
    expect([...done].sort((a, b) => a - b)).toEqual(done);
    expect(beats.every((m) => m.type === 'progress' && m.total === 2000)).toBe(true);
    readsNextPassport(r);
  });

  it('a slow host holds the card back (back-pressure) and still gets every byte', async () => {
    const r = await rig('pico');
    r.host.hello();
    const from = r.host.messages.length;
    r.host.startRead({ ...r.bac });
    r.host.waitFor((m) => m.type === 'file-begin' && m.fileId === 2, from);
    r.host.deaf = true;
    const apdus = r.device.stats.apdus;
    r.clock.advance(1000);
    // At most a window's worth of READ BINARY went out while nobody acknowledged.
    expect(r.device.stats.apdus - apdus).toBeLessThanOrEqual(4);
    r.host.deaf = false;
    r.host.waitFor((m) => m.type === 'result' || m.type === 'error', from);
    const messages = r.host.messages.slice(from);
    expect(last(messages)).toMatchObject({ type: 'result', ok: true });
    expect(filesOf(messages).get(2)).toEqual(r.fixture.files[2]);
  });

  it('reset aborts the read without a final message; the next read works', async () => {
    const r = await rig('pico');
    r.host.hello();
    const from = r.host.messages.length;
    r.host.startRead({ ...r.bac });
    r.host.waitFor((m) => m.type === 'file-begin' && m.fileId === 2, from);
    r.host.send({ type: 'reset', toConsole: false });
    r.clock.advance(2000);
    expect(finals(r.host.messages.slice(from))).toEqual([]);
    readsNextPassport(r);
  });

  it('reset to console gives USB back to the REPL', async () => {
    const r = await rig('pico');
    r.host.hello();
    r.host.send({ type: 'reset', toConsole: true });
    r.clock.advance(100);
    expect(r.device.runtime.console).toBe('USB');
  });

  it('a hello of another protocol version: later commands get protocol-version', async () => {
    const r = await rig('pico');
    r.host.send({ type: 'hello', protocolVersion: 99 });
    r.host.waitFor((m) => m.type === 'hello-reply');
    const messages = r.host.read({ ...r.bac });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ type: 'error', code: 'protocol-version' });
    r.host.hello();
    readsNextPassport(r);
  });
});
