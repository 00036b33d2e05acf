// Fuzzing the MRZ code: parseMrz on valid TD1/TD2/TD3 zones mutated character-wise (replaced,
// inserted, deleted, lower-cased, split differently) and on arbitrary text; toBacKey on any
// JavaScript value a caller might pass (wrong types included); mrzDateToIso on any string.
// Results are well-formed or the error is ReaderError with its documented code.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs, withDeadline } from '../../../test/fuzz/guards';
import { ReaderError } from '../reader-error';
import { checkDigit, checkDigitMatches } from './check-digit';
import { toBacKey } from './mrz-input';
import { mrzDateToIso, parseMrz } from './mrz-parser';

const CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];
const TD2 = ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'];

function typed<T>(fn: () => T, code: string): T | ReaderError {
  try {
    return withDeadline(fn);
  } catch (e) {
    if (!(e instanceof ReaderError)) throw e;
    expect(e.code).toBe(code);
    return e;
  }
}

type Edit = { kind: 'replace' | 'insert' | 'delete' | 'lower'; at: number; char: string };
const arbEdits = fc.array(fc.record({
  kind: fc.constantFrom('replace' as const, 'insert' as const, 'delete' as const, 'lower' as const),
  at: fc.nat(), char: fc.oneof(fc.constantFrom(...CHARS), fc.string({ minLength: 1, maxLength: 1 })),
}), { maxLength: 4 });

function edit(text: string, edits: Edit[]): string {
  for (const e of edits) {
    const at = text.length ? e.at % text.length : 0;
    if (e.kind === 'replace') text = text.slice(0, at) + e.char + text.slice(at + 1);
    if (e.kind === 'insert') text = text.slice(0, at) + e.char + text.slice(at);
    if (e.kind === 'delete') text = text.slice(0, at) + text.slice(at + 1);
    if (e.kind === 'lower') text = text.toLowerCase();
  }
  return text;
}

const arbMrzText = fc.oneof(
  fc.tuple(fc.constantFrom(TD1, TD2, TD3), fc.constantFrom('\n', '', '|', '\r\n', ' \n '), arbEdits).map(([lines, sep, edits]) => edit(lines.join(sep), edits)),
  fc.string({ unit: fc.constantFrom(...CHARS, '\n'), maxLength: 140 }),
  fc.string({ maxLength: 200 }),
);

describe('MRZ fuzzing', () => {
  it('parseMrz: fields with check-digit verdicts that agree with the digits, or malformed-data', () => {
    fc.assert(fc.property(arbMrzText, (text) => {
      const r = typed(() => parseMrz(text), 'malformed-data');
      if (r instanceof ReaderError) return;
      expect(['TD1', 'TD2', 'TD3']).toContain(r.format);
      for (const l of r.lines) expect(l).toMatch(/^[A-Z0-9<]+$/);
      // ('<' as a check digit counts only for an all-filler field)
      expect(r.checks.dateOfBirth).toBe(checkDigitMatches(r.dateOfBirth, r.dateOfBirthCheckDigit));
      expect(r.checks.dateOfExpiry).toBe(checkDigitMatches(r.dateOfExpiry, r.dateOfExpiryCheckDigit));
      expect(r.checks.documentNumber).toBe(checkDigitMatches(r.documentNumberField, r.documentNumberCheckDigit));
      expect(r.valid).toBe(Object.values(r.checks).every(Boolean));
    }), { numRuns: runs(3000) });
  });

  it('toBacKey: a well-formed key or invalid-mrz, whatever the caller passes', () => {
    const arbField = fc.oneof(fc.string({ maxLength: 30 }), fc.integer({ min: 100000, max: 999999 }), fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 6, maxLength: 7 }), fc.anything());
    const arbInput = fc.oneof(
      fc.record({ documentNumber: arbField, dateOfBirth: arbField, dateOfExpiry: arbField }),
      fc.record({ mrz: fc.oneof(arbMrzText, fc.array(fc.oneof(fc.string(), fc.anything()), { maxLength: 4 }), fc.anything()) }),
      fc.tuple(fc.string({ unit: fc.constantFrom(...CHARS), minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 999999 }), fc.integer({ min: 0, max: 9999999 }))
        .map(([n, b, e]) => ({ mrz: n + ' ' + String(b).padStart(6, '0') + ' ' + String(e).padStart(6, '0') })),
      fc.anything(),
    );
    fc.assert(fc.property(arbInput, (input) => {
      const key = typed(() => toBacKey(input as Parameters<typeof toBacKey>[0]), 'invalid-mrz');
      if (key instanceof ReaderError) return;
      expect(key.documentNumber).toMatch(/^[0-9A-Z<]{9,}$/);
      expect(typeof key.dateOfBirth).toBe('string');
      expect(typeof key.dateOfExpiry).toBe('string');
      expect(key.dateOfBirth).toMatch(/^\d{6}$/);
      expect(key.dateOfExpiry).toMatch(/^\d{6}$/);
      expect(key.checkDigits).toBe(checkDigit(key.documentNumber) + checkDigit(key.dateOfBirth) + checkDigit(key.dateOfExpiry));
    }), { numRuns: runs(3000) });
  });

  it('mrzDateToIso: null or a real calendar date', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 8 }), fc.string({ unit: fc.constantFrom(...'0123456789<'), minLength: 6, maxLength: 6 })), fc.constantFrom('birth' as const, 'expiry' as const), (s, kind) => {
      const r = mrzDateToIso(s, kind, new Date('2025-06-01T00:00:00Z'));
      if (r !== null) {
        expect(r).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(new Date(r + 'T00:00:00Z').toISOString().slice(0, 10)).toBe(r);
        expect(r.slice(2, 4) + r.slice(5, 7) + r.slice(8, 10)).toBe(s);
      }
    }), { numRuns: runs(2000) });
  });
});
