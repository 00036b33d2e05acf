// PN532 host-link frames (UM0701-02 §6.2.1, libnfc pn53x.c, fact sheet §1): the same bytes on
// HSU, I2C and SPI. Encoding for both directions, and a byte-at-a-time parser that resynchronises
// on the start code `00 FF`, so wake-up preambles (55 55 00 ..), postambles and garbage between
// frames are skipped.

export const TFI_HOST_TO_PN532 = 0xd4;
export const TFI_PN532_TO_HOST = 0xd5;

export const ACK_FRAME = Uint8Array.of(0x00, 0x00, 0xff, 0x00, 0xff, 0x00);
export const NACK_FRAME = Uint8Array.of(0x00, 0x00, 0xff, 0xff, 0x00, 0x00);
/** Syntax error (unknown command, bad parameters): LEN 01, TFI position 7F. */
export const ERROR_FRAME = Uint8Array.of(0x00, 0x00, 0xff, 0x01, 0xff, 0x7f, 0x81, 0x00);

/** Largest body (TFI + PD) of an extended frame: 265 (UM §6.2.1.2; libnfc 264 + TFI). */
export const MAX_FRAME_BODY = 265;
/** Bodies up to this length go in a normal frame (LEN is one byte). */
export const MAX_NORMAL_BODY = 255;

export type FrameEvent =
  | { kind: 'ack' }
  | { kind: 'nack' }
  | { kind: 'error' }
  /** A well-formed information frame; `body` is TFI + PD. */
  | { kind: 'info'; body: Uint8Array }
  /** A frame that failed its length or data checksum, or was too long; it is dropped. */
  | { kind: 'bad'; reason: 'lcs' | 'dcs' | 'length' };

function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) sum += bytes[i];
  return (0x100 - (sum & 0xff)) & 0xff;
}

/**
 * Builds an information frame around `body` (TFI + PD): a normal frame up to 255 bytes, an
 * extended one above. `prePostAmble: false` leaves out the leading and trailing 00, as the PN532
 * does with SetParameters fRemovePrePostAmble.
 */
export function encodeFrame(body: Uint8Array, options: { prePostAmble?: boolean } = {}): Uint8Array {
  if (body.length < 1 || body.length > MAX_FRAME_BODY) throw new RangeError(`PN532 frame body of ${body.length} bytes (1..${MAX_FRAME_BODY})`);
  const pre = options.prePostAmble === false ? 0 : 1;
  const header = body.length > MAX_NORMAL_BODY ? 5 : 2;
  const out = new Uint8Array(pre + 2 + header + body.length + 1 + pre);
  let p = pre;
  out[p++] = 0x00;
  out[p++] = 0xff;
  if (header === 5) {
    out[p++] = 0xff;
    out[p++] = 0xff;
    out[p++] = body.length >> 8;
    out[p++] = body.length & 0xff;
    out[p++] = checksum(Uint8Array.of(body.length >> 8, body.length & 0xff));
  } else {
    out[p++] = body.length;
    out[p++] = checksum(Uint8Array.of(body.length));
  }
  out.set(body, p);
  p += body.length;
  out[p++] = checksum(body);
  if (pre) out[p] = 0x00;
  return out;
}

/** Convenience: a host command frame from a PD (command code + parameters). */
export function commandFrame(pd: ArrayLike<number>): Uint8Array {
  const body = new Uint8Array(pd.length + 1);
  body[0] = TFI_HOST_TO_PN532;
  body.set(pd, 1);
  return encodeFrame(body);
}

const enum State {
  Hunt0, // looking for 00
  HuntFF, // saw 00, want FF
  Len, // after 00 FF: LEN (or FF of an extended frame, or 00 of an ACK)
  Lcs,
  ExtLenM,
  ExtLenL,
  ExtLcs,
  Body,
  Dcs,
}

/**
 * Incremental frame parser. Feed bytes with `push`; each complete frame is reported once.
 * Anything before a start code is ignored. After a bad length checksum the parser hunts for the
 * next start code from the byte after the bad one.
 */
export class FrameParser {
  private state = State.Hunt0;
  private len = 0;
  private lenM = 0;
  private body = new Uint8Array(MAX_FRAME_BODY);
  private got = 0;

  constructor(private onFrame: (event: FrameEvent) => void) {}

  /** True while the parser is in the middle of a frame (past its start code). */
  get inFrame(): boolean {
    return this.state !== State.Hunt0 && this.state !== State.HuntFF;
  }

  reset(): void {
    this.state = State.Hunt0;
  }

  push(data: ArrayLike<number>): void {
    for (let i = 0; i < data.length; i++) this.pushByte(data[i]);
  }

  pushByte(b: number): void {
    switch (this.state) {
      case State.Hunt0:
        if (b === 0x00) this.state = State.HuntFF;
        return;
      case State.HuntFF:
        this.state = b === 0xff ? State.Len : b === 0x00 ? State.HuntFF : State.Hunt0;
        return;
      case State.Len:
        this.len = b;
        this.state = State.Lcs;
        return;
      case State.Lcs:
        return this.onLcs(b);
      case State.ExtLenM:
        this.lenM = b;
        this.state = State.ExtLenL;
        return;
      case State.ExtLenL:
        this.len = (this.lenM << 8) | b;
        this.state = State.ExtLcs;
        return;
      case State.ExtLcs:
        if (((this.lenM + (this.len & 0xff) + b) & 0xff) !== 0) return this.drop('lcs', b);
        if (this.len === 0 || this.len > MAX_FRAME_BODY) return this.drop('length', b);
        this.got = 0;
        this.state = State.Body;
        return;
      case State.Body:
        this.body[this.got++] = b;
        if (this.got === this.len) this.state = State.Dcs;
        return;
      case State.Dcs: {
        this.state = State.Hunt0;
        let sum = b;
        for (let i = 0; i < this.len; i++) sum += this.body[i];
        if ((sum & 0xff) !== 0) return this.onFrame({ kind: 'bad', reason: 'dcs' });
        // The error frame 01 FF 7F 81 is a one-byte frame whose "TFI" is 7F.
        if (this.len === 1 && this.body[0] === 0x7f) return this.onFrame({ kind: 'error' });
        return this.onFrame({ kind: 'info', body: this.body.slice(0, this.len) });
      }
    }
  }

  private onLcs(b: number): void {
    const len = this.len;
    if (len === 0x00 && b === 0xff) {
      this.state = State.Hunt0;
      return this.onFrame({ kind: 'ack' });
    }
    if (len === 0xff && b === 0x00) {
      this.state = State.Hunt0;
      return this.onFrame({ kind: 'nack' });
    }
    if (len === 0xff && b === 0xff) {
      this.state = State.ExtLenM;
      return;
    }
    if (((len + b) & 0xff) !== 0) return this.drop('lcs', b);
    if (len === 0) return this.drop('length', b);
    this.got = 0;
    this.state = State.Body;
  }

  private drop(reason: 'lcs' | 'length', b: number): void {
    this.state = State.Hunt0;
    this.onFrame({ kind: 'bad', reason });
    // The byte that broke the header may begin the next start code.
    if (b === 0x00) this.state = State.HuntFF;
  }
}
