// PN532 host-link frames (the same on HSU, I2C and SPI), after libnfc pn53x_build_frame and
// pn53x_check_ack_frame:
//   normal    00 00 FF LEN LCS TFI PD0..PDn DCS 00        LEN = 1 + n, (LEN + LCS) & FF = 0
//   extended  00 00 FF FF FF LENM LENL LCS TFI PD.. DCS 00 (LENM + LENL + LCS) & FF = 0
//   ACK       00 00 FF 00 FF 00       NACK  00 00 FF FF 00 00
//   error     00 00 FF 01 FF 7F 81 00 (application-level syntax error)
// DCS: (TFI + sum(PD) + DCS) & FF = 0. Parsing never throws and never allocates: it fills a
// caller-owned ParsedFrame with offsets into the caller's buffer.

import { dataChecksum } from './checksum';
import { MAX_PD } from './constants';

export const ACK_FRAME = new Uint8Array([0x00, 0x00, 0xff, 0x00, 0xff, 0x00]);
export const NACK_FRAME = new Uint8Array([0x00, 0x00, 0xff, 0xff, 0x00, 0x00]);

/** What a scan or parse found. */
export const enum FRAME {
  /** No start code (00 FF) in the bytes. */
  NONE = 0,
  /** A start code, but the frame is not complete yet. */
  INCOMPLETE = 1,
  ACK = 2,
  NACK = 3,
  /** Application-level error frame (TFI 7F). */
  ERROR = 4,
  /** An information frame with good checksums. */
  DATA = 5,
  /** Length checksum, data checksum or length out of range: ask for a resend. */
  CORRUPT = 6,
}

/** TFI byte of the application-level error frame. */
const ERROR_TFI = 0x7f;

export interface ParsedFrame {
  kind: FRAME;
  /** Index of the 00 of the start code 00 FF. */
  start: number;
  /** Index after the last byte consumed (DCS; the postamble is optional and not counted). */
  end: number;
  tfi: number;
  /** PD bytes (command/response code first) at [pd, pd + pdLength). */
  pd: number;
  pdLength: number;
}

export function newParsedFrame(): ParsedFrame {
  return { kind: FRAME.NONE, start: 0, end: 0, tfi: 0, pd: 0, pdLength: 0 };
}

/**
 * Builds a host information frame (normal, or extended above 254 PD bytes) into `out` from
 * `pdLength` bytes of `src` at `srcOffset`. Returns the frame length.
 */
export function buildFrame(out: Uint8Array, tfi: number, src: Uint8Array, srcOffset: number, pdLength: number): number {
  if (pdLength < 1 || pdLength > MAX_PD) throw new Error('PN532 frame PD of ' + pdLength + ' bytes');
  const len = pdLength + 1; // TFI + PD
  let i = 0;
  out[i++] = 0x00;
  out[i++] = 0x00;
  out[i++] = 0xff;
  if (len <= 255) {
    out[i++] = len;
    out[i++] = (0x100 - len) & 0xff;
  } else {
    out[i++] = 0xff;
    out[i++] = 0xff;
    out[i++] = len >> 8;
    out[i++] = len & 0xff;
    out[i++] = (0x100 - ((len >> 8) + (len & 0xff))) & 0xff;
  }
  const tfiAt = i;
  out[i++] = tfi;
  out.set(src.subarray(srcOffset, srcOffset + pdLength), i);
  i += pdLength;
  out[i] = dataChecksum(out, tfiAt, i);
  i++;
  out[i++] = 0x00;
  return i;
}

/** Finds the first start code 00 FF in [start, end); -1 when none. */
function findStartCode(buf: Uint8Array, start: number, end: number): number {
  for (let i = start; i + 1 < end; i++) if (buf[i] === 0x00 && buf[i + 1] === 0xff) return i;
  return -1;
}

/**
 * Finds the extent of the first frame in [start, end) without checking its data checksum (what
 * a byte-stream reassembler needs). A bad length checksum gives CORRUPT with `end` just after
 * the length bytes, so the caller can skip them and look for the next start code. INCOMPLETE
 * with a good length header: `end` is where the frame's DCS will end (SPI reads the rest);
 * before that header, `end` is `start`.
 */
export function scanFrame(buf: Uint8Array, start: number, end: number, out: ParsedFrame): FRAME {
  out.tfi = 0;
  out.pd = 0;
  out.pdLength = 0;
  const s = findStartCode(buf, start, end);
  if (s < 0) {
    out.kind = FRAME.NONE;
    // Keep a trailing 00: it may be the first half of a start code.
    out.start = out.end = end > start && buf[end - 1] === 0x00 ? end - 1 : end;
    return out.kind;
  }
  out.start = s;
  out.end = s;
  let i = s + 2;
  if (end - i < 2) return (out.kind = FRAME.INCOMPLETE);
  const a = buf[i];
  const b = buf[i + 1];
  if (a === 0x00 && b === 0xff) {
    out.end = i + 2;
    return (out.kind = FRAME.ACK);
  }
  if (a === 0xff && b === 0x00) {
    out.end = i + 2;
    return (out.kind = FRAME.NACK);
  }
  let len: number;
  if (a === 0xff && b === 0xff) {
    if (end - i < 5) return (out.kind = FRAME.INCOMPLETE);
    const m = buf[i + 2];
    const l = buf[i + 3];
    if (((m + l + buf[i + 4]) & 0xff) !== 0) {
      out.end = i + 5;
      return (out.kind = FRAME.CORRUPT);
    }
    len = (m << 8) | l;
    i += 5;
  } else {
    if (((a + b) & 0xff) !== 0) {
      out.end = i + 2;
      return (out.kind = FRAME.CORRUPT);
    }
    len = a;
    i += 2;
  }
  if (len < 1 || len > MAX_PD + 1) {
    out.end = i;
    return (out.kind = FRAME.CORRUPT);
  }
  out.end = i + len + 1;
  if (end < out.end) return (out.kind = FRAME.INCOMPLETE);
  out.tfi = buf[i];
  out.pd = i + 1;
  out.pdLength = len - 1;
  return (out.kind = out.tfi === ERROR_TFI && len === 1 ? FRAME.ERROR : FRAME.DATA);
}

/** Scans the first frame in [start, end) and checks its data checksum. */
export function parseFrame(buf: Uint8Array, start: number, end: number, out: ParsedFrame): FRAME {
  const kind = scanFrame(buf, start, end, out);
  if (kind !== FRAME.DATA && kind !== FRAME.ERROR) return kind;
  if (dataChecksum(buf, out.pd - 1, out.pd + out.pdLength) !== buf[out.end - 1]) out.kind = FRAME.CORRUPT;
  return out.kind;
}
