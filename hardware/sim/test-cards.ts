// Small cards for tests of the PN532 model: an eMRTD stub, an echo card that also serves READ
// BINARY of any length, a mute card and a type B card. They answer APDUs only; activation data
// comes from their identity.

import type { Card, CardReply, TypeAIdentity, TypeBIdentity } from './card';

/** ATS of a typical passport: TL 06, T0 75 (FSCI 5 = 64 bytes; TA TB TC present), TA 77
 * (212/424/848 both ways), TB 81 (FWI 8, SFGI 1), TC 02 (CID supported), historical byte 80. */
export const PASSPORT_ATS = Uint8Array.of(0x06, 0x75, 0x77, 0x81, 0x02, 0x80);

export const EMRTD_AID = Uint8Array.of(0xa0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01);

export function typeAIdentity(overrides: Partial<TypeAIdentity> = {}): TypeAIdentity {
  return {
    type: 'A',
    atqa: Uint8Array.of(0x00, 0x04),
    sak: 0x20,
    // A random UID (first byte 08), as passports send.
    uid: Uint8Array.of(0x08, 0x3c, 0x5a, 0x91),
    ats: PASSPORT_ATS,
    ...overrides,
  };
}

export interface TestCardOptions {
  identity?: TypeAIdentity | TypeBIdentity;
  /** Card processing time per APDU, ms. */
  processingMs?: number;
}

/** Base: presence switch, APDU log, reset counter. */
export abstract class TestCard implements Card {
  readonly identity: TypeAIdentity | TypeBIdentity;
  present = true;
  resets = 0;
  readonly apdus: Uint8Array[] = [];
  protected processingMs: number;

  constructor(options: TestCardOptions = {}) {
    this.identity = options.identity ?? typeAIdentity();
    this.processingMs = options.processingMs ?? 1;
  }

  isPresent(): boolean {
    return this.present;
  }

  reset(): void {
    this.resets++;
  }

  transceive(apdu: Uint8Array): CardReply | null {
    if (!this.present) return null;
    this.apdus.push(apdu.slice());
    const response = this.answer(apdu);
    return response ? { response, processingMs: this.processingMs } : null;
  }

  protected abstract answer(apdu: Uint8Array): Uint8Array | null;
}

function sw(data: ArrayLike<number>, sw1: number, sw2: number): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data);
  out[data.length] = sw1;
  out[data.length + 1] = sw2;
  return out;
}

/** Answers 90 00 to SELECT of the eMRTD application (A0 00 00 02 47 10 01), 6D 00 otherwise. */
export class EmrtdStubCard extends TestCard {
  protected answer(apdu: Uint8Array): Uint8Array {
    const isSelect = apdu.length >= 5 + EMRTD_AID.length && apdu[1] === 0xa4 && apdu[2] === 0x04 && apdu[4] === EMRTD_AID.length;
    if (isSelect && EMRTD_AID.every((b, i) => apdu[5 + i] === b)) return sw([], 0x90, 0x00);
    return sw([], 0x6d, 0x00);
  }
}

/** The byte at offset `i` of the echo card's file. */
export function patternByte(i: number): number {
  return (i * 7 + 3) & 0xff;
}

/**
 * READ BINARY (B0) returns Le bytes of a pattern (`patternByte`) from the offset in P1-P2, short
 * Le (00 = 256) or extended Le (00 HH LL); any other APDU is echoed back followed by 90 00.
 */
export class EchoCard extends TestCard {
  protected answer(apdu: Uint8Array): Uint8Array {
    if (apdu.length >= 5 && apdu[1] === 0xb0) {
      const offset = (apdu[2] << 8) | apdu[3];
      let le = apdu[4] === 0 ? 256 : apdu[4];
      if (apdu.length === 7 && apdu[4] === 0) le = ((apdu[5] << 8) | apdu[6]) || 65536;
      const data = new Uint8Array(le);
      for (let i = 0; i < le; i++) data[i] = patternByte(offset + i);
      return sw(data, 0x90, 0x00);
    }
    return sw(apdu, 0x90, 0x00);
  }
}

/** Selected and activated, but never answers an APDU. */
export class MuteCard extends TestCard {
  protected answer(): null {
    return null;
  }
}

/** A type B card (ATQB with FSCI 8 = 256 bytes, FWI 7, CID supported) behaving like EmrtdStubCard. */
export class TypeBStubCard extends EmrtdStubCard {
  constructor(options: TestCardOptions = {}) {
    super({
      identity: {
        type: 'B',
        atqb: Uint8Array.of(0x50, 0x1a, 0x2b, 0x3c, 0x4d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x81, 0x71),
        attribRes: Uint8Array.of(0x00),
      },
      ...options,
    });
  }
}
