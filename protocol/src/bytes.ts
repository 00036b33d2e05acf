// Tiny big-endian writer/reader over Uint8Array. The reader never throws: reading past the end
// clears `ok` and yields zeros, so a malformed payload is one check at the end, not a try/catch.

export class ByteWriter {
  readonly buf: Uint8Array;
  pos: number;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.pos = 0;
  }

  u8(v: number): this {
    this.buf[this.pos++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.buf[this.pos++] = (v >> 8) & 0xff;
    this.buf[this.pos++] = v & 0xff;
    return this;
  }

  u32(v: number): this {
    this.u16((v >>> 16) & 0xffff);
    return this.u16(v & 0xffff);
  }

  bytes(b: Uint8Array): this {
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  /** A short ASCII string, length-prefixed (u8). Characters outside 0..255 are not expected. */
  str(s: string): this {
    const n = s.length > 255 ? 255 : s.length;
    this.u8(n);
    for (let i = 0; i < n; i++) this.buf[this.pos++] = s.charCodeAt(i) & 0xff;
    return this;
  }

  result(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

export class ByteReader {
  private buf: Uint8Array;
  pos: number;
  ok: boolean;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.pos = 0;
    this.ok = true;
  }

  private take(n: number): boolean {
    if (this.pos + n > this.buf.length) {
      this.ok = false;
      this.pos = this.buf.length;
      return false;
    }
    return true;
  }

  u8(): number {
    return this.take(1) ? this.buf[this.pos++] : 0;
  }

  u16(): number {
    if (!this.take(2)) return 0;
    const v = (this.buf[this.pos] << 8) | this.buf[this.pos + 1];
    this.pos += 2;
    return v;
  }

  u32(): number {
    const hi = this.u16();
    return hi * 0x10000 + this.u16();
  }

  bytes(n: number): Uint8Array {
    if (!this.take(n)) return new Uint8Array(0);
    const b = new Uint8Array(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return b;
  }

  rest(): Uint8Array {
    return this.bytes(this.buf.length - this.pos);
  }

  str(): string {
    const n = this.u8();
    if (!this.take(n)) return '';
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(this.buf[this.pos++]);
    return s;
  }

  /** Bytes not read yet (an optional trailing field is there when this is not 0). */
  left(): number {
    return this.buf.length - this.pos;
  }

  /** True when every byte was consumed and nothing was read past the end. */
  done(): boolean {
    return this.ok && this.pos === this.buf.length;
  }
}
