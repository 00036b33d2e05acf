// Command APDU parsing (ISO/IEC 7816-3 cases 1, 2, 3, 4 in short and extended length) and
// the status words the virtual passport answers with.

export const SW = {
  OK: 0x9000,
  END_OF_FILE: 0x6282,
  AUTH_FAILED: 0x6300,
  WRONG_LENGTH: 0x6700,
  SECURITY_NOT_SATISFIED: 0x6982,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  NO_CURRENT_EF: 0x6986,
  SM_NOT_SUPPORTED: 0x6882,
  SM_OBJECTS_MISSING: 0x6987,
  SM_OBJECTS_INCORRECT: 0x6988,
  WRONG_DATA: 0x6a80,
  FILE_NOT_FOUND: 0x6a82,
  WRONG_P1P2: 0x6a86,
  OFFSET_OUTSIDE_EF: 0x6b00,
  WRONG_LE: 0x6c00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
} as const;

export const INS = {
  SELECT: 0xa4,
  READ_BINARY: 0xb0,
  READ_BINARY_ODD: 0xb1,
  GET_CHALLENGE: 0x84,
  MUTUAL_AUTHENTICATE: 0x82,
  INTERNAL_AUTHENTICATE: 0x88,
} as const;

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Uint8Array;
  /** Ne, the number of response bytes expected (Le 00 = 256, extended 0000 = 65536); null when absent. */
  ne: number | null;
  /** Whether Lc/Le used the extended (3-byte) form. */
  extended: boolean;
}

/** Parses a command APDU; null when its length fields do not match its size. */
export function parseApdu(b: Uint8Array): CommandApdu | null {
  if (b.length < 4) return null;
  const head = { cla: b[0], ins: b[1], p1: b[2], p2: b[3] };
  const empty = new Uint8Array(0);
  if (b.length === 4) return { ...head, data: empty, ne: null, extended: false };
  if (b.length === 5) return { ...head, data: empty, ne: b[4] || 256, extended: false };
  if (b[4] !== 0) {
    const lc = b[4];
    if (b.length === 5 + lc) return { ...head, data: b.slice(5), ne: null, extended: false };
    if (b.length === 6 + lc) return { ...head, data: b.slice(5, 5 + lc), ne: b[5 + lc] || 256, extended: false };
    return null;
  }
  if (b.length === 7) return { ...head, data: empty, ne: ((b[5] << 8) | b[6]) || 65536, extended: true };
  if (b.length < 8) return null;
  const lc = (b[5] << 8) | b[6];
  if (lc === 0) return null;
  if (b.length === 7 + lc) return { ...head, data: b.slice(7), ne: null, extended: true };
  if (b.length === 9 + lc) {
    const le = (b[7 + lc] << 8) | b[8 + lc];
    return { ...head, data: b.slice(7, 7 + lc), ne: le || 65536, extended: true };
  }
  return null;
}

/** Encodes a command APDU, choosing extended length when Lc or Ne needs it (or when asked). */
export function encodeApdu(c: { cla: number; ins: number; p1: number; p2: number; data?: Uint8Array; ne?: number | null; extended?: boolean }): Uint8Array {
  const data = c.data ?? new Uint8Array(0);
  const ne = c.ne ?? null;
  const ext = c.extended || data.length > 255 || (ne !== null && ne > 256);
  const out: number[] = [c.cla, c.ins, c.p1, c.p2];
  if (data.length) {
    if (ext) out.push(0, data.length >> 8, data.length & 0xff);
    else out.push(data.length);
    out.push(...data);
  }
  if (ne !== null) {
    if (ext) {
      if (!data.length) out.push(0);
      out.push((ne >> 8) & 0xff, ne & 0xff);
    } else {
      out.push(ne & 0xff);
    }
  }
  return Uint8Array.from(out);
}

export function swBytes(sw: number): Uint8Array {
  return Uint8Array.of(sw >> 8, sw & 0xff);
}

/** Reads one simple BER-TLV (one-byte tag, definite length) at `at`; null when truncated. */
export function readDo(b: Uint8Array, at: number): { tag: number; value: Uint8Array; next: number } | null {
  if (at + 2 > b.length) return null;
  const tag = b[at];
  let len = b[at + 1];
  let p = at + 2;
  if (len === 0x81) {
    if (p + 1 > b.length) return null;
    len = b[p++];
  } else if (len === 0x82) {
    if (p + 2 > b.length) return null;
    len = (b[p] << 8) | b[p + 1];
    p += 2;
  } else if (len > 0x80) {
    return null;
  }
  if (p + len > b.length) return null;
  return { tag, value: b.slice(p, p + len), next: p + len };
}

/** Encodes a data object with a one-byte tag and a DER length. */
export function encodeDo(tag: number, value: Uint8Array): Uint8Array {
  const n = value.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  const out = new Uint8Array(1 + len.length + n);
  out[0] = tag;
  out.set(len, 1);
  out.set(value, 1 + len.length);
  return out;
}
