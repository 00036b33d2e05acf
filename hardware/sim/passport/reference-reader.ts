// A small reference reader on node:crypto, for tests of the virtual passport and as a known-good
// client in other simulator tests: BAC (GET CHALLENGE + MUTUAL AUTHENTICATE), secure messaging
// and file reading. Random values are injected (rndIFD, kIFD), never created here.

import { CommandApdu, encodeApdu } from './apdu';
import {
  bacKeySeed, deriveKey, equalBytes, KEY_ENC, KEY_MAC, mrzInformation, pad, retailMac,
  SessionKeys, sessionKeys, tdesDecrypt, tdesEncrypt,
} from './bac-crypto';
import { unwrapResponse, wrapCommand } from './secure-messaging';
import type { BacMrz } from './virtual-passport';
import { concatBytes } from '../bytes';

export type Transceive = (apdu: Uint8Array) => Uint8Array | null;

export class ReaderError extends Error {
  constructor(readonly code: string, readonly sw?: number) {
    super(code + (sw !== undefined ? ' ' + sw.toString(16).padStart(4, '0') : ''));
  }
}

export interface Response {
  data: Uint8Array;
  sw: number;
}

function split(r: Uint8Array): Response {
  return { data: r.slice(0, r.length - 2), sw: (r[r.length - 2] << 8) | r[r.length - 1] };
}

export class ReferenceReader {
  session: SessionKeys | null = null;

  constructor(private readonly transceive: Transceive) {}

  /** Sends raw bytes, returns the raw R-APDU (throws when the card does not answer). */
  raw(apdu: Uint8Array): Uint8Array {
    const r = this.transceive(apdu);
    if (!r) throw new ReaderError('NO_CARD');
    return r;
  }

  /** Sends a plain command (protected when a session is open). */
  send(cmd: CommandApdu | Omit<CommandApdu, 'extended' | 'data'> & { data?: Uint8Array; extended?: boolean }): Response {
    const c: CommandApdu = { data: new Uint8Array(0), extended: false, ...cmd };
    if (!this.session) return split(this.raw(encodeApdu(c)));
    const r = this.raw(wrapCommand(this.session, c));
    const u = unwrapResponse(this.session, r);
    if (!u.ok) {
      this.session = null;
      throw new ReaderError('SM_' + u.reason.toUpperCase(), u.sw);
    }
    return { data: u.data, sw: u.sw };
  }

  selectApplication(): Response {
    return this.send({ cla: 0, ins: 0xa4, p1: 0x04, p2: 0x0c, data: Uint8Array.of(0xa0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01), ne: null });
  }

  /** BAC with the given reader nonce and key material. */
  bac(mrz: BacMrz, rndIFD: Uint8Array, kIFD: Uint8Array): void {
    const seed = bacKeySeed(mrzInformation(mrz.documentNumber, mrz.dateOfBirth, mrz.dateOfExpiry));
    const kEnc = deriveKey(seed, KEY_ENC);
    const kMac = deriveKey(seed, KEY_MAC);
    this.session = null;
    const ch = split(this.raw(Uint8Array.of(0x00, 0x84, 0x00, 0x00, 0x08)));
    if (ch.sw !== 0x9000) throw new ReaderError('GET_CHALLENGE', ch.sw);
    const rndIC = ch.data;
    const eIFD = tdesEncrypt(kEnc, concatBytes(rndIFD, rndIC, kIFD));
    const cmd = encodeApdu({ cla: 0, ins: 0x82, p1: 0, p2: 0, data: concatBytes(eIFD, retailMac(kMac, pad(eIFD))), ne: 40 });
    const r = split(this.raw(cmd));
    if (r.sw !== 0x9000) throw new ReaderError('BAC_REFUSED', r.sw);
    const eIC = r.data.subarray(0, 32);
    if (!equalBytes(r.data.subarray(32, 40), retailMac(kMac, pad(eIC)))) throw new ReaderError('BAC_MAC');
    const plain = tdesDecrypt(kEnc, eIC);
    if (!equalBytes(plain.subarray(0, 8), rndIC) || !equalBytes(plain.subarray(8, 16), rndIFD)) throw new ReaderError('BAC_NONCE');
    this.session = sessionKeys(kIFD, plain.subarray(16, 32), rndIC, rndIFD);
  }

  selectFile(fid: number): Response {
    return this.send({ cla: 0, ins: 0xa4, p1: 0x02, p2: 0x0c, data: Uint8Array.of(fid >> 8, fid & 0xff), ne: null });
  }

  /** Reads a whole EF with B0 (and B1 past offset 32767), in blocks of `block` bytes. */
  readFile(fid: number, block = 0xdf): Uint8Array {
    const s = this.selectFile(fid);
    if (s.sw !== 0x9000) throw new ReaderError('SELECT', s.sw);
    const head = this.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 6 });
    if (head.sw !== 0x9000) throw new ReaderError('READ', head.sw);
    const total = tlvTotalLength(head.data);
    const out = new Uint8Array(total);
    let at = 0;
    while (at < total) {
      const want = Math.min(block, total - at);
      const r = at <= 0x7fff
        ? this.send({ cla: 0, ins: 0xb0, p1: at >> 8, p2: at & 0xff, ne: want })
        : this.send({ cla: 0, ins: 0xb1, p1: 0, p2: 0, data: oddOffset(at), ne: want + 4 });
      if (r.sw !== 0x9000 && r.sw !== 0x6282) throw new ReaderError('READ', r.sw);
      const chunk = at <= 0x7fff ? r.data : stripDo53(r.data);
      if (!chunk.length) throw new ReaderError('READ_EMPTY');
      out.set(chunk.subarray(0, total - at), at);
      at += chunk.length;
    }
    return out;
  }
}

/** DO'54 with a 3-byte offset, for odd-INS READ BINARY. */
export function oddOffset(offset: number): Uint8Array {
  return Uint8Array.of(0x54, 0x03, (offset >> 16) & 0xff, (offset >> 8) & 0xff, offset & 0xff);
}

export function stripDo53(d: Uint8Array): Uint8Array {
  if (d[0] !== 0x53) throw new ReaderError('DO53');
  const l = d[1];
  if (l < 0x80) return d.subarray(2, 2 + l);
  if (l === 0x81) return d.subarray(3, 3 + d[2]);
  return d.subarray(4, 4 + ((d[2] << 8) | d[3]));
}

/** Total length of a BER-TLV from its first bytes (tag of 1 or 2 bytes). */
export function tlvTotalLength(head: Uint8Array): number {
  let p = (head[0] & 0x1f) === 0x1f ? 2 : 1;
  const l = head[p++];
  if (l < 0x80) return p + l;
  let n = 0;
  for (let i = 0; i < (l & 0x7f); i++) n = n * 256 + head[p + i];
  return p + (l & 0x7f) + n;
}
