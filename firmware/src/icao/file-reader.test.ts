import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ApduCallback, ApduChannel } from './apdu-channel';
import { BacProtocol } from './bac';
import { selectApplicationApdu } from './commands';
import { IcaoError } from './errors';
import { PLAIN_MAX_READ, SM_MAX_READ, readFile, type FileSink, type ReadOptions } from './file-reader';
import { deriveKeySeed } from './mrz-key';
import { SecureMessagingChannel } from './secure-messaging';
import { MockChip, type MockChipOptions } from '../../test/support/mock-chip';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
const SEED = deriveKeySeed({ documentNumber: 'L898902C<', dateOfBirth: '690806', dateOfExpiry: '940623' });

/** An LDS file: tag, DER length, random value of `valueLength` bytes. */
function lds(tag: number, valueLength: number): Uint8Array {
  const len = valueLength < 128 ? [valueLength] : valueLength < 256 ? [0x81, valueLength]
    : valueLength < 65536 ? [0x82, valueLength >> 8, valueLength & 0xff] : [0x83, valueLength >> 16, (valueLength >> 8) & 0xff, valueLength & 0xff];
  return new Uint8Array([tag, ...len, ...randomBytes(valueLength)]);
}

class RecordingSink implements FileSink {
  events: string[] = [];
  total = -1;
  chunks: { offset: number; length: number }[] = [];
  data: Uint8Array = new Uint8Array(0);
  begin(totalLength: number): void {
    this.events.push('begin');
    this.total = totalLength;
    this.data = new Uint8Array(totalLength);
  }
  chunk(data: Uint8Array, offset: number): void {
    this.events.push('chunk');
    this.chunks.push({ offset, length: data.length });
    this.data.set(data, offset);
  }
  end(): void {
    this.events.push('end');
  }
}

interface Outcome { err: IcaoError | null; length: number; sink: RecordingSink; calls: number }

function read(channel: ApduChannel, sfi: number, options: Partial<ReadOptions> = {}, sink = new RecordingSink()): Outcome {
  const out: Outcome = { err: null, length: -1, sink, calls: 0 };
  readFile(channel, sfi, sink, { maxFileLength: 200_000, extendedBlock: 0, ...options }, (err, length) => {
    out.calls++;
    out.err = err;
    out.length = length;
  });
  expect(out.calls).toBe(1);
  return out;
}

function plainChip(opts: Partial<MockChipOptions> & { files: MockChipOptions['files'] }): MockChip {
  const chip = new MockChip({ keySeed: null, ...opts });
  chip.transceive(selectApplicationApdu(), () => {});
  chip.log.length = 0;
  return chip;
}

/** A chip after BAC, with the reader's SM channel and a recorder of raw R-APDU lengths. */
function securedChip(opts: Partial<MockChipOptions> & { files: MockChipOptions['files'] }): { chip: MockChip; sm: SecureMessagingChannel; responseLengths: number[] } {
  const chip = new MockChip({ keySeed: SEED, ...opts });
  chip.transceive(selectApplicationApdu(), () => {});
  const responseLengths: number[] = [];
  const radio: ApduChannel = {
    transceive(apdu: Uint8Array, cb: ApduCallback) {
      chip.transceive(apdu, (e, r) => {
        if (r) responseLengths.push(r.length);
        cb(e, r);
      });
    },
  };
  let sm: SecureMessagingChannel | null = null;
  new BacProtocol(radio, (n) => new Uint8Array(randomBytes(n))).authenticate(SEED, (err, s) => {
    expect(err).toBeNull();
    sm = s;
  });
  chip.log.length = 0;
  responseLengths.length = 0;
  return { chip, sm: sm!, responseLengths };
}

/** "INS P1P2 Le" of each plain command, for the log assertions. */
const summary = (log: Uint8Array[]): string[] => log.map((a) => toHex(a.subarray(1, 4)) + ':' + (a.length > 4 ? a[a.length - 1] : ''));

describe('readFile, plain channel', () => {
  it('a whole block first with the short EF identifier (the TLV header is in it), then full blocks, streamed to the sink', () => {
    const file = lds(0x75, 1000); // DG2: 75 82 03E8, 1004 bytes
    const chip = plainChip({ files: { 2: file } });
    const r = read(chip, 2, { maxBlock: PLAIN_MAX_READ });
    expect(r.err).toBeNull();
    expect(r.length).toBe(1004);
    expect(toHex(r.sink.data)).toBe(toHex(file));
    expect(summary(chip.log)).toEqual(['B08200:0', 'B00100:0', 'B00200:0', 'B00300:236']);
    expect(r.sink.events[0]).toBe('begin');
    expect(r.sink.events[r.sink.events.length - 1]).toBe('end');
    expect(r.sink.chunks.map((c) => c.offset)).toEqual([0, 256, 512, 768]);
  });

  it('a file smaller than the header read (6282 on the first read)', () => {
    const file = hex('6103AABBCC');
    const r = read(plainChip({ files: { 1: file } }), 1);
    expect(r.err).toBeNull();
    expect(toHex(r.sink.data)).toBe('6103AABBCC');
  });

  it('6700: retries with smaller blocks until the chip accepts', () => {
    const file = lds(0x75, 3000);
    const chip = plainChip({ files: { 2: file }, maxLe: 150 });
    const r = read(chip, 2);
    expect(r.err).toBeNull();
    expect(toHex(r.sink.data)).toBe(toHex(file));
    const les = chip.log.slice(0, 5).map((a) => a[4]);
    // First read 239 refused: the header alone (4), then blocks 239 -> 223 -> 111, and it sticks.
    expect(les).toEqual([SM_MAX_READ, 4, SM_MAX_READ, 0xdf, 0x6f]);
    expect(chip.log.slice(5).every((a) => a[4] <= 0x6f)).toBe(true);
  });

  it('6Cxx: retries with exactly the Le the chip names', () => {
    const file = lds(0x63, 400);
    const chip = plainChip({ files: { 3: file }, maxLe: 100, exactLe: true });
    const r = read(chip, 3);
    expect(r.err).toBeNull();
    expect(toHex(r.sink.data)).toBe(toHex(file));
    expect(chip.log[0][4]).toBe(SM_MAX_READ);
    expect(chip.log[1][4]).toBe(100);
  });

  it('offsets beyond 32767 use READ BINARY B1 with DO54', () => {
    const file = lds(0x75, 40000);
    const chip = plainChip({ files: { 2: file } });
    const r = read(chip, 2);
    expect(r.err).toBeNull();
    expect(toHex(r.sink.data)).toBe(toHex(file));
    const odd = chip.log.filter((a) => a[1] === 0xb1);
    const even = chip.log.filter((a) => a[1] === 0xb0);
    expect(odd.length).toBeGreaterThan(20);
    expect(toHex(odd[0].subarray(0, 7))).toBe('00B1000004' + '5402');
    const firstOddOffset = (odd[0][7] << 8) | odd[0][8];
    expect(firstOddOffset).toBeGreaterThan(32767);
    expect(even.every((a) => ((a[2] & 0x7f) << 8 | a[3]) <= 32767 || (a[2] & 0x80))).toBe(true);
  });

  it('maxFileLength bounds the file before anything is read or delivered', () => {
    const chip = plainChip({ files: { 2: hex('75830100000102030405') } }); // claims 65536 bytes
    const r = read(chip, 2, { maxFileLength: 32768 });
    expect(r.err!.code).toBe('too-large');
    expect(r.sink.events).toEqual([]);
    expect(chip.log.length).toBe(1);
  });

  it('hostile length forms are malformed-data', () => {
    expect(read(plainChip({ files: { 2: hex('758501000000000000') } }), 2).err!.code).toBe('malformed-data');
    expect(read(plainChip({ files: { 2: hex('7580000000000000') } }), 2).err!.code).toBe('malformed-data');
  });

  it('resumes at a start offset: header read, then only the rest is delivered', () => {
    const file = lds(0x75, 2000);
    const chip = plainChip({ files: { 2: file } });
    const r = read(chip, 2, { startOffset: 1500 });
    expect(r.err).toBeNull();
    expect(r.sink.chunks[0].offset).toBe(1500);
    expect(toHex(r.sink.data.subarray(1500))).toBe(toHex(file.subarray(1500)));
    expect(r.sink.data.subarray(0, 1500).every((b) => b === 0)).toBe(true);
    expect(summary(chip.log).slice(0, 2)).toEqual(['B08200:' + SM_MAX_READ, 'B005DC:' + SM_MAX_READ]);
    // a start offset inside the header bytes
    const r2 = read(plainChip({ files: { 2: file } }), 2, { startOffset: 5 });
    expect(r2.sink.chunks[0]).toEqual({ offset: 5, length: SM_MAX_READ - 5 });
    expect(toHex(r2.sink.data.subarray(5))).toBe(toHex(file.subarray(5)));
    // at the very end: begin + end, nothing else
    const r3 = read(plainChip({ files: { 2: file } }), 2, { startOffset: file.length });
    expect(r3.err).toBeNull();
    expect(r3.sink.events).toEqual(['begin', 'end']);
    expect(read(plainChip({ files: { 2: file } }), 2, { startOffset: file.length + 1 }).err!.code).toBe('bad-request');
  });

  it('missing file: SFI refused, SELECT says 6A82 -> file-not-found', () => {
    const chip = plainChip({ files: { 2: lds(0x75, 10) } });
    const r = read(chip, 5);
    expect(r.err!.code).toBe('file-not-found');
    expect(r.err!.sw).toBe(0x6a82);
    expect(summary(chip.log)).toEqual(['B08500:' + SM_MAX_READ, 'A4020C:5']);
  });

  it('a chip without SFI support: SELECT by identifier, then plain READ BINARY', () => {
    const file = lds(0x61, 90);
    const chip = plainChip({ files: { 1: file }, noSfi: true });
    const r = read(chip, 1);
    expect(r.err).toBeNull();
    expect(toHex(r.sink.data)).toBe(toHex(file));
    expect(toHex(chip.log[1])).toBe('00A4020C020101');
    // and with useShortFileId false it goes straight to SELECT
    const chip2 = plainChip({ files: { 1: file } });
    read(chip2, 1, { useShortFileId: false });
    expect(toHex(chip2.log[0])).toBe('00A4020C020101');
  });

  it('a protected file (6982) is access-denied without a SELECT fall-back', () => {
    const chip = new MockChip({ files: { 3: lds(0x63, 10) }, keySeed: SEED });
    chip.transceive(selectApplicationApdu(), () => {});
    const r = read(chip, 3);
    expect(r.err!.code).toBe('access-denied');
    expect(chip.wire.length).toBe(2);
  });

  it('a file shorter than its TLV length is malformed-data', () => {
    const file = lds(0x75, 1000).subarray(0, 600);
    expect(read(plainChip({ files: { 2: file } }), 2).err!.code).toBe('malformed-data');
  });

  it('a chip that returns more than asked, or nothing, is malformed-data (no endless loop)', () => {
    const file = lds(0x75, 1000);
    const chip = plainChip({ files: { 2: file } });
    let calls = 0;
    const greedy: ApduChannel = {
      transceive(a, cb) {
        const second = ++calls === 2;
        chip.transceive(a, (e, r) => cb(e, second ? new Uint8Array([...r!.subarray(0, r!.length - 2), 1, 2, 3, 0x90, 0]) : r));
      },
    };
    expect(read(greedy, 2).err!.code).toBe('malformed-data');
    let n = 0;
    const empty: ApduChannel = { transceive(a, cb) { n++; if (n === 1) chip.transceive(a, cb); else cb(null, hex('9000')); } };
    expect(read(empty, 2).err!.code).toBe('malformed-data');
    expect(n).toBe(2);
  });

  it('other status words map to errors with the status word', () => {
    let n = 0;
    const chip = plainChip({ files: { 2: lds(0x75, 1000) } });
    const failing: ApduChannel = { transceive(a, cb) { n++; if (n === 1) chip.transceive(a, cb); else cb(null, hex('6F00')); } };
    const r = read(failing, 2);
    expect(r.err!.code).toBe('card-error');
    expect(r.err!.sw).toBe(0x6f00);
  });

  it('errors thrown by the sink end the read once, as IcaoErrors', () => {
    const sink = new RecordingSink();
    sink.chunk = () => { throw new IcaoError('hash-mismatch', 'stop'); };
    const r = read(plainChip({ files: { 2: lds(0x75, 1000) } }), 2, {}, sink);
    expect(r.err!.code).toBe('hash-mismatch');
    const sink2 = new RecordingSink();
    sink2.begin = () => { throw new Error('bug'); };
    expect(read(plainChip({ files: { 2: lds(0x75, 10) } }), 2, {}, sink2).err!.code).toBe('internal');
  });

  it('a synchronous channel does not deepen the stack per block', () => {
    const file = lds(0x75, 60000);
    const chip = plainChip({ files: { 2: file } });
    let depth = 0;
    let maxDepth = 0;
    const counting: ApduChannel = {
      transceive(a, cb) {
        depth++;
        maxDepth = Math.max(maxDepth, depth);
        chip.transceive(a, cb);
        depth--;
      },
    };
    const r = read(counting, 2, { maxBlock: 16 });
    expect(r.err).toBeNull();
    expect(chip.log.length).toBeGreaterThan(3700);
    expect(maxDepth).toBe(1);
    expect(toHex(r.sink.data)).toBe(toHex(file));
  });

  it('an asynchronous channel works the same', async () => {
    const file = lds(0x75, 3000);
    const chip = plainChip({ files: { 2: file } });
    const later: ApduChannel = { transceive: (a, cb) => setImmediate(() => chip.transceive(a, cb)) };
    const sink = new RecordingSink();
    const length = await new Promise<number>((resolve, reject) => {
      readFile(later, 2, sink, { maxFileLength: 10000 }, (err, n) => (err ? reject(err) : resolve(n)));
    });
    expect(length).toBe(file.length);
    expect(toHex(sink.data)).toBe(toHex(file));
  });
});

describe('readFile under secure messaging', () => {
  it('reads through BAC + SM, every R-APDU within the PN532 262-byte limit', () => {
    const file = lds(0x75, 5000);
    const { chip, sm, responseLengths } = securedChip({ files: { 2: file } });
    const r = read(sm, 2);
    expect(r.err).toBeNull();
    expect(toHex(r.sink.data)).toBe(toHex(file));
    expect(summary(chip.log).slice(0, 2)).toEqual(['B08200:' + SM_MAX_READ, 'B000EF:' + SM_MAX_READ]);
    expect(Math.max(...responseLengths)).toBe(260);
    expect(responseLengths.every((n) => n <= 262)).toBe(true);
  });

  it('one byte more per block would overflow the PN532 frame (the arithmetic in file-reader.ts)', () => {
    const file = lds(0x75, 5000);
    const { sm, responseLengths } = securedChip({ files: { 2: file } });
    read(sm, 2, { maxBlock: SM_MAX_READ + 1 });
    expect(Math.max(...responseLengths)).toBe(268);
  });

  it('B1 with DO54 / DO53 beyond 32767 under SM (DO85 both ways)', () => {
    const file = lds(0x75, 34000);
    const { chip, sm, responseLengths } = securedChip({ files: { 2: file } });
    const r = read(sm, 2);
    expect(r.err).toBeNull();
    expect(toHex(r.sink.data)).toBe(toHex(file));
    expect(chip.log.some((a) => a[1] === 0xb1)).toBe(true);
    expect(responseLengths.every((n) => n <= 262)).toBe(true);
  });

  it('6700 under SM adapts the same way', () => {
    const file = lds(0x75, 2000);
    const { sm } = securedChip({ files: { 2: file }, maxLe: 120 });
    const r = read(sm, 2);
    expect(r.err).toBeNull();
    expect(toHex(r.sink.data)).toBe(toHex(file));
  });

  it('a forged response mid-file ends the read with sm-failure', () => {
    const file = lds(0x75, 2000);
    const { chip, sm } = securedChip({ files: { 2: file } });
    let n = 0;
    const tampering: ApduChannel = {
      transceive(a, cb) {
        if (++n === 4) chip.tamper = (raw) => { raw[10] ^= 1; return raw; };
        sm.transceive(a, cb);
      },
    };
    const r = read(tampering, 2);
    expect(r.err!.code).toBe('sm-failure');
    expect(sm.isOpen()).toBe(false);
    expect(r.sink.events.includes('end')).toBe(false);
  });
});
