import { describe, expect, it } from 'vitest';
import { ACK_FRAME, NACK_FRAME, commandFrame } from './frames';
import { HsuTestHost, WAKE_UP, fromHex, hex } from './hsu-test-host';
import { EchoCard, EmrtdStubCard, MuteCard, TypeBStubCard, patternByte, typeAIdentity } from '../test-cards';

const SELECT_EMRTD = fromHex('00 a4 04 0c 07 a0 00 00 02 47 10 01');

/** Opens like libnfc and lists the card in the field (type A). */
function ready(card = new EmrtdStubCard() as EmrtdStubCard | EchoCard | MuteCard) {
  const host = new HsuTestHost({ card });
  host.open();
  const list = host.command([0x4a, 0x01, 0x00]);
  expect(list[0]).toBe(1);
  return { host, card };
}

describe('PN532 simulator over HSU: power-up and framing', () => {
  it('ignores a frame sent without wake-up bytes while in LowVbat', () => {
    const host = new HsuTestHost();
    host.send([0x14, 0x01]);
    expect(host.idle(50)).toEqual([]);
    host.write(WAKE_UP);
    expect(hex(host.command([0x14, 0x01]))).toBe('');
  });

  it('takes only SAMConfiguration first (C106 LowVbat), then everything', () => {
    const host = new HsuTestHost();
    host.write(WAKE_UP);
    host.send([0x02]);
    expect(host.idle(50)).toEqual([]);
    host.command([0x14, 0x01]);
    expect(hex(host.command([0x02]))).toBe('32 01 06 07');
  });

  it('answers the libnfc open sequence byte for byte (fact sheet §5)', () => {
    const host = new HsuTestHost();
    host.write([...WAKE_UP, ...commandFrame([0x14, 0x01])]);
    host.receive(2);
    expect(hex(host.raw)).toBe('00 00 ff 00 ff 00 00 00 ff 02 fe d5 15 16 00');
    expect(hex(host.command(fromHex('00 00 6c 69 62 6e 66 63')))).toBe('00 6c 69 62 6e 66 63');
    expect(hex(host.command([0x02]))).toBe('32 01 06 07');
    expect(hex(host.command([0x12, 0x14]))).toBe('');
    expect(host.command(fromHex('06 63 02 63 03 63 0d 63 38 63 3d')).length).toBe(5);
    host.command([0x08, 0x63, 0x05, 0x40]);
    expect(hex(host.command([0x06, 0x63, 0x05]))).toBe('40');
  });

  it('skips garbage between frames', () => {
    const host = new HsuTestHost();
    host.write([...WAKE_UP, 0x12, 0xff, 0x34, ...commandFrame([0x14, 0x01]), 0x99, 0x00, 0x01, 0xfe]);
    host.receive(2);
    host.write([0xaa, 0x00, 0x00, 0x00]);
    expect(hex(host.command([0x02]))).toBe('32 01 06 07');
  });

  it('does not ACK a frame with a bad checksum, and takes the next good one', () => {
    const host = new HsuTestHost();
    host.open();
    const bad = commandFrame([0x02]);
    bad[bad.length - 2] ^= 0xff;
    host.write(bad);
    expect(host.idle(50)).toEqual([]);
    expect(host.sim.stats.badFrames).toBe(1);
    const badLcs = commandFrame([0x02]);
    badLcs[4] ^= 0x01;
    host.write(badLcs);
    expect(host.idle(50)).toEqual([]);
    expect(hex(host.command([0x02]))).toBe('32 01 06 07');
  });

  it('answers an unknown command and bad parameters with ACK + application error frame', () => {
    const host = new HsuTestHost();
    host.open();
    for (const pd of [[0x7e], [0x14, 0x09], [0x32, 0x01], [0x4a, 0x03, 0x00], [0x10, 0x09], [0x06, 0x63]]) {
      host.send(pd);
      expect(host.receive(2).map((e) => e.kind)).toEqual(['ack', 'error']);
    }
    expect(host.sim.stats.errorFrames).toBe(6);
  });

  it('sends the last response again on NACK', () => {
    const host = new HsuTestHost();
    host.open();
    host.command([0x02]);
    const before = host.raw.length;
    host.write(NACK_FRAME);
    const [again] = host.receive(1);
    expect(again).toEqual({ kind: 'info', body: fromHex('d5 03 32 01 06 07') });
    expect(hex(host.raw.slice(before))).toBe(hex(commandFrame([0x02]).length ? fromHex('00 00 ff 06 fa d5 03 32 01 06 07 e8 00') : []));
  });

  it('leaves out pre- and postamble after SetParameters fRemovePrePostAmble', () => {
    const host = new HsuTestHost();
    host.open();
    host.command([0x12, 0x54]);
    const before = host.raw.length;
    host.send([0x02]);
    host.receive(2);
    expect(hex(host.raw.slice(before))).toBe('00 00 ff 00 ff 00 00 ff 06 fa d5 03 32 01 06 07 e8');
  });

  it('reports general status with the active target', () => {
    const { host } = ready();
    expect(hex(host.command([0x04]))).toBe('00 00 01 01 00 00 00 00');
  });

  it('wakes from PowerDown on HSU and then needs no SAMConfiguration', () => {
    const host = new HsuTestHost({ card: new EmrtdStubCard() });
    host.open();
    expect(hex(host.command([0x16, 0xf0]))).toBe('00');
    host.send([0x02]);
    expect(host.idle(50)).toEqual([]);
    host.write(WAKE_UP);
    expect(hex(host.command([0x02]))).toBe('32 01 06 07');
  });

  it('stays asleep after PowerDown when HSU may not wake it', () => {
    const host = new HsuTestHost();
    host.open();
    host.command([0x16, 0x80]); // I2C only
    host.write([...WAKE_UP, ...commandFrame([0x02])]);
    expect(host.idle(50)).toEqual([]);
  });

  it('switches speed after SetSerialBaudRate once the host ACKs', () => {
    const host = new HsuTestHost();
    host.open();
    expect(hex(host.command([0x10, 0x07]))).toBe('');
    expect(host.hsu.baud).toBe(115200);
    host.write(ACK_FRAME);
    host.idle(5);
    expect(host.hsu.baud).toBe(921600);
    const t0 = host.clock.now();
    expect(hex(host.command([0x02]))).toBe('32 01 06 07');
    // 9 + 6 + 13 bytes at 921600 baud (10.85 µs each) + ACK delay and command time.
    expect(host.clock.now() - t0).toBeLessThan(2);
  });

  it('forgets a pending baud change when another command comes first', () => {
    const host = new HsuTestHost();
    host.open();
    host.command([0x10, 0x06]);
    host.command([0x02]);
    host.write(ACK_FRAME);
    host.idle(5);
    expect(host.hsu.baud).toBe(115200);
  });

  it('comes back from a reset in LowVbat at 115200 baud', () => {
    const host = new HsuTestHost();
    host.open();
    host.command([0x10, 0x05]);
    host.write(ACK_FRAME);
    host.idle(5);
    expect(host.hsu.baud).toBe(230400);
    host.sim.reset();
    expect(host.hsu.baud).toBe(115200);
    host.write([...WAKE_UP, ...commandFrame([0x02])]);
    expect(host.idle(50)).toEqual([]);
    host.command([0x14, 0x01]);
  });
});

describe('PN532 simulator: targets', () => {
  it('lists a type A card with its ATS when automatic RATS is on', () => {
    const host = new HsuTestHost({ card: new EmrtdStubCard() });
    host.open();
    expect(hex(host.command([0x4a, 0x01, 0x00]))).toBe('01 01 00 04 20 04 08 3c 5a 91 06 75 77 81 02 80');
  });

  it('leaves the ATS out without automatic RATS, and the card answers no I-block then', () => {
    const host = new HsuTestHost({ card: new EmrtdStubCard() });
    host.open();
    host.command([0x12, 0x04]);
    expect(hex(host.command([0x4a, 0x01, 0x00]))).toBe('01 01 00 04 20 04 08 3c 5a 91');
    expect(hex(host.command([0x40, 0x01, ...SELECT_EMRTD]))).toBe('01');
  });

  it('reports a 7-byte UID and selects by UID only the matching card', () => {
    const uid = fromHex('04 11 22 33 44 55 66');
    const host = new HsuTestHost({ card: new EmrtdStubCard({ identity: typeAIdentity({ uid, atqa: fromHex('00 44') }) }) });
    host.open();
    host.command([0x32, 0x05, 0x00, 0x01, 0x00]);
    expect(hex(host.command([0x4a, 0x01, 0x00, ...fromHex('04 11 22 33 44 55 67')]))).toBe('00');
    expect(hex(host.command([0x4a, 0x01, 0x00, 0x88, ...uid]))).toBe('01 01 00 44 20 07 04 11 22 33 44 55 66 06 75 77 81 02 80');
  });

  it('finds nothing with bounded retries when the field is empty, or for another type', () => {
    const host = new HsuTestHost({ card: new EmrtdStubCard() });
    host.open();
    host.command([0x32, 0x05, 0x00, 0x01, 0x02]);
    expect(hex(host.command([0x4a, 0x01, 0x03, 0x00]))).toBe('00');
    expect(hex(host.command(fromHex('4a 01 01 00 ff ff 01 00')))).toBe('00');
    host.sim.setCard(null);
    expect(hex(host.command([0x4a, 0x01, 0x00]))).toBe('00');
  });

  it('waits for a card with MxRtyPassiveActivation FF until one is put down', () => {
    const host = new HsuTestHost();
    host.open();
    host.send([0x4a, 0x01, 0x00]);
    expect(host.receive(1)[0].kind).toBe('ack');
    expect(host.idle(2000)).toEqual([]);
    host.sim.setCard(new EmrtdStubCard());
    const [resp] = host.receive(1);
    expect(resp.kind === 'info' && hex(resp.body.subarray(0, 3))).toBe('d5 4b 01');
  });

  it('stops waiting when the host ACKs (abort), and takes the next command', () => {
    const host = new HsuTestHost();
    host.open();
    host.send([0x4a, 0x01, 0x00]);
    host.receive(1);
    host.idle(100);
    host.write(ACK_FRAME);
    host.sim.setCard(new EmrtdStubCard());
    expect(host.idle(500)).toEqual([]);
    expect(hex(host.command([0x02]))).toBe('32 01 06 07');
  });

  it('lists a type B card: ATQB and ATTRIB answer, then exchanges APDUs', () => {
    const host = new HsuTestHost({ card: new TypeBStubCard() });
    host.open();
    host.command([0x32, 0x05, 0x00, 0x01, 0x02]);
    expect(hex(host.command([0x4a, 0x01, 0x00]))).toBe('00');
    expect(hex(host.command([0x4a, 0x01, 0x03, 0x00]))).toBe('01 01 50 1a 2b 3c 4d 00 00 00 00 00 81 71 01 00');
    expect(hex(host.command([0x40, 0x01, ...SELECT_EMRTD]))).toBe('00 90 00');
    expect(hex(host.command([0x4e, 0x01, 0x02, 0x02]))).toBe('26');
  });

  it('does not find a deselected (halted) card again until the field is cycled', () => {
    const card = new EmrtdStubCard();
    const { host } = ready(card);
    host.command([0x32, 0x05, 0x00, 0x01, 0x02]);
    expect(hex(host.command([0x44, 0x00]))).toBe('00');
    expect(hex(host.command([0x4a, 0x01, 0x00]))).toBe('00');
    host.command([0x32, 0x01, 0x00]);
    host.command([0x32, 0x01, 0x01]);
    expect(hex(host.command([0x4a, 0x01, 0x00])).slice(0, 2)).toBe('01');
    expect(card.resets).toBe(2);
  });

  it('re-selects a deselected target with InSelect; InRelease forgets it', () => {
    const { host, card } = ready();
    host.command([0x44, 0x01]);
    expect(hex(host.command([0x40, 0x01, ...SELECT_EMRTD]))).toBe('27');
    expect(hex(host.command([0x54, 0x01]))).toBe('00');
    expect(card.resets).toBe(2);
    expect(hex(host.command([0x40, 0x01, ...SELECT_EMRTD]))).toBe('00 90 00');
    expect(hex(host.command([0x52, 0x01]))).toBe('00');
    expect(hex(host.command([0x54, 0x01]))).toBe('27');
    expect(hex(host.command([0x40, 0x01, ...SELECT_EMRTD]))).toBe('27');
    expect(hex(host.command([0x52, 0x02]))).toBe('27');
  });

  it('finds a card the host never released when it polls again', () => {
    const { host } = ready();
    expect(host.command([0x4a, 0x01, 0x00])[0]).toBe(1);
  });
});

describe('PN532 simulator: InDataExchange', () => {
  it('exchanges the eMRTD SELECT and other APDUs', () => {
    const { host, card } = ready();
    expect(hex(host.command([0x40, 0x01, ...SELECT_EMRTD]))).toBe('00 90 00');
    expect(hex(host.command([0x40, 0x01, 0x00, 0xb0, 0x00, 0x00, 0x10]))).toBe('00 6d 00');
    expect(card.apdus.map(hex)).toEqual([hex(SELECT_EMRTD), '00 b0 00 00 10']);
    expect(host.sim.stats.apdus).toBe(2);
  });

  it('answers a wrong target number with status 0x27', () => {
    const { host } = ready();
    expect(hex(host.command([0x40, 0x02, ...SELECT_EMRTD]))).toBe('27');
  });

  it('hands out an R-APDU over 262 bytes in MI parts (host fetches with `40 01`)', () => {
    const { host } = ready(new EchoCard());
    // READ BINARY, extended Le = 500: 502 bytes with the status word.
    const first = host.command([0x40, 0x01, 0x00, 0xb0, 0x00, 0x00, 0x00, 0x01, 0xf4]);
    expect(first[0]).toBe(0x40);
    expect(first.length).toBe(1 + 262);
    const second = host.command([0x40, 0x01]);
    expect(second[0]).toBe(0x00);
    expect(second.length).toBe(1 + 240);
    const all = [...first.subarray(1), ...second.subarray(1)];
    const want = [...Array.from({ length: 500 }, (_, i) => patternByte(i)), 0x90, 0x00];
    expect(all).toEqual(want);
    expect(host.sim.stats.apdus).toBe(1);
  });

  it('takes a C-APDU in MI parts (host sets MI in Tg) and delivers it whole', () => {
    const { host, card } = ready(new EchoCard());
    const apdu = Uint8Array.from({ length: 300 }, (_, i) => (i * 13) & 0xff);
    apdu[1] = 0xd6; // not READ BINARY: echoed
    expect(hex(host.command([0x40, 0x41, ...apdu.subarray(0, 200)]))).toBe('00');
    expect(card.apdus.length).toBe(0);
    const first = host.command([0x40, 0x01, ...apdu.subarray(200)]);
    expect(first[0]).toBe(0x40);
    const second = host.command([0x40, 0x01]);
    expect([...first.subarray(1), ...second.subarray(1)]).toEqual([...apdu, 0x90, 0x00]);
    expect(card.apdus.map(hex)).toEqual([hex(apdu)]);
  });

  it('accepts 262 bytes of DataOut in one extended frame, refuses 263', () => {
    const { host } = ready(new EchoCard());
    const data = new Uint8Array(262).fill(0x11);
    data[1] = 0xd6;
    expect(host.command([0x40, 0x01, ...data])[0]).toBe(0x40);
    // 263 bytes make a 266-byte body: over the firmware's 265, the frame is dropped unACKed.
    const body = [0xd4, 0x40, 0x01, ...new Uint8Array(263)];
    const dcs = (0x100 - (body.reduce((a, b) => a + b, 0) & 0xff)) & 0xff;
    host.write([0x00, 0x00, 0xff, 0xff, 0xff, 0x01, 0x0a, 0xf5, ...body, dcs, 0x00]);
    expect(host.idle(50)).toEqual([]);
    expect(host.sim.stats.badFrames).toBe(1);
  });

  it('times out (0x01) when the card is mute or taken away mid-exchange', () => {
    const { host } = ready(new MuteCard());
    expect(hex(host.command([0x40, 0x01, ...SELECT_EMRTD]))).toBe('01');

    const card = new EmrtdStubCard({ processingMs: 50 });
    const h2 = ready(card).host;
    h2.send([0x40, 0x01, ...SELECT_EMRTD]);
    h2.receive(1);
    h2.idle(10);
    h2.sim.setCard(null);
    const [resp] = h2.receive(1);
    expect(resp.kind === 'info' && hex(resp.body)).toBe('d5 41 01');
    expect(h2.sim.stats.timeouts).toBe(1);
    // Polling finds nothing while the field is empty.
    h2.command([0x32, 0x05, 0x00, 0x01, 0x02]);
    expect(hex(h2.command([0x4a, 0x01, 0x00]))).toBe('00');
  });

  it('times out when the card leaves on its own', () => {
    const { host, card } = ready();
    card.present = false;
    expect(hex(host.command([0x40, 0x01, ...SELECT_EMRTD]))).toBe('01');
  });

  it('reports injected RF errors (CRC 0x02, format 0x13) without reaching the card', () => {
    const { host, card } = ready();
    host.sim.faults.failNextExchange(0x02).failNextExchange(0x13);
    expect(hex(host.command([0x40, 0x01, ...SELECT_EMRTD]))).toBe('02');
    expect(hex(host.command([0x40, 0x01, ...SELECT_EMRTD]))).toBe('13');
    expect(hex(host.command([0x40, 0x01, ...SELECT_EMRTD]))).toBe('00 90 00');
    expect(card.apdus.length).toBe(1);
  });
});

describe('PN532 simulator: InPSL and InCommunicateThru', () => {
  it('changes bit rate when the ATS allows it, which shortens the air time', () => {
    const { host } = ready(new EchoCard({ processingMs: 0 }));
    const read = [0x40, 0x01, 0x00, 0xb0, 0x00, 0x00, 0xe6];
    host.sim.resetStats();
    host.command(read);
    const at106 = host.sim.stats.airTimeMs;
    expect(hex(host.command([0x4e, 0x01, 0x02, 0x02]))).toBe('00');
    host.sim.resetStats();
    host.command(read);
    expect(host.sim.stats.airTimeMs).toBeLessThan(at106 / 2);
  });

  it('refuses bit rates the ATS does not allow (0x26) and the PN533-only 848 (error frame)', () => {
    const card = new EmrtdStubCard({ identity: typeAIdentity({ ats: fromHex('05 75 00 81 02') }) });
    const { host } = ready(card);
    expect(hex(host.command([0x4e, 0x01, 0x01, 0x01]))).toBe('26');
    expect(hex(host.command([0x4e, 0x01, 0x00, 0x00]))).toBe('00');
    host.send([0x4e, 0x01, 0x03, 0x03]);
    expect(host.receive(2).map((e) => e.kind)).toEqual(['ack', 'error']);
    const same = ready(new EmrtdStubCard({ identity: typeAIdentity({ ats: fromHex('05 75 b3 81 02') }) })).host;
    expect(hex(same.command([0x4e, 0x01, 0x01, 0x02]))).toBe('26');
    expect(hex(same.command([0x4e, 0x01, 0x02, 0x02]))).toBe('00');
  });

  it("answers libnfc's presence check `42 B2` with R(ACK) and times out without a target", () => {
    const { host } = ready();
    expect(hex(host.command([0x42, 0xb2]))).toBe('00 a3');
    host.command([0x40, 0x01, ...SELECT_EMRTD]);
    expect(hex(host.command([0x42, 0xb3]))).toBe('00 a2');
    host.command([0x52, 0x00]);
    expect(hex(host.command([0x42, 0xb2]))).toBe('01');
  });

  it('runs ISO-DEP by hand (nfcpy style): RATS, I-blocks with chaining by FSD, DESELECT', () => {
    const host = new HsuTestHost({ card: new EchoCard() });
    host.open();
    host.command([0x12, 0x00]);
    host.command([0x4a, 0x01, 0x00]);
    expect(hex(host.command([0x42, 0xe0, 0x50]))).toBe('00 06 75 77 81 02 80');
    // READ BINARY of 100 bytes through FSD 64: I-block chained, R(ACK), last I-block.
    const a = host.command([0x42, 0x02, 0x00, 0xb0, 0x00, 0x00, 0x64]);
    expect(hex(a.subarray(0, 2))).toBe('00 12');
    expect(a.length).toBe(1 + 1 + 61);
    const b = host.command([0x42, 0xa3]);
    expect(hex(b.subarray(0, 2))).toBe('00 03');
    expect([...a.subarray(2), ...b.subarray(2)]).toEqual([...Array.from({ length: 100 }, (_, i) => patternByte(i)), 0x90, 0x00]);
    expect(hex(host.command([0x42, 0xc2]))).toBe('00 c2');
    expect(hex(host.command([0x42, 0x03, 0x00, 0xb0, 0x00, 0x00, 0x01]))).toBe('01');
  });
});

describe('PN532 simulator: faults', () => {
  it('drops an ACK, then behaves', () => {
    const { host } = ready();
    host.sim.faults.dropNextAck();
    host.send([0x02]);
    const got = host.receive(1);
    expect(got[0].kind).toBe('info');
    expect(hex(host.command([0x02]))).toBe('32 01 06 07');
  });

  it('corrupts a response (bad DCS); NACK gets the good one', () => {
    const { host } = ready();
    host.sim.faults.corruptNextResponse();
    host.send([0x02]);
    expect(host.receive(2).map((e) => (e.kind === 'bad' ? e.reason : e.kind))).toEqual(['ack', 'dcs']);
    host.write(NACK_FRAME);
    expect(host.receive(1)).toEqual([{ kind: 'info', body: fromHex('d5 03 32 01 06 07') }]);
  });

  it('goes silent for a while, losing what falls in that time', () => {
    const { host } = ready();
    host.sim.faults.silence(100);
    host.send([0x02]);
    expect(host.idle(200)).toEqual([]);
    expect(hex(host.command([0x02]))).toBe('32 01 06 07');
    host.sim.faults.silence();
    host.send([0x02]);
    expect(host.idle(1000)).toEqual([]);
    host.sim.faults.speak();
    expect(hex(host.command([0x02]))).toBe('32 01 06 07');
  });

  it('resets in the middle of a command: ACK, then nothing, then LowVbat', () => {
    const { host } = ready(new EmrtdStubCard({ processingMs: 20 }));
    host.sim.faults.resetDuringNextCommand(2);
    host.send([0x40, 0x01, ...SELECT_EMRTD]);
    expect(host.receive(1)[0].kind).toBe('ack');
    expect(host.idle(500)).toEqual([]);
    host.write([...WAKE_UP, ...commandFrame([0x02])]);
    expect(host.idle(50)).toEqual([]);
    host.command([0x14, 0x01]);
    expect(hex(host.command([0x40, 0x01, ...SELECT_EMRTD]))).toBe('27');
  });

  it('does not reset when the reset was cancelled after the ACK that scheduled it', () => {
    const { host } = ready(new EmrtdStubCard({ processingMs: 20 }));
    host.sim.faults.resetDuringNextCommand(10);
    host.send([0x40, 0x01, ...SELECT_EMRTD]);
    expect(host.receive(1)[0].kind).toBe('ack');
    host.sim.faults.cancelResets();
    expect(host.receive(1)[0].kind).toBe('info'); // the command ran to its end
    expect(hex(host.command([0x40, 0x01, ...SELECT_EMRTD]))).toBe('00 90 00'); // not reset: the card is still listed
  });
});

describe('PN532 simulator: clock model', () => {
  it('hides ISO-DEP chaining: a 230-byte READ BINARY is 4 I-blocks from the card and 3 R(ACK)', () => {
    const { host } = ready(new EchoCard({ processingMs: 3 }));
    host.sim.resetStats();
    const t0 = host.clock.now();
    const r = host.command([0x40, 0x01, 0x00, 0xb0, 0x00, 0x00, 0xe6]);
    const ms = host.clock.now() - t0;
    expect(r.length).toBe(1 + 232);
    const s = host.sim.stats;
    expect(s.iBlocksToCard).toBe(1);
    expect(s.iBlocksFromCard).toBe(4); // 232 bytes, 60 per block (FSD 64 - PCB - CID - CRC)
    expect(s.rBlocks).toBe(3);
    expect(s.airBytesToCard).toBe(2 + 5 + 2 + 3 * 4);
    expect(s.airBytesFromCard).toBe(232 + 4 * 4);
    expect(s.linkBytesToChip).toBe(7 + 8); // frame overhead + D4 and 7 bytes of PD
    expect(s.linkBytesFromChip).toBe(6 + 7 + 235); // ACK, then frame overhead + D5 41 00 + 232
    console.log(`230-byte READ BINARY at 115200 baud / 106 kbit/s: ${ms.toFixed(1)} ms modelled, ${s.airTimeMs.toFixed(1)} ms on air`);
    // The whole exchange is UART + air + card + chip, none of which may be skipped.
    expect(ms).toBeGreaterThan(s.airTimeMs + ((15 + 248) * 10) / 115.2);
  });

  it('asks for S(WTX) when the card works longer than FWT', () => {
    const { host } = ready(new EmrtdStubCard({ processingMs: 200 }));
    host.sim.resetStats();
    host.command([0x40, 0x01, ...SELECT_EMRTD]);
    // ATS TB 81: FWI 8, FWT = 77.3 ms; 200 ms of work needs two extensions.
    expect(host.sim.stats.wtx).toBe(2);
    expect(host.sim.stats.cardProcessingMs).toBe(200);
  });
});
