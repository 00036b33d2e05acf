// Field layout of the three machine-readable zone formats (ICAO 9303 Parts 4, 5, 6): position
// tables, one per format, used by the parser and by tests that build MRZs.

export type MrzFormat = 'TD1' | 'TD2' | 'TD3';

/** Lines and line length of each format. */
export const MRZ_SHAPES: Record<MrzFormat, { lines: number; length: number }> = {
  TD1: { lines: 3, length: 30 },
  TD2: { lines: 2, length: 36 },
  TD3: { lines: 2, length: 44 },
};

/** Format from the total character count of the MRZ (DG1's 5F1F holds the lines concatenated). */
export function formatOfLength(total: number): MrzFormat | null {
  if (total === 90) return 'TD1';
  if (total === 72) return 'TD2';
  if (total === 88) return 'TD3';
  return null;
}

/** [start, end) of one field within its line. */
export type Span = [line: number, start: number, end: number];

export interface MrzLayout {
  documentCode: Span;
  issuingState: Span;
  name: Span;
  documentNumber: Span;
  documentNumberCheck: Span;
  nationality: Span;
  dateOfBirth: Span;
  dateOfBirthCheck: Span;
  sex: Span;
  dateOfExpiry: Span;
  dateOfExpiryCheck: Span;
  optionalData: Span;
  /** TD3: personal number check digit. */
  optionalDataCheck?: Span;
  /** TD1: the second optional data field (line 2). */
  optionalData2?: Span;
  compositeCheck: Span;
  /** The spans the composite check digit covers, in order. */
  composite: Span[];
}

export const MRZ_LAYOUTS: Record<MrzFormat, MrzLayout> = {
  TD1: {
    documentCode: [0, 0, 2],
    issuingState: [0, 2, 5],
    documentNumber: [0, 5, 14],
    documentNumberCheck: [0, 14, 15],
    optionalData: [0, 15, 30],
    dateOfBirth: [1, 0, 6],
    dateOfBirthCheck: [1, 6, 7],
    sex: [1, 7, 8],
    dateOfExpiry: [1, 8, 14],
    dateOfExpiryCheck: [1, 14, 15],
    nationality: [1, 15, 18],
    optionalData2: [1, 18, 29],
    compositeCheck: [1, 29, 30],
    name: [2, 0, 30],
    composite: [[0, 5, 30], [1, 0, 7], [1, 8, 15], [1, 18, 29]],
  },
  TD2: {
    documentCode: [0, 0, 2],
    issuingState: [0, 2, 5],
    name: [0, 5, 36],
    documentNumber: [1, 0, 9],
    documentNumberCheck: [1, 9, 10],
    nationality: [1, 10, 13],
    dateOfBirth: [1, 13, 19],
    dateOfBirthCheck: [1, 19, 20],
    sex: [1, 20, 21],
    dateOfExpiry: [1, 21, 27],
    dateOfExpiryCheck: [1, 27, 28],
    optionalData: [1, 28, 35],
    compositeCheck: [1, 35, 36],
    composite: [[1, 0, 10], [1, 13, 20], [1, 21, 35]],
  },
  TD3: {
    documentCode: [0, 0, 2],
    issuingState: [0, 2, 5],
    name: [0, 5, 44],
    documentNumber: [1, 0, 9],
    documentNumberCheck: [1, 9, 10],
    nationality: [1, 10, 13],
    dateOfBirth: [1, 13, 19],
    dateOfBirthCheck: [1, 19, 20],
    sex: [1, 20, 21],
    dateOfExpiry: [1, 21, 27],
    dateOfExpiryCheck: [1, 27, 28],
    optionalData: [1, 28, 42],
    optionalDataCheck: [1, 42, 43],
    compositeCheck: [1, 43, 44],
    composite: [[1, 0, 10], [1, 13, 20], [1, 21, 43]],
  },
};
