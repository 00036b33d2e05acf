// Time on the air between the PN532 and a card, per ISO/IEC 14443-2/-3/-4. All durations in
// microseconds. Formulas and their approximations are listed in README.md ("RF timing").

/** The carrier frequency fc, 13.56 MHz (ISO/IEC 14443-2). */
export const FC_HZ = 13_560_000;

export type BitRate = 106 | 212 | 424;
export type RfType = 'A' | 'B';

/** One elementary time unit: 128/fc at 106 kbit/s, 64/fc at 212, 32/fc at 424. */
export function etuMicros(bitRate: BitRate): number {
  return ((128 * 106) / bitRate / FC_HZ) * 1e6;
}

/** 1172/fc: minimum frame delay time after a PCD frame (ISO 14443-3 type A, last bit 0), ~86 µs. */
export const FDT_A_MICROS = (1172 / FC_HZ) * 1e6;
/** Type B: TR0 (1024/fc) + TR1 (1280/fc) before a PICC answers. */
export const FDT_B_MICROS = ((1024 + 1280) / FC_HZ) * 1e6;

/** A frame of `bytes` bytes: type A = start bit + 9 bits per byte (8 + parity) + end of frame;
 * type B = SOF (12 etu) + 10 etu per byte (start, 8, stop) + EOF (11 etu). */
export function frameMicros(type: RfType, bytes: number, bitRate: BitRate): number {
  const etu = etuMicros(bitRate);
  return type === 'A' ? (1 + 9 * bytes + 1) * etu : (12 + 10 * bytes + 11) * etu;
}

/** REQA / WUPA: a short frame of 7 data bits (start bit + 7 + end). */
export function shortFrameMicros(): number {
  return 9 * etuMicros(106);
}

/** Frame waiting time for FWI (ISO 14443-4 §7.2): 256·16/fc · 2^FWI, in ms. */
export function fwtMs(fwi: number): number {
  return ((256 * 16) / FC_HZ) * Math.pow(2, fwi) * 1000;
}

export interface AirCounters {
  bytesToCard: number;
  bytesFromCard: number;
  micros: number;
  iBlocksToCard: number;
  iBlocksFromCard: number;
  rBlocks: number;
  wtx: number;
}

export function emptyAirCounters(): AirCounters {
  return { bytesToCard: 0, bytesFromCard: 0, micros: 0, iBlocksToCard: 0, iBlocksFromCard: 0, rBlocks: 0, wtx: 0 };
}

/**
 * Accumulates the frames of one exchange on the air, in order: PCD frames, card frames, and the
 * delays between them. `micros` is the total duration.
 */
export class AirLedger {
  readonly counters: AirCounters = emptyAirCounters();

  constructor(
    private type: RfType,
    private txRate: BitRate = 106,
    private rxRate: BitRate = 106,
  ) {}

  /** PCD -> card frame of `bytes` (CRC included by the caller). */
  pcd(bytes: number): this {
    this.counters.bytesToCard += bytes;
    this.counters.micros += frameMicros(this.type, bytes, this.txRate);
    return this;
  }

  /** Card -> PCD frame, after the frame delay time. */
  card(bytes: number): this {
    this.counters.bytesFromCard += bytes;
    this.counters.micros += this.fdt() + frameMicros(this.type, bytes, this.rxRate);
    return this;
  }

  /** A short frame (REQA/WUPA) from the PCD. */
  short(): this {
    this.counters.bytesToCard += 1;
    this.counters.micros += shortFrameMicros();
    return this;
  }

  /** Guard time before the PCD's next frame after a card frame. */
  guard(): this {
    this.counters.micros += this.type === 'A' ? FDT_A_MICROS : 10 * etuMicros(this.rxRate);
    return this;
  }

  /** Waiting without traffic (card processing, a timeout). */
  wait(ms: number): this {
    this.counters.micros += ms * 1000;
    return this;
  }

  /** Frame delay time before a card's answer. */
  fdt(): number {
    return this.type === 'A' ? FDT_A_MICROS : FDT_B_MICROS;
  }

  get ms(): number {
    return this.counters.micros / 1000;
  }
}

/** Link parameters of an activated ISO-DEP card. */
export interface IsoDepLink {
  type: RfType;
  txRate: BitRate;
  rxRate: BitRate;
  /** Card's maximum frame size (from ATS FSCI or ATQB Max_Frame_Size). */
  fsc: number;
  /** Our maximum frame size: the PN532's 64. */
  fsd: number;
  /** CID byte present in every block (the card supports CID). */
  cid: boolean;
  fwtMs: number;
}

/** Bytes of INF per block given a frame size: minus PCB, CID and CRC. */
export function infPerBlock(frameSize: number, cid: boolean): number {
  return frameSize - 1 - (cid ? 1 : 0) - 2;
}

/**
 * Puts `length` bytes of a command on the air as I-blocks no bigger than FSC. With `more`, every
 * block is chained (the host sent MI, more command data follows); otherwise the last block is
 * unchained and the caller continues with `receive`. Each chained block is acknowledged by the
 * card with R(ACK).
 */
export function sendIBlocks(ledger: AirLedger, link: IsoDepLink, length: number, more: boolean): void {
  const header = 1 + (link.cid ? 1 : 0);
  const per = infPerBlock(link.fsc, link.cid);
  const blocks = Math.max(1, Math.ceil(length / per));
  for (let i = 0; i < blocks; i++) {
    const inf = Math.min(per, length - i * per);
    ledger.pcd(header + inf + 2);
    ledger.counters.iBlocksToCard++;
    if (i < blocks - 1 || more) {
      ledger.card(header + 2).guard();
      ledger.counters.rBlocks++;
    }
  }
}

/**
 * The card works for `processingMs` (asking for S(WTX) each time it would exceed FWT), then
 * answers `length` bytes as I-blocks no bigger than FSD; the PCD acknowledges each chained one.
 */
export function receiveIBlocks(ledger: AirLedger, link: IsoDepLink, length: number, processingMs: number): void {
  const header = 1 + (link.cid ? 1 : 0);
  let left = processingMs;
  while (left > link.fwtMs) {
    // S(WTX) request from the card, S(WTX) response from the PCD (PCB [CID] WTXM CRC).
    ledger.wait(link.fwtMs).card(header + 1 + 2).guard().pcd(header + 1 + 2);
    ledger.counters.wtx++;
    left -= link.fwtMs;
  }
  ledger.wait(left);
  const per = infPerBlock(link.fsd, link.cid);
  const blocks = Math.max(1, Math.ceil(length / per));
  for (let i = 0; i < blocks; i++) {
    const inf = Math.min(per, length - i * per);
    if (i > 0) {
      ledger.guard().pcd(header + 2);
      ledger.counters.rBlocks++;
    }
    ledger.card(header + inf + 2);
    ledger.counters.iBlocksFromCard++;
  }
}
