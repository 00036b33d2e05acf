// A scripted eMRTD chip for tests: LDS1 application, BAC, 3DES secure messaging (the chip side),
// SELECT / READ BINARY (B0 with offset or short EF identifier, B1 with DO'54'), and knobs to
// misbehave (maximum Le, 6Cxx instead of 6700, no SFI support). Answers synchronously, as an
// ApduChannel. Not part of the firmware bundle (icao/index.ts does not export it).

import { DesCipher } from '../../src/crypto/des';
import { paddedLength, unpaddedLength } from '../../src/crypto/padding';
import { RetailMac, equalBytes } from '../../src/crypto/retail-mac';
import type { ApduCallback, ApduChannel } from '../../src/icao/apdu-channel';
import { KDF_ENC, KDF_MAC, deriveKey } from '../../src/icao/key-derivation';
import { LDS1_AID } from '../../src/icao/commands';

export interface MockChipOptions {
  /** Files by short EF identifier. */
  files: { [sfi: number]: Uint8Array };
  /** K_seed the chip accepts; null: no BAC (files readable in the clear). */
  keySeed?: Uint8Array | null;
  /** RND.IC and K.IC the chip uses (random-looking defaults). */
  rndIc?: Uint8Array;
  kIc?: Uint8Array;
  /** Largest Le (plain data bytes) answered; beyond: 6700, or 6Cxx with `exactLe`. */
  maxLe?: number;
  exactLe?: boolean;
  /** Refuse READ BINARY with a short EF identifier (6A86). */
  noSfi?: boolean;
}

function sw(data: Uint8Array | null, s: number): Uint8Array {
  const n = data ? data.length : 0;
  const out = new Uint8Array(n + 2);
  if (data) out.set(data, 0);
  out[n] = s >> 8;
  out[n + 1] = s & 0xff;
  return out;
}

function increment(ssc: Uint8Array): void {
  for (let i = 7; i >= 0; i--) {
    ssc[i] = (ssc[i] + 1) & 0xff;
    if (ssc[i]) break;
  }
}

export class MockChip implements ApduChannel {
  /** Plain (unwrapped) command APDUs in order, for assertions. */
  readonly log: Uint8Array[];
  /** Raw APDUs as they arrived. */
  readonly wire: Uint8Array[];
  private opts: MockChipOptions;
  private appSelected: boolean;
  private current: number;
  private rndIc: Uint8Array | null;
  private enc: DesCipher | null;
  private mac: RetailMac | null;
  private ssc: Uint8Array;
  /** Overrides the next response (raw bytes), for forging. */
  tamper: ((raw: Uint8Array) => Uint8Array) | null;

  constructor(opts: MockChipOptions) {
    this.opts = opts;
    this.log = [];
    this.wire = [];
    this.appSelected = false;
    this.current = 0;
    this.rndIc = null;
    this.enc = null;
    this.mac = null;
    this.ssc = new Uint8Array(8);
    this.tamper = null;
  }

  get secured(): boolean {
    return this.enc !== null;
  }

  transceive(apdu: Uint8Array, callback: ApduCallback): void {
    this.wire.push(apdu.slice());
    let out = this.enc && (apdu[0] & 0x0c) === 0x0c ? this.secureExchange(apdu) : this.plainExchange(apdu);
    if (this.tamper) {
      out = this.tamper(out);
      this.tamper = null;
    }
    callback(null, out);
  }

  private plainExchange(apdu: Uint8Array): Uint8Array {
    if (this.enc) {
      // A plain command during an SM session ends the session.
      this.enc = null;
      this.mac = null;
      return sw(null, 0x6987);
    }
    this.log.push(apdu.slice());
    return this.process(apdu);
  }

  private secureExchange(apdu: Uint8Array): Uint8Array {
    const enc = this.enc!;
    const mac = this.mac!;
    increment(this.ssc);
    // Parse the protected command: DO87/85, DO97, DO8E.
    let pos = 5;
    const end = 5 + apdu[4];
    let data: Uint8Array | null = null;
    let le = -1;
    let macAt = -1;
    while (pos < end) {
      const tag = apdu[pos];
      let len = apdu[pos + 1];
      let hl = 2;
      if (len === 0x81) { len = apdu[pos + 2]; hl = 3; }
      const v = pos + hl;
      if (tag === 0x87 || tag === 0x85) {
        const c = tag === 0x87 ? v + 1 : v;
        data = enc.cbcDecrypt(null, apdu.subarray(c, v + len));
        const n = unpaddedLength(data);
        if (n < 0) return this.abort();
        data = data.slice(0, n);
      } else if (tag === 0x97) {
        le = apdu[v];
      } else if (tag === 0x8e) {
        macAt = pos;
      }
      pos = v + len;
    }
    if (macAt < 0) return this.abort();
    mac.update(this.ssc);
    const header = new Uint8Array([apdu[0], apdu[1], apdu[2], apdu[3], 0x80, 0, 0, 0]);
    mac.update(header);
    mac.update(apdu, 5, macAt - 5);
    const m = mac.finish();
    if (!equalBytes(m, 0, apdu, macAt + 2, 8)) return this.abort();
    // The plain command.
    const lc = data ? data.length : 0;
    const plain = new Uint8Array(4 + (lc ? 1 + lc : 0) + (le >= 0 ? 1 : 0));
    plain[0] = apdu[0] & ~0x0c; plain[1] = apdu[1]; plain[2] = apdu[2]; plain[3] = apdu[3];
    if (lc) { plain[4] = lc; plain.set(data!, 5); }
    if (le >= 0) plain[plain.length - 1] = le;
    this.log.push(plain);
    const r = this.process(plain);
    if (!this.enc) return r; // the command ended the session
    return this.protect(r, (apdu[1] & 1) === 1);
  }

  private abort(): Uint8Array {
    this.enc = null;
    this.mac = null;
    return sw(null, 0x6988);
  }

  /** Chip-side wrap of a plain response. */
  protect(r: Uint8Array, odd: boolean): Uint8Array {
    const enc = this.enc!;
    const mac = this.mac!;
    increment(this.ssc);
    const n = r.length - 2;
    const parts: number[] = [];
    if (n > 0) {
      const padded = new Uint8Array(paddedLength(n));
      padded.set(r.subarray(0, n), 0);
      padded[n] = 0x80;
      enc.cbcEncrypt(null, padded, padded);
      const vlen = padded.length + (odd ? 0 : 1);
      parts.push(odd ? 0x85 : 0x87);
      if (vlen >= 128) parts.push(0x81);
      parts.push(vlen);
      if (!odd) parts.push(1);
      for (let i = 0; i < padded.length; i++) parts.push(padded[i]);
    }
    parts.push(0x99, 2, r[n], r[n + 1]);
    const body = new Uint8Array(parts);
    mac.update(this.ssc);
    mac.update(body);
    const m = mac.finish();
    const out = new Uint8Array(body.length + 12);
    out.set(body, 0);
    out[body.length] = 0x8e;
    out[body.length + 1] = 8;
    out.set(m, body.length + 2);
    out[body.length + 10] = r[n];
    out[body.length + 11] = r[n + 1];
    return out;
  }

  private needsBac(): boolean {
    return !!this.opts.keySeed && !this.enc;
  }

  private process(a: Uint8Array): Uint8Array {
    const ins = a[1];
    if (ins === 0xa4) return this.select(a);
    if (ins === 0x84) return this.getChallenge();
    if (ins === 0x82) return this.mutualAuthenticate(a);
    if (ins === 0xb0 || ins === 0xb1) {
      if (!this.appSelected) return sw(null, 0x6986);
      if (this.needsBac()) return sw(null, 0x6982);
      return this.readBinary(a);
    }
    return sw(null, 0x6d00);
  }

  private select(a: Uint8Array): Uint8Array {
    const lc = a[4];
    const data = a.subarray(5, 5 + lc);
    if (a[2] === 0x04) {
      if (lc === LDS1_AID.length && equalBytes(data, 0, LDS1_AID, 0, lc)) {
        this.appSelected = true;
        return sw(null, 0x9000);
      }
      return sw(null, 0x6a82);
    }
    if (!this.appSelected) return sw(null, 0x6a82);
    if (this.needsBac()) return sw(null, 0x6982);
    const fid = (data[0] << 8) | data[1];
    const sfi = fid & 0xff;
    if ((fid >> 8) !== 1 || !this.opts.files[sfi]) return sw(null, 0x6a82);
    this.current = sfi;
    return sw(null, 0x9000);
  }

  private readBinary(a: Uint8Array): Uint8Array {
    let offset: number;
    let le: number;
    const odd = a[1] === 0xb1;
    if (odd) {
      const lc = a[4];
      const n = a[6];
      offset = 0;
      for (let i = 0; i < n; i++) offset = offset * 256 + a[7 + i];
      le = a[5 + lc] || 256;
    } else {
      le = a[4] || 256;
      if (a[2] & 0x80) {
        if (this.opts.noSfi) return sw(null, 0x6a86);
        const sfi = a[2] & 0x1f;
        if (!this.opts.files[sfi]) return sw(null, 0x6a82);
        this.current = sfi;
        offset = a[3];
      } else {
        offset = (a[2] << 8) | a[3];
      }
    }
    const file = this.opts.files[this.current];
    if (!file) return sw(null, 0x6986);
    if (offset > file.length) return sw(null, 0x6b00);
    const maxLe = this.opts.maxLe || 256;
    if (le > maxLe) return sw(null, this.opts.exactLe ? 0x6c00 | (maxLe & 0xff) : 0x6700);
    let n = file.length - offset;
    let status = 0x9000;
    if (n < (odd ? 0 : le)) status = 0x6282;
    if (odd) {
      // DO'53' around the data: the data part is what fits in Le.
      const room = le - (le - 2 < 128 ? 2 : 3);
      if (n > room) n = room;
      const hdr = n < 128 ? [0x53, n] : [0x53, 0x81, n];
      const out = new Uint8Array(hdr.length + n);
      out.set(hdr, 0);
      out.set(file.subarray(offset, offset + n), hdr.length);
      return sw(out, status);
    }
    if (n > le) n = le;
    return sw(file.subarray(offset, offset + n), status);
  }

  private getChallenge(): Uint8Array {
    if (!this.opts.keySeed) return sw(null, 0x6d00);
    this.rndIc = this.opts.rndIc || new Uint8Array([0x46, 0x08, 0xf9, 0x19, 0x88, 0x70, 0x22, 0x12]);
    return sw(this.rndIc, 0x9000);
  }

  private mutualAuthenticate(a: Uint8Array): Uint8Array {
    const seed = this.opts.keySeed;
    if (!seed || !this.rndIc || a[4] !== 40) return sw(null, 0x6985);
    const kEnc = deriveKey(seed, KDF_ENC);
    const kMac = deriveKey(seed, KDF_MAC);
    const mac = new RetailMac(kMac);
    mac.update(a, 5, 32);
    const m = mac.finish();
    if (!equalBytes(m, 0, a, 37, 8)) return sw(null, 0x6300);
    const enc = new DesCipher(kEnc);
    const s = enc.cbcDecrypt(null, a.subarray(5, 37));
    if (!equalBytes(s, 8, this.rndIc, 0, 8)) return sw(null, 0x6300);
    const rndIfd = s.slice(0, 8);
    const kIfd = s.slice(16, 32);
    const kIc = this.opts.kIc || new Uint8Array([0x0b, 0x4f, 0x80, 0x32, 0x3e, 0xb3, 0x19, 0x1c, 0xb0, 0x49, 0x70, 0xcb, 0x40, 0x52, 0x79, 0x0b]);
    const r = new Uint8Array(40);
    r.set(this.rndIc, 0);
    r.set(rndIfd, 8);
    r.set(kIc, 16);
    enc.cbcEncrypt(null, r.subarray(0, 32), r.subarray(0, 32));
    mac.update(r, 0, 32);
    mac.finish(r, 32);
    const ks = new Uint8Array(16);
    for (let i = 0; i < 16; i++) ks[i] = kIfd[i] ^ kIc[i];
    this.enc = new DesCipher(deriveKey(ks, KDF_ENC));
    this.mac = new RetailMac(deriveKey(ks, KDF_MAC));
    this.ssc.set(this.rndIc.subarray(4, 8), 0);
    this.ssc.set(rndIfd.subarray(4, 8), 4);
    return sw(r, 0x9000);
  }
}
