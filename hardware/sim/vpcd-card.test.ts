import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { VpcdCard, VPCD_CONTROL } from './vpcd-card';
import { RealClock } from './clock';
import { Pn532Simulator } from './pn532/pn532-simulator';
import { HsuTransport } from './pn532/hsu-transport';
import { FrameParser, commandFrame, type FrameEvent } from './pn532/frames';
import { WAKE_UP, fromHex, hex } from './pn532/hsu-test-host';

/** A tiny vicc: answers GET ATR, records control bytes, answers APDUs with `answer`. */
class TestVicc {
  readonly controls: number[] = [];
  readonly apdus: string[] = [];
  private rx = Buffer.alloc(0);
  socket!: Socket;
  constructor(private answer: (apdu: Uint8Array) => Uint8Array | null) {}

  connect(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket = connect({ host: '127.0.0.1', port }, () => resolve());
      this.socket.once('error', reject);
      this.socket.on('data', (d) => this.onData(d));
    });
  }

  private onData(d: Buffer): void {
    this.rx = Buffer.concat([this.rx, d]);
    while (this.rx.length >= 2) {
      const n = this.rx.readUInt16BE(0);
      if (this.rx.length < 2 + n) return;
      const payload = new Uint8Array(this.rx.subarray(2, 2 + n));
      this.rx = this.rx.subarray(2 + n);
      if (n === 1) {
        this.controls.push(payload[0]);
        if (payload[0] === VPCD_CONTROL.GetAtr) this.send(fromHex('3b 80 80 01 01'));
        continue;
      }
      this.apdus.push(hex(payload));
      const r = this.answer(payload);
      if (r) this.send(r);
    }
  }

  send(payload: Uint8Array): void {
    const head = Buffer.alloc(2);
    head.writeUInt16BE(payload.length);
    this.socket.write(Buffer.concat([head, payload]));
  }
}

const SELECT = fromHex('00 a4 04 0c 07 a0 00 00 02 47 10 01');
const stub = (apdu: Uint8Array) => (hex(apdu) === hex(SELECT) ? fromHex('90 00') : fromHex('6d 00'));

let card: VpcdCard | null = null;
let vicc: TestVicc | null = null;
afterEach(async () => {
  vicc?.socket.destroy();
  await card?.close();
  card = null;
  vicc = null;
});

async function setup(answer: (apdu: Uint8Array) => Uint8Array | null = stub, options: { answerTimeoutMs?: number } = {}) {
  card = await VpcdCard.listen({ port: 0, ...options });
  vicc = new TestVicc(answer);
  await vicc.connect(card.port);
  await card.waitForVicc();
  return { card, vicc };
}

describe('VpcdCard (vpcd side of the vsmartcard protocol)', () => {
  it('listens on loopback; absent until a vicc connects', async () => {
    card = await VpcdCard.listen({ port: 0 });
    expect(card.port).toBeGreaterThan(0);
    expect(card.isPresent()).toBe(false);
    expect(await card.transceive(SELECT)).toBeNull();
    vicc = new TestVicc(stub);
    await vicc.connect(card.port);
    await card.waitForVicc();
    expect(card.isPresent()).toBe(true);
  });

  it('sends APDUs with a 2-byte length and returns the answers in order', async () => {
    const { card, vicc } = await setup();
    const [a, b] = await Promise.all([card.transceive(SELECT), card.transceive(fromHex('00 b0 00 00 04'))]);
    expect(hex(a!.response)).toBe('90 00');
    expect(hex(b!.response)).toBe('6d 00');
    expect(vicc.apdus).toEqual([hex(SELECT), '00 b0 00 00 04']);
  });

  it('powers the card off and on at reset, and gets the ATR', async () => {
    const { card, vicc } = await setup();
    card.reset();
    expect(hex(await card.atr())).toBe('3b 80 80 01 01');
    expect(vicc.controls).toEqual([VPCD_CONTROL.PowerOff, VPCD_CONTROL.PowerOn, VPCD_CONTROL.GetAtr]);
  });

  it('reports a silent vicc as mute and drops its late answer', async () => {
    let n = 0;
    const { card, vicc } = await setup(
      (apdu) => {
        n++;
        if (n === 1) {
          setTimeout(() => vicc.send(fromHex('61 00')), 150);
          return null;
        }
        return stub(apdu);
      },
      { answerTimeoutMs: 100 },
    );
    expect(await card.transceive(SELECT)).toBeNull();
    await new Promise((r) => setTimeout(r, 100));
    expect(hex((await card.transceive(SELECT))!.response)).toBe('90 00');
  });

  it('counts as removed when the vicc disconnects', async () => {
    const { card, vicc } = await setup();
    vicc.socket.destroy();
    while (card.isPresent()) await new Promise((r) => setTimeout(r, 5));
    expect(await card.transceive(SELECT)).toBeNull();
  });

  it('serves as the card of the PN532 simulator (async transceive)', async () => {
    const { card, vicc } = await setup();
    const sim = new Pn532Simulator({ clock: new RealClock(), card });
    const hsu = new HsuTransport(sim);
    const frames: FrameEvent[] = [];
    const parser = new FrameParser((e) => frames.push(e));
    hsu.onData((d) => parser.push(d));
    const command = async (pd: ArrayLike<number>) => {
      const from = frames.length;
      hsu.write(commandFrame(pd));
      while (frames.length < from + 2) await new Promise((r) => setTimeout(r, 2));
      const resp = frames[from + 1];
      return resp.kind === 'info' ? hex(resp.body.subarray(2)) : resp.kind;
    };
    hsu.write(WAKE_UP);
    await command([0x14, 0x01]);
    expect(await command([0x4a, 0x01, 0x00])).toBe('01 01 00 04 20 04 08 11 22 33 06 75 77 81 02 80');
    expect(await command([0x40, 0x01, ...SELECT])).toBe('00 90 00');
    expect(vicc.controls).toEqual([VPCD_CONTROL.PowerOff, VPCD_CONTROL.PowerOn]);
    vicc.socket.destroy();
    while (card.isPresent()) await new Promise((r) => setTimeout(r, 5));
    expect(await command([0x40, 0x01, ...SELECT])).toBe('01');
  });
});
