// A Card whose APDUs go to an external card emulator over the vsmartcard "vpcd" protocol: we
// are the reader side (vpcd) and listen on TCP (default port 35963); the emulator (vicc)
// connects. Every message is a 2-byte big-endian length and a payload. One-byte payloads are
// control: 00 power off, 01 power on, 02 reset (no answer), 04 get ATR (answer: the ATR). Any
// other payload is a C-APDU, answered by its R-APDU.
// The contactless identity (ATQA, SAK, UID, ATS) is ours to give: vpcd carries none.

import { createServer, type Server, type Socket } from 'node:net';
import type { Card, CardReply, TypeAIdentity, TypeBIdentity } from './card';

export const VPCD_PORT = 35963;

export const VPCD_CONTROL = { PowerOff: 0x00, PowerOn: 0x01, Reset: 0x02, GetAtr: 0x04 } as const;

export interface VpcdCardOptions {
  /** TCP port; 0 picks a free one (see `port`). Default 35963. */
  port?: number;
  /** Listen address; default 127.0.0.1 (loopback only). */
  host?: string;
  /** Contactless activation data reported by the PN532 model; default a passport-like type A. */
  identity?: TypeAIdentity | TypeBIdentity;
  /** Card processing time to report per APDU, ms (wall time spent in the emulator is not
   * modelled time). Default 0. */
  processingMs?: number;
  /** Give up on an answer after this many ms of wall time: the card counts as mute. Default 5000. */
  answerTimeoutMs?: number;
}

export class VpcdError extends Error {
  constructor(
    readonly code: 'vpcd-not-connected' | 'vpcd-timeout' | 'vpcd-closed',
    message: string,
  ) {
    super(message);
    this.name = 'VpcdError';
  }
}

const DEFAULT_IDENTITY: TypeAIdentity = {
  type: 'A',
  atqa: Uint8Array.of(0x00, 0x04),
  sak: 0x20,
  uid: Uint8Array.of(0x08, 0x11, 0x22, 0x33),
  ats: Uint8Array.of(0x06, 0x75, 0x77, 0x81, 0x02, 0x80),
};

interface Waiter {
  resolve: (payload: Uint8Array | null) => void;
  timer: NodeJS.Timeout;
}

export class VpcdCard implements Card {
  readonly identity: TypeAIdentity | TypeBIdentity;
  private server: Server;
  private socket: Socket | null = null;
  private rx = new Uint8Array(0);
  private waiters: Waiter[] = [];
  /** Answers still owed for requests that timed out: dropped when they come. */
  private late = 0;
  /** Requests are strictly one at a time: each waits for the previous answer. */
  private chain: Promise<unknown> = Promise.resolve();
  private connectListeners: Array<() => void> = [];
  private processingMs: number;
  private answerTimeoutMs: number;

  private constructor(server: Server, options: VpcdCardOptions) {
    this.server = server;
    this.identity = options.identity ?? DEFAULT_IDENTITY;
    this.processingMs = options.processingMs ?? 0;
    this.answerTimeoutMs = options.answerTimeoutMs ?? 5000;
    server.on('connection', (s) => this.onConnection(s));
  }

  /** Starts listening; resolves once the port is open. */
  static listen(options: VpcdCardOptions = {}): Promise<VpcdCard> {
    const server = createServer();
    const card = new VpcdCard(server, options);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? VPCD_PORT, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve(card);
      });
    });
  }

  /** The TCP port listened on. */
  get port(): number {
    const a = this.server.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  get connected(): boolean {
    return this.socket !== null;
  }

  /** Resolves when a vicc is connected. */
  waitForVicc(): Promise<void> {
    if (this.socket) return Promise.resolve();
    return new Promise((r) => this.connectListeners.push(r));
  }

  /** The card is "in the field" while an emulator is connected. */
  isPresent(): boolean {
    return this.socket !== null;
  }

  /** Field on / activation: power the virtual card on afresh. */
  reset(): void {
    if (!this.socket) return;
    this.send(Uint8Array.of(VPCD_CONTROL.PowerOff));
    this.send(Uint8Array.of(VPCD_CONTROL.PowerOn));
  }

  powerOff(): void {
    if (this.socket) this.send(Uint8Array.of(VPCD_CONTROL.PowerOff));
  }

  /** The emulator's ATR (contact-card view). */
  atr(): Promise<Uint8Array> {
    return this.request(Uint8Array.of(VPCD_CONTROL.GetAtr)).then((r) => {
      if (!r) throw new VpcdError('vpcd-timeout', 'no ATR from the vicc');
      return r;
    });
  }

  transceive(apdu: Uint8Array): Promise<CardReply | null> {
    if (apdu.length <= 1) {
      // A one-byte payload would read as a control message; no valid APDU is that short.
      return Promise.resolve(null);
    }
    return this.request(apdu.slice()).then((r) => (r ? { response: r, processingMs: this.processingMs } : null));
  }

  async close(): Promise<void> {
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.resolve(null);
    }
    this.socket?.destroy();
    this.socket = null;
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private onConnection(s: Socket): void {
    if (this.socket) {
      // One virtual card at a time.
      s.destroy();
      return;
    }
    this.socket = s;
    s.setNoDelay(true);
    s.on('data', (chunk: Buffer) => this.onData(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
    const gone = () => {
      if (this.socket !== s) return;
      this.socket = null;
      this.rx = new Uint8Array(0);
      this.late = 0;
      for (const w of this.waiters.splice(0)) {
        clearTimeout(w.timer);
        w.resolve(null);
      }
    };
    s.on('close', gone);
    s.on('error', gone);
    for (const l of this.connectListeners.splice(0)) l();
  }

  private onData(chunk: Uint8Array): void {
    const all = new Uint8Array(this.rx.length + chunk.length);
    all.set(this.rx);
    all.set(chunk, this.rx.length);
    let p = 0;
    while (all.length - p >= 2) {
      const n = (all[p] << 8) | all[p + 1];
      if (all.length - p - 2 < n) break;
      const payload = all.slice(p + 2, p + 2 + n);
      p += 2 + n;
      if (this.late > 0) {
        this.late--;
        continue;
      }
      const w = this.waiters.shift();
      if (w) {
        clearTimeout(w.timer);
        w.resolve(payload);
      }
    }
    this.rx = all.slice(p);
  }

  private send(payload: Uint8Array): void {
    const msg = new Uint8Array(2 + payload.length);
    msg[0] = payload.length >> 8;
    msg[1] = payload.length & 0xff;
    msg.set(payload, 2);
    this.socket!.write(msg);
  }

  /** Sends a payload that expects an answer; null when the vicc is gone or silent. */
  private request(payload: Uint8Array): Promise<Uint8Array | null> {
    const run = () =>
      new Promise<Uint8Array | null>((resolve) => {
        if (!this.socket) return resolve(null);
        const timer = setTimeout(() => {
          const i = this.waiters.findIndex((w) => w.timer === timer);
          if (i >= 0) this.waiters.splice(i, 1);
          this.late++;
          resolve(null);
        }, this.answerTimeoutMs);
        this.waiters.push({ resolve, timer });
        this.send(payload);
      });
    const p = this.chain.then(run, run);
    this.chain = p;
    return p;
  }
}
