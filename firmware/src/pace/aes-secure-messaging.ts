// AES secure messaging (9303-11 §9.8 with §9.8.6.2 and BSI TR-03110-3 §F.2), after PACE or Chip
// Authentication: the 3DES channel's twin (../icao/secure-messaging.ts) with a 16-byte block.
//   SSC: 16 bytes, 0 after PACE/CA, incremented before each command and each response.
//   Encryption: AES-CBC(KSenc) with IV = AES(KSenc, SSC), padding method 2 to 16 bytes.
//   MAC: AES-CMAC(KSmac) over SSC || pad16(CLA' INS P1 P2) || pad16(DO'87' || DO'97'), first 8 bytes;
//        a response's over SSC || pad16(DO'87' || DO'99').
// It is a separate class, not a parameter of the 3DES one, so that a board without PACE (the
// Pico) stores none of it. Same rules as the 3DES channel: the response MAC is checked before
// anything is decrypted; a MAC or structure failure is 'sm-failure' and ends the session; a bare
// error status word is passed up and ends the session (the chip's SSC is unknown).

import { equalBytes } from '../crypto/retail-mac';
import { wipeBytes } from '../native/wipe';
import type { ApduCallback, ApduChannel } from '../icao/apdu-channel';
import { IcaoError, SW, asIcaoError, hex4, statusWord } from '../icao/errors';
import { newTlv, readTlv } from '../icao/tlv';
import type { PaceBlockCipher, PaceCmac, PaceCrypto } from './pace-crypto';
import { putLength } from './general-authenticate';

function smFailure(message: string, sw?: number): IcaoError {
  return new IcaoError('sm-failure', message, sw);
}

/** Length after ISO/IEC 9797-1 padding method 2 to 16-byte blocks. */
function padded16(n: number): number {
  return (n + 16) & ~15;
}

function increment(ssc: Uint8Array): void {
  for (let i = ssc.length - 1; i >= 0; i--) {
    ssc[i] = (ssc[i] + 1) & 0xff;
    if (ssc[i] !== 0) break;
  }
}

function decrement(ssc: Uint8Array): void {
  for (let i = ssc.length - 1; i >= 0; i--) {
    ssc[i] = (ssc[i] - 1) & 0xff;
    if (ssc[i] !== 0xff) break;
  }
}

/** 80 00 ... : the padding of a 4-byte header, or the tail of the last block. */
const PAD = new Uint8Array(16);
PAD[0] = 0x80;

export class AesSecureMessagingChannel implements ApduChannel {
  private _inner: ApduChannel;
  private _cipher: PaceBlockCipher | null;
  private _mac: PaceCmac | null;
  /** The 16-byte send sequence counter (owned and wiped by this object). */
  readonly ssc: Uint8Array;
  private _iv: Uint8Array;
  private _open: boolean;
  readBlock?: number;
  shortIds?: boolean;

  /** Keys are copied into the cipher and CMAC; the caller wipes its own arrays. */
  constructor(inner: ApduChannel, crypto: PaceCrypto, ksEnc: Uint8Array, ksMac: Uint8Array) {
    this._inner = inner;
    this._cipher = crypto.aes(ksEnc);
    this._mac = crypto.cmac(ksMac);
    this.ssc = new Uint8Array(16);
    this._iv = new Uint8Array(16);
    this._open = true;
  }

  /** Pipelining (apdu-channel.ts AheadSource) is not done over AES SM: one command at a time,
   * so readFile simply gets no command sent ahead. */
  setAhead(): void {}

  isOpen(): boolean {
    return this._open;
  }

  wipe(): void {
    this._open = false;
    if (this._cipher) this._cipher.wipe();
    if (this._mac) this._mac.wipe();
    this._cipher = null;
    this._mac = null;
    wipeBytes(this.ssc);
    wipeBytes(this._iv);
  }

  /** MAC over SSC || data[from..to) padded; the tag is written at out[at..at+8). */
  private _macOver(data: Uint8Array, from: number, to: number, header: boolean, out: Uint8Array, at: number): void {
    const mac = this._mac!;
    mac.update(this.ssc);
    if (header) {
      mac.update(data, 0, 4);
      mac.update(PAD, 0, 12);
    }
    mac.update(data, from, to - from);
    mac.update(PAD, 0, 16 - ((to - from) & 15));
    mac.final8(out, at);
  }

  /** Protects a plain command APDU (short cases 1-4, extended case 2/4 as the 3DES channel). */
  wrap(apdu: Uint8Array): Uint8Array {
    if (!this._open) throw smFailure('secure messaging session has ended');
    const n = apdu.length;
    if (n < 4) throw new IcaoError('internal', 'command APDU shorter than 4 bytes');
    let lc = 0;
    let le = -1;
    let at = 5;
    const ext = n >= 7 && apdu[4] === 0;
    if (ext && n > 7) {
      lc = (apdu[5] << 8) | apdu[6];
      at = 7;
      if (lc === 0 || n !== 9 + lc) throw new IcaoError('internal', 'not an extended case 4 APDU');
      le = (apdu[7 + lc] << 8) | apdu[8 + lc];
    } else if (ext) {
      le = (apdu[5] << 8) | apdu[6];
    } else if (n === 5) {
      le = apdu[4];
    } else if (n > 5) {
      lc = apdu[4];
      if (lc === 0 || (n !== 5 + lc && n !== 6 + lc)) throw new IcaoError('internal', 'not a short command APDU');
      if (n === 6 + lc) le = apdu[5 + lc];
    }
    if ((apdu[0] & 0x0c) === 0x0c) throw new IcaoError('internal', 'command is already protected');
    const odd = (apdu[1] & 1) === 1;
    const cLen = lc ? padded16(lc) : 0;
    const value = cLen + (odd ? 0 : 1);
    const do8xLen = lc ? 1 + (value < 128 ? 1 : value < 256 ? 2 : 3) + value : 0;
    const bodyLen = do8xLen + (le >= 0 ? (ext ? 4 : 3) : 0) + 10;
    if (bodyLen > 255) throw new IcaoError('unsupported', 'protected command exceeds a short APDU');
    const head = ext ? 7 : 5;
    const out = new Uint8Array(head + bodyLen + (ext ? 2 : 1));
    out[0] = apdu[0] | 0x0c;
    out[1] = apdu[1];
    out[2] = apdu[2];
    out[3] = apdu[3];
    out[head - 1] = bodyLen;
    let pos = head;
    increment(this.ssc);
    if (lc) {
      out[pos++] = odd ? 0x85 : 0x87;
      pos = putLength(out, pos, value);
      if (!odd) out[pos++] = 0x01;
      const c = out.subarray(pos, pos + cLen);
      c.set(apdu.subarray(at, at + lc), 0);
      c[lc] = 0x80;
      this._cipher!.encryptBlock(this.ssc, this._iv);
      this._cipher!.cbc(this._iv, c, false);
      pos += cLen;
    }
    if (le >= 0) {
      out[pos++] = 0x97;
      if (ext) {
        out[pos++] = 2;
        out[pos++] = le >> 8;
      } else {
        out[pos++] = 1;
      }
      out[pos++] = le;
    }
    out[pos] = 0x8e;
    out[pos + 1] = 8;
    this._macOver(out, head, pos, true, out, pos + 2);
    return out;
  }

  /** Checks and opens a protected response: plain data followed by the status word. */
  unwrap(response: Uint8Array): Uint8Array {
    if (!this._open) throw smFailure('secure messaging session has ended');
    try {
      return this._unwrapOpen(response);
    } catch (e) {
      const err = asIcaoError(e);
      if (err.code === 'sm-failure') this.wipe();
      throw err;
    }
  }

  private _unwrapOpen(response: Uint8Array): Uint8Array {
    const n = response.length;
    if (n < 2) throw smFailure('response shorter than a status word');
    increment(this.ssc);
    const outerSw = statusWord(response);
    if (n === 2) {
      if (outerSw === SW.SM_MISSING || outerSw === SW.SM_INCORRECT) throw smFailure('chip reports a secure-messaging error ' + hex4(outerSw), outerSw);
      const hi = outerSw >> 8;
      if (outerSw === SW.OK || hi === 0x61 || hi === 0x62 || hi === 0x63) throw smFailure('unprotected status word ' + hex4(outerSw), outerSw);
      this.wipe();
      return response;
    }
    const end = n - 2;
    const t = newTlv();
    let pos = 0;
    let cStart = -1;
    let cEnd = 0;
    let cTag = 0;
    let swStart = -1;
    let macStart = -1;
    while (pos < end) {
      readTlv(response, pos, end, t, 'sm-failure');
      if (macStart >= 0) throw smFailure('data object after DO8E');
      if (t.tag === 0x87 || t.tag === 0x85) {
        if (cStart >= 0 || swStart >= 0) throw smFailure('misplaced cryptogram');
        cStart = t.valueOffset;
        cEnd = t.end;
        cTag = t.tag;
      } else if (t.tag === 0x99) {
        if (swStart >= 0 || t.length !== 2) throw smFailure('malformed DO99');
        swStart = t.valueOffset;
      } else if (t.tag === 0x8e) {
        if (t.length !== 8) throw smFailure('malformed DO8E');
        macStart = pos;
      } else {
        throw smFailure('unexpected data object in protected response');
      }
      pos = t.end;
    }
    if (macStart < 0) throw smFailure('response has no MAC (DO8E)');
    if (swStart < 0 && outerSw !== SW.OK) throw smFailure('response has no status (DO99)');
    const tag = new Uint8Array(8);
    this._macOver(response, 0, macStart, false, tag, 0);
    if (!equalBytes(tag, 0, response, macStart + 2, 8)) throw smFailure('response MAC does not verify');
    let dataLen = 0;
    let plain: Uint8Array | null = null;
    if (cStart >= 0) {
      let c = cStart;
      if (cTag === 0x87) {
        if (c >= cEnd || response[c] !== 0x01) throw smFailure('DO87 without padding indicator 01');
        c++;
      }
      const cLen = cEnd - c;
      if (cLen < 16 || (cLen & 15)) throw smFailure('cryptogram length is not a positive multiple of 16');
      plain = new Uint8Array(response.subarray(c, cEnd));
      this._cipher!.encryptBlock(this.ssc, this._iv);
      this._cipher!.cbc(this._iv, plain, true);
      let i = cLen - 1;
      while (i >= cLen - 16 && plain[i] === 0) i--;
      if (i < cLen - 16 || plain[i] !== 0x80) {
        plain.fill(0);
        throw smFailure('cryptogram padding is wrong');
      }
      dataLen = i;
    }
    const out = new Uint8Array(dataLen + 2);
    if (plain) {
      out.set(plain.subarray(0, dataLen), 0);
      plain.fill(0);
    }
    const swAt = swStart < 0 ? end : swStart;
    out[dataLen] = response[swAt];
    out[dataLen + 1] = response[swAt + 1];
    return out;
  }

  transceive(apdu: Uint8Array, callback: ApduCallback): void {
    let wrapped: Uint8Array;
    try {
      wrapped = this.wrap(apdu);
    } catch (e) {
      callback(asIcaoError(e), null);
      return;
    }
    this._inner.transceive(wrapped, (err, response) => {
      if (err || !response) {
        this.wipe();
        callback(err || new IcaoError('card-error', 'no response'), null);
        return;
      }
      let plain: Uint8Array | null = null;
      let failure: IcaoError | null = null;
      try {
        // An extended APDU refused with a bare 6700 before the chip's SM saw it: the chip's SSC
        // did not move, so ours goes back and the session goes on.
        if (response.length === 2 && wrapped[4] === 0 && statusWord(response) === SW.WRONG_LENGTH) {
          decrement(this.ssc);
          callback(null, response);
          return;
        }
        plain = this.unwrap(response);
      } catch (e) {
        failure = asIcaoError(e);
      }
      callback(failure, plain);
    });
  }
}
