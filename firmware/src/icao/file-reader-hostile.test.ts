// Regression cases the hostile-chip fuzzer (test/fuzz) found in the streamed file reader.
import { describe, expect, it } from 'vitest';
import type { ApduCallback, ApduChannel } from './apdu-channel';
import { IcaoError } from './errors';
import { readFile, type FileSink } from './file-reader';

/** A chip that answers from a script, one response per command, recording the commands. */
function scripted(responses: number[][]): ApduChannel & { commands: Uint8Array[] } {
  const commands: Uint8Array[] = [];
  return {
    commands,
    transceive(apdu: Uint8Array, callback: ApduCallback): void {
      commands.push(apdu);
      const r = responses[commands.length - 1];
      callback(r ? null : new IcaoError('card-lost', 'script ended'), r ? new Uint8Array(r) : null);
    },
  };
}

describe('file reader against a hostile chip', () => {
  it('a 6Cxx naming more than the file holds: the answer past the TLV end is not passed on (found by fuzzing)', () => {
    // EF.COM of 23 bytes (60 15 ...); the chip gives 14, then 6CFF, then 23 bytes where 9 remain
    const file = [0x60, 0x15, 0x5f, 0x01, 0x04, 0x30, 0x31, 0x30, 0x37, 0x5f, 0x36, 0x06, 0x30, 0x34, 0x30, 0x30, 0x30, 0x30, 0x5c, 0x03, 0x61, 0x75, 0x6f];
    const padding = new Array(14).fill(0xff);
    const chip = scripted([[...file.slice(0, 14), 0x90, 0x00], [0x6c, 0xff], [...file.slice(14), ...padding, 0x90, 0x00]]);
    const chunks: { offset: number; data: number[] }[] = [];
    let total = -1;
    const sink: FileSink = {
      begin: (n) => { total = n; },
      chunk: (data, offset) => { chunks.push({ offset, data: [...data] }); },
      end: () => undefined,
    };
    let result: { err: IcaoError | null; length: number } | null = null;
    readFile(chip, 0x1e, sink, { maxFileLength: 256, extendedBlock: 0 }, (err, length) => { result = { err, length }; });
    expect(result).toEqual({ err: null, length: 23 });
    expect(total).toBe(23);
    expect(chunks.flatMap((c) => c.data)).toEqual(file);
    expect(chunks.every((c) => c.offset + c.data.length <= 23)).toBe(true);
    expect(chip.commands[2][4]).toBe(0xff); // the third READ BINARY asked for the 255 bytes the chip named
  });
});
