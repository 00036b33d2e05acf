// 3DES secure messaging (ICAO 9303-11 §9.8), shaped like JMRTD's SecureMessagingWrapper: a
// channel that wraps an ApduChannel and is itself an ApduChannel.
//
// Command:  CLA|0C INS P1 P2 Lc' [DO'87'|DO'85'] [DO'97'] DO'8E' 00
//   DO'87' = 87 L 01 || 3DES-CBC(KSenc, IV 0, pad(data))   (DO'85' for odd INS: no 01 byte)
//   DO'97' = 97 01 Le
//   DO'8E' = 8E 08 MAC(KSmac, pad(SSC || pad(CLA' INS P1 P2) || DO'87' || DO'97'))
// Response: [DO'87'|DO'85'] DO'99' DO'8E' SW1 SW2, with the MAC over SSC || DO'87' || DO'99'.
// The SSC is incremented before each command and before each response is checked. The MAC of a
// response is verified BEFORE anything in it is decrypted; any MAC or structure failure is
// IcaoError('sm-failure') and ends the session: keys and SSC are overwritten with zeros.
//
// A bare two-byte response (no data objects) is what a chip sends when it does not apply SM to
// an error: 6987/6988 (SM objects missing/incorrect) end the session as 'sm-failure'; 9000 or
// 61xx unprotected would be an unauthenticated success and is refused; any other bare status
// word (e.g. 6A82) is passed up as it is, unauthenticated: it carries no data, and the session
// ends (the chip's SSC is unknown; the read session runs BAC again). A protected 9000 without
// DO'99' is accepted (its MAC still covers the data).

import { createDesCipher, type CbcCipher } from '../crypto/des-cbc';
import { createRetailMac, type Mac } from '../crypto/mac';
import { paddedLength, unpaddedLength } from '../crypto/padding';
import { equalBytes } from '../crypto/retail-mac';
import { nativeEntries, type NativeFn } from '../native/blob';
import { DES_CTX, NativeDesCipher, NativeRetailMac } from '../native/native-des';
import { nativeUnwrap, releaseSmContext, takeSmContext } from '../native/native-sm';
import { wipeBytes } from '../native/wipe';
import type { AheadSource, ApduCallback, ApduChannel } from './apdu-channel';
import { IcaoError, SW, asIcaoError, hex4, statusWord } from './errors';
import { newTlv, readTlv } from './tlv';

/** Bytes of DO'87' (or DO'85') around `plainLength` bytes of data: tag, length, [01], ciphertext. */
export function cryptogramObjectLength(plainLength: number, oddIns: boolean): number {
  const value = paddedLength(plainLength) + (oddIns ? 0 : 1);
  return 1 + (value < 128 ? 1 : value < 256 ? 2 : 3) + value;
}

function smFailure(message: string, sw?: number): IcaoError {
  return new IcaoError('sm-failure', message, sw);
}

/** Big-endian increment of the 8-byte send sequence counter. */
function incrementSsc(ssc: Uint8Array): void {
  for (let i = ssc.length - 1; i >= 0; i--) {
    ssc[i] = (ssc[i] + 1) & 0xff;
    if (ssc[i] !== 0) break;
  }
}

/** Undoes `incrementSsc` `times` times (big-endian decrement). */
function decrementSsc(ssc: Uint8Array, times: number): void {
  while (times-- > 0) {
    for (let i = ssc.length - 1; i >= 0; i--) {
      ssc[i] = (ssc[i] - 1) & 0xff;
      if (ssc[i] !== 0xff) break;
    }
  }
}

function writeLength(buf: Uint8Array, pos: number, len: number): number {
  if (len < 128) {
    buf[pos++] = len;
  } else if (len < 256) {
    buf[pos++] = 0x81;
    buf[pos++] = len;
  } else {
    buf[pos++] = 0x82;
    buf[pos++] = len >> 8;
    buf[pos++] = len & 0xff;
  }
  return pos;
}

const PAD_TAIL = new Uint8Array([0x80, 0, 0, 0]);

/** Unwrap failures by code: sm_unwrap's -code (ABI.md "sm_unwrap"), which the TypeScript path
 * uses too, so that both say the same. One string, split only on a failure: an array of 13
 * strings would hold ~20 more variables for the whole session on a Pico. */
const FAILURES =
  '|bad argument|TLV truncated|DO misplaced|DO99 length|DO8E length|unexpected DO|no DO8E|no DO99|' +
  'MAC does not verify|no padding indicator 01|cryptogram not a multiple of 8|bad padding';

export class SecureMessagingChannel implements ApduChannel {
  private _inner: ApduChannel;
  private _ksEnc: Uint8Array;
  private _ksMac: Uint8Array;
  /** The send sequence counter; this object owns it (and the key arrays) and wipes them. */
  readonly ssc: Uint8Array;
  private _cipher: CbcCipher | null;
  private _mac: Mac | null;
  private _open: boolean;
  /** See ApduChannel.readBlock (readFile's note about extended length). */
  readBlock?: number;
  private _ahead!: AheadSource | null;
  /** With the native blob: its entries, and the SM ctx holding both key schedules and the SSC
   * (native-sm.ts), which unwrap opens responses with in one call. */
  private _f: NativeFn[] | null;
  private _ctx: Uint8Array | null;

  /** Takes ownership of `ksEnc`, `ksMac` (16 bytes each) and `ssc` (8 bytes): `wipe()` zeroes them. */
  constructor(inner: ApduChannel, ksEnc: Uint8Array, ksMac: Uint8Array, ssc: Uint8Array) {
    if (ksEnc.length !== 16 || ksMac.length !== 16 || ssc.length !== 8) throw new IcaoError('internal', 'SM key or SSC length');
    this._inner = inner;
    this._ksEnc = ksEnc;
    this._ksMac = ksMac;
    const f = nativeEntries();
    // The one SM ctx, flat since the probe (native-sm.ts); else the seams' own contexts.
    const ctx = f ? takeSmContext(this) : null;
    this._f = ctx ? f : null;
    this._ctx = ctx;
    if (this._f && ctx) {
      this._cipher = new NativeDesCipher(this._f, ksEnc, ctx.subarray(0, DES_CTX));
      this._mac = new NativeRetailMac(this._f, ksMac, ctx.subarray(DES_CTX, 2 * DES_CTX));
      // The SSC lives in the ctx from now on; the caller's copy is zeroed at once.
      this.ssc = ctx.subarray(2 * DES_CTX);
      this.ssc.set(ssc, 0);
      wipeBytes(ssc);
    } else {
      // A device bundle has no TypeScript unwrap: without the ctx no answer could be opened.
      if (typeof NATIVE_ONLY !== 'undefined' && NATIVE_ONLY) throw new IcaoError('internal', 'SM ctx not flat');
      this.ssc = ssc;
      this._cipher = createDesCipher(ksEnc);
      this._mac = createRetailMac(ksMac);
    }
    this._open = true;
  }

  setAhead(source: AheadSource | null): void {
    this._ahead = source;
  }

  /** False once the session has ended (MAC failure, lost card, or `wipe()`). */
  isOpen(): boolean {
    return this._open;
  }

  /** Ends the session: zeroes keys, key schedules and SSC. Idempotent: only the first call wipes
   * (by a second, the SM ctx may hold the next session's keys). */
  wipe(): void {
    if (!this._open) return;
    this._open = false;
    releaseSmContext(this);
    if (this._cipher) this._cipher.wipe();
    if (this._mac) this._mac.wipe();
    this._cipher = null;
    this._mac = null;
    this._ctx = null;
    wipeBytes(this._ksEnc);
    wipeBytes(this._ksMac);
    wipeBytes(this.ssc);
  }

  /**
   * Protects a plain command APDU: short cases 1-4, or extended case 2 (CLA INS P1 P2 00 Le Le,
   * e.g. a READ BINARY of more than 256 bytes) or 4 (00 Lc Lc data Le Le: an INTERNAL
   * AUTHENTICATE whose answer is long), which become an extended protected APDU with a two-byte
   * DO'97'. Increments the SSC.
   */
  wrap(apdu: Uint8Array): Uint8Array {
    if (!this._open) throw smFailure('secure messaging session has ended');
    const n = apdu.length;
    if (n < 4) throw new IcaoError('internal', 'APDU under 4 bytes');
    let lc = 0;
    let le = -1;
    let at = 5; // where the command data starts
    const ext = n >= 7 && apdu[4] === 0;
    if (ext && n > 7) {
      lc = (apdu[5] << 8) | apdu[6];
      at = 7;
      if (lc === 0 || n !== 9 + lc) throw new IcaoError('internal', 'bad extended case 4 APDU');
      le = (apdu[7 + lc] << 8) | apdu[8 + lc];
    } else if (ext) {
      le = (apdu[5] << 8) | apdu[6]; // 0000 = 65536, sent as 0000 again
    } else if (n === 5) {
      le = apdu[4];
    } else if (n > 5) {
      lc = apdu[4];
      if (lc === 0 || (n !== 5 + lc && n !== 6 + lc)) throw new IcaoError('internal', 'bad short APDU');
      if (n === 6 + lc) le = apdu[5 + lc];
    }
    const cla = apdu[0];
    if ((cla & 0x0c) === 0x0c) throw new IcaoError('internal', 'already protected');
    const ins = apdu[1];
    const odd = (ins & 1) === 1;
    const do8xLen = lc ? cryptogramObjectLength(lc, odd) : 0;
    const bodyLen = do8xLen + (le >= 0 ? (ext ? 4 : 3) : 0) + 10;
    if (bodyLen > 255) throw new IcaoError('unsupported', 'protected APDU too long');
    // Header, Lc (00 Lc Lc when extended), body, Le (00 00 extended: up to 65536 bytes; 00 short).
    const head = ext ? 7 : 5;
    const out = new Uint8Array(head + bodyLen + (ext ? 2 : 1));
    out[0] = cla | 0x0c;
    out[1] = ins;
    out[2] = apdu[2];
    out[3] = apdu[3];
    out[head - 1] = bodyLen;
    let pos = head;
    if (lc) {
      const padded = new Uint8Array(paddedLength(lc));
      padded.set(apdu.subarray(at, at + lc), 0);
      padded[lc] = 0x80;
      const value = padded.length + (odd ? 0 : 1);
      out[pos++] = odd ? 0x85 : 0x87;
      pos = writeLength(out, pos, value);
      if (!odd) out[pos++] = 0x01;
      this._cipher!.cbcEncrypt(null, padded, padded);
      out.set(padded, pos);
      pos += padded.length;
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
    incrementSsc(this.ssc);
    const mac = this._mac!;
    mac.update(this.ssc);
    mac.update(out, 0, 4);
    mac.update(PAD_TAIL);
    mac.update(out, head, pos - head);
    out[pos++] = 0x8e;
    out[pos++] = 8;
    mac.finish(out, pos);
    // Le: 00 (or 00 00): the protected response may be as long as the chip likes.
    return out;
  }

  /**
   * Checks and opens a protected response: returns plain data followed by the status word from
   * DO'99'. Increments the SSC first. Throws IcaoError('sm-failure') (and ends the session) on
   * any MAC or structure failure; nothing is decrypted before the MAC has been verified.
   */
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
    const opened = n > 2 && this._ctx ? nativeUnwrap(this._f!, this._ctx, response) : null;
    if (typeof opened === 'number') throw unwrapFailure(-opened);
    if (opened) return opened;
    incrementSsc(this.ssc);
    const outerSw = statusWord(response);
    if (n === 2) {
      if (outerSw === SW.SM_MISSING || outerSw === SW.SM_INCORRECT) throw smFailure('chip reports a secure-messaging error ' + hex4(outerSw), outerSw);
      if (outerSw === SW.OK || (outerSw >> 8) === 0x61 || (outerSw >> 8) === 0x62 || (outerSw >> 8) === 0x63) {
        throw smFailure('unprotected status word ' + hex4(outerSw), outerSw);
      }
      // A plain error: whether the chip kept its session and SSC is unknown, so ours ends
      // (the reader re-runs BAC before its next command).
      this.wipe();
      return response;
    }
    if (this._ctx) {
      // A long answer with no flat copy (a fragmented heap): the SSC has stepped for it and
      // nothing of it is used; it is answered as a chip without extended length answers (6700),
      // so the file reader reads on in short blocks, which the stage holds.
      return new Uint8Array([0x67, 0]);
    }
    // Without the blob (the portable bundle on Linux, Node): the TypeScript unwrap, left out of
    // device bundles (NATIVE_ONLY).
    if (typeof NATIVE_ONLY !== 'undefined' && NATIVE_ONLY) throw unwrapFailure(1);
    return openResponse(response, outerSw, this.ssc, this._mac!, this._cipher!);
  }

  transceive(apdu: Uint8Array, callback: ApduCallback): void {
    let wrapped: Uint8Array;
    try {
      wrapped = this.wrap(apdu);
    } catch (e) {
      callback(asIcaoError(e), null);
      return;
    }
    let returned = false;
    this._inner.transceive(wrapped, (err, response) => {
      if (err || !response) {
        // The exchange is lost, so is SSC synchrony: the session cannot go on.
        this.wipe();
        callback(err || new IcaoError('card-error', 'no response'), null);
        return;
      }
      let plain: Uint8Array | null = null;
      let failure: IcaoError | null = null;
      try {
        // A chip without extended length refuses such an APDU with a bare 6700 before its
        // secure messaging sees it: its SSC did not move, so ours goes back (command only) and
        // the session goes on.
        if (response.length === 2 && wrapped[4] === 0 && statusWord(response) === SW.WRONG_LENGTH) {
          decrementSsc(this.ssc, 1);
          callback(null, response);
          return;
        }
        // Only when answer N came later (`returned`): the inner channel is then the PN532, whose
        // answer to N+1 also comes later, so N is checked before N+1 (the SSC steps assume it).
        const next = returned && response.length > 2 && this._ahead ? this._ahead.nextCommand() : null;
        if (next) {
          // Pipelining: command N+1 takes SSC+3 and goes out now; answer N is then checked with
          // SSC+2 while the PN532 and the card work (the SSC is a counter: nothing of N is needed).
          incrementSsc(this.ssc);
          this.transceive(next, this._ahead!.onAhead);
          if (!this._open) throw smFailure('secure messaging session has ended');
          decrementSsc(this.ssc, 2);
          plain = this.unwrap(response);
          incrementSsc(this.ssc);
        } else plain = this.unwrap(response);
      } catch (e) {
        failure = asIcaoError(e);
      }
      // The protected answer is not needed past here: not held while the file reader works.
      response = null;
      callback(failure, plain);
    });
    returned = true;
  }
}

function unwrapFailure(code: number): IcaoError {
  return smFailure(FAILURES.split('|')[code]);
}

/** The TypeScript unwrap of a protected answer (more than a status word) whose SSC step is done:
 * its DOs checked, its MAC verified, then its cryptogram opened (see `unwrap`). */
function openResponse(response: Uint8Array, outerSw: number, ssc: Uint8Array, mac: Mac, cipher: CbcCipher): Uint8Array {
  const n = response.length;
  const end = n - 2;
  const t = newTlv();
  let pos = 0;
  let cryptoStart = -1;
  let cryptoTag = 0;
  let cryptoEnd = 0;
  let swStart = -1;
  let macStart = -1;
  while (pos < end) {
    readTlv(response, pos, end, t, 'sm-failure');
    if (macStart >= 0) throw unwrapFailure(3);
    if (t.tag === 0x87 || t.tag === 0x85) {
      if (cryptoStart >= 0 || swStart >= 0) throw unwrapFailure(3);
      cryptoStart = t.valueOffset;
      cryptoEnd = t.end;
      cryptoTag = t.tag;
    } else if (t.tag === 0x99) {
      if (swStart >= 0) throw unwrapFailure(3);
      if (t.length !== 2) throw unwrapFailure(4);
      swStart = t.valueOffset;
    } else if (t.tag === 0x8e) {
      if (t.length !== 8) throw unwrapFailure(5);
      macStart = pos;
    } else {
      throw unwrapFailure(6);
    }
    pos = t.end;
  }
  if (macStart < 0) throw unwrapFailure(7);
  // No DO'99': allowed for a success only; the MAC then covers the data alone and the status
  // is the outer 9000 (as JMRTD reads it).
  if (swStart < 0 && outerSw !== SW.OK) throw unwrapFailure(8);
  mac.update(ssc);
  mac.update(response, 0, macStart);
  const expected = mac.finish();
  const ok = equalBytes(expected, 0, response, macStart + 2, 8);
  expected.fill(0);
  if (!ok) throw unwrapFailure(9);
  // Authentic from here on; structure of the cryptogram is still checked.
  let dataLen = 0;
  let out: Uint8Array | null = null;
  if (cryptoStart >= 0) {
    let c = cryptoStart;
    if (cryptoTag === 0x87) {
      if (c >= cryptoEnd || response[c] !== 0x01) throw unwrapFailure(10);
      c++;
    }
    const clen = cryptoEnd - c;
    if (clen < 8 || (clen & 7)) throw unwrapFailure(11);
    // Decrypted straight into the buffer returned (padding >= 1 byte, so data + SW fit in
    // clen + 2): one 2 KB buffer at the peak of an extended read, not two (~170 variables).
    out = new Uint8Array(clen + 2);
    cipher.cbcDecrypt(null, response.subarray(c, cryptoEnd), out.subarray(0, clen));
    dataLen = unpaddedLength(out, 0, clen);
    if (dataLen < 0) {
      out.fill(0);
      throw unwrapFailure(12);
    }
  }
  const swAt = swStart < 0 ? end : swStart;
  if (!out) out = new Uint8Array(2);
  else out.fill(0, dataLen); // the padding goes; the status word takes its place
  out[dataLen] = response[swAt];
  out[dataLen + 1] = response[swAt + 1];
  return out.length === dataLen + 2 ? out : out.subarray(0, dataLen + 2);
}
