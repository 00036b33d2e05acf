import { describe, expect, it } from 'vitest';
import { readerErrorMessage } from './error-step.js';

describe('reader error sentences', () => {
  it('names the file and the step from the firmware code', () => {
    expect(readerErrorMessage('file-not-found', '@4096 ', 0x6a82, 2)).toBe('reading DG2 at offset 4096: status 6A82');
    expect(readerErrorMessage('file-not-found', 'sel ', 0x6a82, 2)).toBe('selecting DG2: status 6A82');
    expect(readerErrorMessage('malformed-data', '@0 file too short', 0, 2)).toBe('reading DG2 at offset 0: malformed-data (file too short)');
  });

  it('leaves other messages alone', () => {
    expect(readerErrorMessage('card-lost', '', 0, 0)).toBe('the reader reported card-lost');
    expect(readerErrorMessage('access-denied', 'BAC refused', 0x6300, 0)).toBe('BAC refused');
  });
});
