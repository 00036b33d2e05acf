// A fake reader for tests: a serialport binding whose one port is wired to a device model that
// speaks the real protocol (ReliableLink on its side too) and streams a document's files the
// way protocol/README.md describes. Faults on demand: unplug, garbage on the line, silence,
// another protocol version, hash mismatches, a wrong MRZ.

import { createHash } from 'node:crypto';
import {
  CAP, FILE, MAX_CHUNK_DATA, PROTOCOL_VERSION, ReliableLink,
  type LinkTimers, type Message, type ReadMessage,
} from '@epassport/protocol';
import { parseSod } from '../../src/pa/sod';
import { parseEfCom } from '../../src/lds/ef-com';

const TIMERS: LinkTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout),
};

export interface FakeDeviceOptions {
  /** The chip's files by short EF id. */
  files: { [fileId: number]: Uint8Array };
  /** The BAC fields the chip accepts (else access-denied). */
  documentNumber?: string;
  dateOfBirth?: string;
  dateOfExpiry?: string;
  protocolVersion?: number;
  firmwareVersion?: string;
  board?: string;
  /** Milliseconds before the card "appears" (heartbeats meanwhile); -1: never. */
  cardAfterMs?: number;
  chunkSize?: number;
  /** Does not answer hello. */
  silent?: boolean;
  /** Goes quiet (no message at all) after this many chunks. */
  stallAfterChunks?: number;
  /** Pulls the USB cable after this many chunks. */
  unplugAfterChunks?: number;
  /** Ends every read with this device error after authenticating. */
  failWith?: { code: string; sw?: number; message?: string };
  /** Writes these garbage bytes before every n-th frame. */
  garbage?: { every: number; bytes: Uint8Array };
  /** The passport leaves the field after this many chunks (resume, protocol/README.md): the
   * device reports 'card-lost' (heartbeats every 500 ms), and when the passport is back after
   * `backAfterMs` (null: never) it authenticates again, reports 'resumed' and reads on from the
   * same offset; after `windowMs` (default 10 s) without it, error card-lost. `resendBytes`
   * makes it a faulty device that repeats that many bytes on resuming. */
  loseCard?: { afterChunks: number; backAfterMs: number | null; windowMs?: number; resendBytes?: number };
  /** The Chip Authentication outcome the result reports (protocol CHIP_AUTH; default none). */
  chipAuth?: 'none' | 'ok' | 'failed';
}

export class FakeDevice {
  options: FakeDeviceOptions;
  /** Host messages received, in order (for assertions). */
  readonly received: Message[] = [];
  readsStarted = 0;
  private link: ReliableLink;
  private output: (bytes: Uint8Array) => void = () => {};
  private reading = false;
  private cancelled = false;
  private drained: (() => void) | null = null;
  private frames = 0;
  private chunksSent = 0;
  private versionMismatch = false;
  /** Bumped by every new session (hello, replug): a read of an older session stops silently. */
  private generation = 0;
  onUnplug: () => void = () => {};

  constructor(options: FakeDeviceOptions) {
    this.options = options;
    this.link = this.newLink();
  }

  private newLink(): ReliableLink {
    return new ReliableLink((bytes) => this.write(bytes), TIMERS, {
      onMessage: (m) => this.onMessage(m),
      onDrain: () => {
        const d = this.drained;
        this.drained = null;
        d?.();
      },
    }, { window: 4, retransmitMs: 300 });
  }

  /** A new USB connection: wire output, forget the old link state. */
  attach(output: (bytes: Uint8Array) => void): void {
    this.output = output;
    this.link.reset();
    this.link = this.newLink();
    this.generation++;
    this.reading = false;
    this.chunksSent = 0;
  }

  receive(bytes: Uint8Array): void {
    this.link.receive(bytes);
  }

  private write(bytes: Uint8Array): void {
    const g = this.options.garbage;
    if (g && ++this.frames % g.every === 0) this.output(g.bytes.slice());
    this.output(bytes.slice());
  }

  private onMessage(m: Message): void {
    this.received.push(m);
    if (m.type === 'hello') {
      if (this.options.silent) return;
      this.versionMismatch = m.protocolVersion !== (this.options.protocolVersion ?? PROTOCOL_VERSION);
      this.generation++;
      this.reading = false;
      this.link.send({
        type: 'hello-reply',
        protocolVersion: this.options.protocolVersion ?? PROTOCOL_VERSION,
        firmwareVersion: this.options.firmwareVersion ?? '0.3.1-fake',
        board: this.options.board ?? 'PICO_R1_3',
        capabilities: CAP.BAC | CAP.TYPE_A | CAP.SHA1 | CAP.SHA256 | CAP.RESUME,
        maxPayload: 512,
        nfcFirmware: 0x32010607,
      });
      return;
    }
    if (this.versionMismatch) {
      void this.send({ type: 'error', code: 'protocol-version', sw: 0, fileId: 0, message: 'hello first' });
      return;
    }
    if (m.type === 'cancel') {
      if (this.reading) this.cancelled = true;
      return;
    }
    if (m.type === 'reset') {
      this.cancelled = true;
      return;
    }
    if (m.type === 'read') {
      if (this.reading) {
        void this.send({ type: 'error', code: 'busy', sw: 0, fileId: 0, message: 'a read is running' });
        return;
      }
      this.reading = true;
      this.cancelled = false;
      this.readsStarted++;
      const generation = this.generation;
      void this.runRead(m, generation).finally(() => {
        if (generation === this.generation) this.reading = false;
      });
    }
  }

  /** Sends with back-pressure: waits while the window is full. */
  private async send(m: Message): Promise<void> {
    while (!this.link.send(m)) await new Promise<void>((r) => (this.drained = r));
  }

  private async runRead(m: ReadMessage, generation: number): Promise<void> {
    const o = this.options;
    const stale = () => generation !== this.generation;
    const send = (message: Message) => (stale() ? Promise.resolve() : this.send(message));
    const fail = (code: string, message: string, fileId = 0) => send({ type: 'error', code, sw: 0, fileId, message });
    const stopped = () => this.cancelled && !stale();
    if (!/^[0-9A-Z<]{9,22}$/.test(m.documentNumber) || !/^\d{6}$/.test(m.dateOfBirth) || m.checkDigits.length !== 3) {
      return fail('invalid-mrz', 'document number, dates or check digits malformed');
    }
    const cardAfter = o.cardAfterMs ?? 0;
    const timeout = m.cardTimeoutMs || 10_000;
    const start = Date.now();
    for (;;) {
      const elapsed = Date.now() - start;
      await send({ type: 'progress', phase: 'waiting-for-card', fileId: 0, done: elapsed, total: timeout });
      if (stale()) return;
        if (stopped()) return fail('cancelled', 'cancelled by the host');
      if (cardAfter >= 0 && elapsed >= cardAfter) break;
      if (elapsed >= timeout) return fail('no-card', 'no passport in the field');
      await new Promise((r) => setTimeout(r, Math.min(500, timeout - elapsed + 1)));
    }
    await send({ type: 'progress', phase: 'connecting', fileId: 0, done: 0, total: 0 });
    await send({ type: 'progress', phase: 'authenticating', fileId: 0, done: 0, total: 0 });
    const wrong = (o.documentNumber && m.documentNumber.replace(/<+$/, '') !== o.documentNumber.replace(/<+$/, ''))
      || (o.dateOfBirth && m.dateOfBirth !== o.dateOfBirth) || (o.dateOfExpiry && m.dateOfExpiry !== o.dateOfExpiry);
    if (wrong) return fail('access-denied', 'BAC refused: the MRZ does not match this passport', 0);
    if (o.failWith) return send({ type: 'error', code: o.failWith.code, sw: o.failWith.sw ?? 0, fileId: 0, message: o.failWith.message ?? o.failWith.code });

    const listed = parseEfCom(o.files[FILE.COM]).dataGroups;
    const order = [FILE.COM, FILE.SOD, 1, ...m.dataGroups.filter((g) => g !== 1 && listed.includes(g) && o.files[g])];
    const sod = parseSod(o.files[FILE.SOD]);
    let firstMismatch = 0;
    let bytesRead = 0;
    const chunk = o.chunkSize ?? MAX_CHUNK_DATA;
    let lose = o.loseCard;
    for (const fileId of order) {
      const bytes = o.files[fileId];
      await send({ type: 'file-begin', fileId, length: bytes.length });
      for (let offset = 0, n = 0; offset < bytes.length; offset += chunk, n++) {
        if (stale()) return;
        if (stopped()) return fail('cancelled', 'cancelled by the host');
        if (o.stallAfterChunks !== undefined && this.chunksSent >= o.stallAfterChunks) return; // silence
        if (o.unplugAfterChunks !== undefined && this.chunksSent >= o.unplugAfterChunks) {
          this.onUnplug();
          return;
        }
        if (lose && this.chunksSent >= lose.afterChunks) {
          const away = lose;
          lose = undefined;
          const lostAt = Date.now();
          const where = { fileId, done: offset, total: bytes.length };
          for (;;) {
            await send({ type: 'progress', phase: 'card-lost', ...where });
            if (stale()) return;
            if (stopped()) return fail('cancelled', 'cancelled by the host');
            const elapsed = Date.now() - lostAt;
            if (away.backAfterMs !== null && elapsed >= away.backAfterMs) break;
            if (elapsed >= (away.windowMs ?? 10_000)) return fail('card-lost', '', fileId);
            await new Promise((r) => setTimeout(r, Math.min(500, away.backAfterMs ?? 500)));
          }
          await send({ type: 'progress', phase: 'connecting', fileId: 0, done: 0, total: 0 });
          await send({ type: 'progress', phase: 'authenticating', fileId: 0, done: 0, total: 0 });
          await send({ type: 'progress', phase: 'resumed', ...where });
          if (away.resendBytes) offset = Math.max(0, offset - away.resendBytes);
        }
        await send({ type: 'file-chunk', fileId, offset, data: bytes.subarray(offset, offset + chunk) });
        this.chunksSent++;
        if (n % 4 === 3) await send({ type: 'progress', phase: 'reading', fileId, done: Math.min(bytes.length, offset + chunk), total: bytes.length });
        await new Promise((r) => setImmediate(r));
      }
      bytesRead += bytes.length;
      let verdict = 'not-checked';
      let digest = new Uint8Array(0);
      if (fileId >= 1 && fileId <= 16) {
        digest = new Uint8Array(createHash(sod.lds.hashAlgorithm).update(bytes).digest());
        const expected = sod.lds.dataGroupHashes.get(fileId);
        verdict = !expected ? 'not-in-sod' : Buffer.compare(Buffer.from(expected), Buffer.from(digest)) === 0 ? 'match' : 'mismatch';
        if (verdict === 'mismatch' && !firstMismatch) firstMismatch = fileId;
      }
      await send({ type: 'file-end', fileId, length: bytes.length, verdict, digest });
    }
    if (firstMismatch) return fail('hash-mismatch', 'a data group does not match EF.SOD', firstMismatch);
    await send({ type: 'progress', phase: 'done', fileId: 0, done: bytesRead, total: bytesRead });
    await send({ type: 'result', ok: true, files: order.filter((f) => f <= 16), bytesRead, apdus: Math.ceil(bytesRead / 223) + 8, elapsedMs: Date.now() - start, chipAuth: o.chipAuth });
  }
}

class CanceledError extends Error {
  canceled = true as const;
}

/** The port of the fake binding: bytes from the device wait in `inbox` for serialport's reads. */
class FakePort {
  isOpen = true;
  readonly openOptions: Record<string, unknown>;
  private inbox: Buffer[] = [];
  private pending: { buffer: Buffer; offset: number; length: number; resolve: (r: { buffer: Buffer; bytesRead: number }) => void; reject: (e: Error) => void } | null = null;
  private device: FakeDevice;

  constructor(device: FakeDevice, openOptions: Record<string, unknown>) {
    this.device = device;
    this.openOptions = openOptions;
    device.attach((bytes) => this.deliver(Buffer.from(bytes)));
  }

  private unplugged = false;

  private deliver(data: Buffer): void {
    if (!this.isOpen || this.unplugged) return;
    this.inbox.push(data);
    this.serve();
  }

  private serve(): void {
    if (!this.pending || this.inbox.length === 0) return;
    const p = this.pending;
    this.pending = null;
    const head = this.inbox[0];
    const n = Math.min(p.length, head.length);
    head.copy(p.buffer, p.offset, 0, n);
    if (n === head.length) this.inbox.shift();
    else this.inbox[0] = head.subarray(n);
    p.resolve({ buffer: p.buffer, bytesRead: n });
  }

  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    return new Promise((resolve, reject) => {
      if (!this.isOpen) return reject(new CanceledError('port is closed'));
      if (this.unplugged) return reject(new Error('EIO: device disconnected'));
      this.pending = { buffer, offset, length, resolve, reject };
      setImmediate(() => this.serve());
    });
  }

  async write(buffer: Buffer): Promise<void> {
    if (!this.isOpen) throw new CanceledError('port is closed');
    if (this.unplugged) throw new Error('EIO: device disconnected');
    const copy = Uint8Array.from(buffer);
    setImmediate(() => this.device.receive(copy));
  }

  /** The cable was pulled: the pending read fails with an I/O error (not a cancel). */
  unplug(): void {
    if (this.unplugged) return;
    this.unplugged = true;
    this.device.attach(() => {});
    const p = this.pending;
    this.pending = null;
    p?.reject(new Error('EIO: device disconnected'));
  }

  async close(): Promise<void> {
    this.isOpen = false;
    const p = this.pending;
    this.pending = null;
    p?.reject(new CanceledError('port is closed'));
  }

  async update(): Promise<void> {}
  async set(): Promise<void> {}
  async get() {
    return { cts: true, dsr: true, dcd: true };
  }
  async getBaudRate() {
    return { baudRate: Number(this.openOptions.baudRate) };
  }
  async flush(): Promise<void> {}
  async drain(): Promise<void> {}
}

/** A serialport binding with one fake reader at `path`. */
export class FakeBinding {
  readonly path: string;
  readonly device: FakeDevice;
  plugged = true;
  opens = 0;
  private port: FakePort | null = null;

  constructor(device: FakeDevice, path = '/dev/ttyACM7') {
    this.device = device;
    this.path = path;
    device.onUnplug = () => this.unplug();
  }

  async list() {
    return this.plugged ? [{ path: this.path, manufacturer: 'Espruino', vendorId: '0483', productId: '5740', serialNumber: 'FAKE1' }] : [];
  }

  async open(options: { path: string }): Promise<FakePort> {
    if (!this.plugged || options.path !== this.path) throw new Error('Error: No such file or directory, cannot open ' + options.path);
    this.opens++;
    this.port = new FakePort(this.device, { ...options });
    return this.port;
  }

  unplug(): void {
    this.plugged = false;
    this.port?.unplug();
  }

  replug(): void {
    this.plugged = true;
  }
}
