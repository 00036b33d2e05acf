// Pipelined READ BINARY (readFile's `pipeline`, SecureMessagingChannel.setAhead) over a radio that
// answers later, as the PN532 does: block N+1 goes out before answer N is checked, with SSC+3.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ApduCallback, ApduChannel } from './apdu-channel';
import { BacProtocol } from './bac';
import { selectApplicationApdu } from './commands';
import type { IcaoError } from './errors';
import { readFile, type FileSink } from './file-reader';
import { deriveKeySeed } from './mrz-key';
import type { SecureMessagingChannel } from './secure-messaging';
import { MockChip, type MockChipOptions } from '../../test/support/mock-chip';

const SEED = deriveKeySeed({ documentNumber: 'L898902C<', dateOfBirth: '690806', dateOfExpiry: '940623' });

/** A radio whose answers wait in a queue until `pump` (one exchange in flight, like the PN532). */
class LaterRadio implements ApduChannel {
  pending: (() => void)[] = [];
  sent = 0;
  inFlightAtSend = 0;
  corruptAnswer = -1;
  constructor(private readonly chip: MockChip) {}
  transceive(apdu: Uint8Array, cb: ApduCallback): void {
    this.sent++;
    this.chip.transceive(apdu, (e, r) => {
      const n = this.sent;
      if (r && n === this.corruptAnswer) r[r.length - 3] ^= 1; // a MAC byte
      this.pending.push(() => cb(e, r));
    });
  }
  pump(): void {
    while (this.pending.length) this.pending.shift()!();
  }
}

function session(file: Uint8Array, chipOptions: Partial<MockChipOptions> = {}): { radio: LaterRadio; sm: SecureMessagingChannel } {
  const chip = new MockChip({ keySeed: SEED, files: { 2: file }, ...chipOptions });
  chip.transceive(selectApplicationApdu(), () => {});
  const radio = new LaterRadio(chip);
  let sm: SecureMessagingChannel | null = null;
  new BacProtocol(radio, (n) => new Uint8Array(randomBytes(n))).authenticate(SEED, (err, s) => {
    expect(err).toBeNull();
    sm = s;
  });
  radio.pump();
  radio.sent = 0;
  return { radio, sm: sm! };
}

function readDg2(pipeline: boolean, file: Uint8Array, corruptAnswer = -1, chipOptions: Partial<MockChipOptions> = {}): { data: Uint8Array; err: IcaoError | null; calls: number; sent: number; pendingAtEnd: number; aheads: number; sscInStep: boolean } {
  const { radio, sm } = session(file, chipOptions);
  radio.corruptAnswer = corruptAnswer;
  let aheads = 0;
  const setAhead = sm.setAhead.bind(sm);
  sm.setAhead = (source) => setAhead(source && { nextCommand: () => { const c = source.nextCommand(); if (c) aheads++; return c; }, onAhead: source.onAhead });
  const data = new Uint8Array(file.length);
  const sink: FileSink = { begin() {}, chunk: (d, o) => data.set(d, o), end() {} };
  const out = { data, err: null as IcaoError | null, calls: 0, sent: 0, pendingAtEnd: -1, aheads: 0, sscInStep: false };
  readFile(sm, 2, sink, { maxFileLength: 100_000, extendedBlock: 0, pipeline }, (err) => {
    out.calls++;
    out.err = err;
    out.pendingAtEnd = radio.pending.length;
  });
  for (let i = 0; i < 1000 && radio.pending.length; i++) radio.pump();
  out.sent = radio.sent;
  out.aheads = aheads;
  // The session is still usable afterwards: one more protected READ BINARY verifies (SSC in step).
  if (!out.err) {
    sm.transceive(new Uint8Array([0x00, 0xb0, 0x00, 0x00, 0x04]), (err, r) => {
      out.sscInStep = err === null && r !== null && r.length === 6;
    });
    radio.pump();
  }
  return out;
}

const DG2 = new Uint8Array([0x75, 0x82, 0x07, 0xd0, ...randomBytes(2000)]);

describe('readFile, pipelined under secure messaging', () => {
  it('reads the same bytes with the same commands, block N+1 sent ahead of checking N', () => {
    const off = readDg2(false, DG2);
    const on = readDg2(true, DG2);
    expect(off.err).toBeNull();
    expect(on.err).toBeNull();
    expect(Buffer.from(on.data).equals(Buffer.from(DG2))).toBe(true);
    expect(on.sent).toBe(off.sent); // no extra exchange: every block sent ahead was claimed
    expect(off.aheads).toBe(0);
    expect(on.aheads).toBe(on.sent - 2); // all but the header read and the first body block
    expect(on.calls).toBe(1);
    expect(on.pendingAtEnd).toBe(0);
    expect(on.sscInStep).toBe(true);
  });

  for (const exactLe of [false, true]) {
    it(`a chip that answers a smaller block (${exactLe ? '6Cxx' : '6700'}): the block sent ahead is dropped, the read goes on in step`, () => {
      const off = readDg2(false, DG2, -1, { maxLe: 200, exactLe });
      const on = readDg2(true, DG2, -1, { maxLe: 200, exactLe });
      expect(off.err).toBeNull();
      expect(on.err).toBeNull();
      expect(on.calls).toBe(1);
      expect(Buffer.from(on.data).equals(Buffer.from(DG2))).toBe(true);
      expect(on.sent).toBeGreaterThan(off.sent); // at least one answer sent ahead was dropped
      expect(on.aheads).toBeGreaterThan(0);
      expect(on.pendingAtEnd).toBe(0);
      expect(on.sscInStep).toBe(true);
    });
  }

  it('a wrong MAC on block N ends the read with sm-failure only after block N+1 in flight has drained', () => {
    const on = readDg2(true, DG2, 4);
    expect(on.calls).toBe(1);
    expect(on.err?.code).toBe('sm-failure');
    expect(on.sent).toBe(5); // N+1 was already out
    expect(on.pendingAtEnd).toBe(0); // the caller gets its error with nothing in flight
  });
});
