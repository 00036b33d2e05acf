// The firmware's own JavaScript paths, bundled (NATIVE_ONLY, like a device bundle) for the real
// Espruino interpreter, where `npm run bench:device` counts them under callgrind. The native
// entries are replaced by no-op JS stubs of the same shape (stubs.js): the count is the
// interpreted JavaScript AROUND the native calls, not the crypto (that is native-counts.json).
//
// `run(op, n, print)`: the op's setup and one warm-up, then `n` more of the op. The driver runs
// n = 0 and n = N and divides the difference by N x units (units: blocks, exchanges, frames).

import { encodePayload, FrameEncoder, messageCode, type Message } from '@epassport/protocol';
import { createHash } from '../../../firmware/src/crypto/hash';
import type { ApduCallback, ApduChannel } from '../../../firmware/src/icao/apdu-channel';
import { readFile } from '../../../firmware/src/icao/file-reader';
import { SecureMessagingChannel } from '../../../firmware/src/icao/secure-messaging';
import { installNativeFraming } from '../../../firmware/src/native/framing';
import { buildFrame } from '../../../firmware/src/pn532/frames';
import { HsuTransport } from '../../../firmware/src/pn532/hsu';
import { Pn532 } from '../../../firmware/src/pn532/pn532';

const ACK = new Uint8Array([0, 0, 0xff, 0, 0xff, 0]);
/** InDataExchange answers at most 262 bytes of R-APDU per part (PN532 UM §7.3.8). */
const PART = 262;

function smSession(inner: ApduChannel): SecureMessagingChannel {
  return new SecureMessagingChannel(inner, new Uint8Array(16).fill(1), new Uint8Array(16).fill(2), new Uint8Array(8));
}

/** A protected answer carrying `plain` (DO87 with padding, DO99 9000, DO8E of zeros: what the
 * stubbed MAC computes, so it verifies) and 9000. With stubbed DES the "cryptogram" is the
 * padded plain text itself. */
function protectedResponse(plain: Uint8Array): Uint8Array {
  const padded = (plain.length & ~7) + 8;
  const v = padded + 1;
  const lenBytes = v < 0x80 ? 1 : v < 0x100 ? 2 : 3;
  const out = new Uint8Array(1 + lenBytes + v + 4 + 10 + 2);
  let p = 0;
  out[p++] = 0x87;
  if (lenBytes === 2) out[p++] = 0x81;
  if (lenBytes === 3) {
    out[p++] = 0x82;
    out[p++] = v >> 8;
  }
  out[p++] = v & 0xff;
  out[p++] = 1;
  out.set(plain, p);
  out[p + plain.length] = 0x80;
  p += padded;
  out.set([0x99, 2, 0x90, 0, 0x8e, 8], p);
  p += 14;
  out[p++] = 0x90;
  out[p] = 0;
  return out;
}

/** PN532 response frames (D5 41 status part) for one R-APDU, in MI parts. */
function responseFrames(rapdu: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let at = 0; at < rapdu.length; at += PART) {
    const n = Math.min(PART, rapdu.length - at);
    const pd = new Uint8Array(n + 2);
    pd[0] = 0x41;
    pd[1] = at + n < rapdu.length ? 0x40 : 0;
    pd.set(rapdu.subarray(at, at + n), 2);
    const f = new Uint8Array(n + 12);
    frames.push(f.subarray(0, buildFrame(f, 0xd5, pd, 0, pd.length)));
  }
  return frames;
}

/** A chip behind a PN532 on HSU: answers READ BINARY of a file (TLV header, zeros) under the
 * stubbed SM, each answer as ACK then response frame, fed one event later as a UART would.
 * Answers are built once per (offset 0, Le) and cached: the measured runs only look them up. */
class FakeChip {
  transport: HsuTransport;
  exchanges = 0;
  /** Extended-length READ BINARY among them (Le > 256). */
  extended = 0;
  private _file: Uint8Array;
  private _cache: { [key: string]: Uint8Array[] } = {};
  private _pending: Uint8Array[] = [];

  constructor(fileLength: number) {
    this._file = new Uint8Array(fileLength);
    this._file.set([0x75, 0x82, (fileLength - 4) >> 8, (fileLength - 4) & 0xff], 0);
    this.transport = new HsuTransport({ write: (d) => this._write(d) }, 115200, () => undefined);
  }

  private _write(frame: Uint8Array): void {
    if (frame[0] === 0x55) return; // wake-up preamble
    const len = frame[3];
    if (len === 3) {
      // 40 01: the next MI part
      this._deliver(this._pending.shift() as Uint8Array);
      return;
    }
    // D4 40 01 C-APDU: CLA INS P1 P2 Lc 97 L Le.. 8E 08 .. 00
    const apdu = frame.subarray(8, 5 + len);
    const offset = apdu[2] & 0x80 ? apdu[3] : (apdu[2] << 8) | apdu[3];
    const ext = apdu[4] === 0;
    const le = ext ? (apdu[9] << 8) | apdu[10] : apdu[7];
    const key = (offset ? 'b' : 'h') + le;
    let parts = this._cache[key];
    if (!parts) parts = this._cache[key] = responseFrames(protectedResponse(this._file.subarray(offset, offset + le)));
    this.exchanges++;
    if (le > 256) this.extended++;
    this._pending = parts.slice(1);
    this._deliver(parts[0]);
  }

  private _deliver(frame: Uint8Array): void {
    const t = this.transport;
    setTimeout(() => {
      t.feed(ACK);
      t.feed(frame);
    }, 0);
  }
}

const TIMERS = {
  now: () => getTime() * 1000,
  setTimeout: (fn: () => void, ms: number): unknown => setTimeout(fn, ms),
  clearTimeout: (id: unknown) => clearTimeout(id as number),
};

function pn532On(chip: FakeChip): Pn532 {
  const pn = new Pn532(chip.transport, TIMERS, {});
  pn.target = { tg: 1 } as Pn532['target'];
  return pn;
}

/** Reads the whole file `times` times through readFile > SM > PN532 > HSU, hashing the data as
 * the read session does; then `done()`. */
function readTimes(chip: FakeChip, sm: SecureMessagingChannel, extended: boolean, times: number, done: () => void): void {
  if (times <= 0) {
    done();
    return;
  }
  const h = createHash('sha256');
  const sink = { begin: () => undefined, chunk: (d: Uint8Array) => h.update(d), end: () => undefined };
  readFile(sm, 2, sink, { maxFileLength: 65536, extendedBlock: extended ? 2048 : 0 }, (err) => {
    if (err) throw new Error('read failed: ' + err.code);
    h.digest();
    readTimes(chip, sm, extended, times - 1, done);
  });
}

/** Runs `op` once as warm-up, then `n` times; prints "<op> <units per run>" at the end. */
export function run(op: string, n: number, print: (line: string) => void): void {
  installNativeFraming();
  if (op === 'sm-wrap') {
    const sm = smSession({ transceive: () => undefined });
    const cmd = new Uint8Array([0, 0xb0, 0, 0xdf, 0xef]);
    for (let i = 0; i <= n; i++) sm.wrap(cmd);
    print(op + ' 1');
  } else if (op === 'sm-unwrap-239' || op === 'sm-unwrap-2048') {
    const sm = smSession({ transceive: () => undefined });
    const r = protectedResponse(new Uint8Array(op === 'sm-unwrap-239' ? 239 : 2048));
    for (let i = 0; i <= n; i++) sm.unwrap(r);
    print(op + ' 1');
  } else if (op === 'read-239' || op === 'read-2048') {
    // 14,336 bytes: 60 short blocks or 7 extended ones (+ the first block of the header).
    const chip = new FakeChip(14336);
    const sm = smSession(pn532On(chip));
    const ext = op === 'read-2048';
    readTimes(chip, sm, ext, 1, () => {
      const before = chip.exchanges;
      const extBefore = chip.extended;
      // "<op> <exchanges per read> <extended ones among them>"
      readTimes(chip, sm, ext, n, () => print(op + ' ' + (n ? (chip.exchanges - before) / n : 0) + ' ' + (n ? (chip.extended - extBefore) / n : 0)));
    });
  } else if (op === 'pn532-exchange') {
    // The PN532 driver and HSU framing alone: a 19-byte C-APDU, a 260-byte R-APDU.
    const chip = new FakeChip(14336);
    const pn = pn532On(chip);
    const cmd = smSession({ transceive: () => undefined }).wrap(new Uint8Array([0, 0xb0, 0, 0xdf, 0xef]));
    let left = n + 1;
    const next: ApduCallback = (err) => {
      if (err) throw new Error('exchange failed: ' + err.code);
      if (--left > 0) pn.transceive(cmd, next);
      else print(op + ' 1');
    };
    pn.transceive(cmd, next);
  } else if (op === 'host-frame') {
    // One file-chunk frame of a full payload to the host: codec, CRC and COBS seams, frame.
    const enc = new FrameEncoder();
    const buf = new Uint8Array(512);
    const m: Message = { type: 'file-chunk', fileId: 2, offset: 0, data: new Uint8Array(507) };
    for (let i = 0; i <= n; i++) enc.encode(messageCode(m), i & 0xff, encodePayload(m, buf));
    print(op + ' 1');
  } else throw new Error('unknown op ' + op);
}
