// The one error class of the SDK. Every failure carries a stable string `code`: the device's
// ERROR_CODES (protocol/src/catalogue.ts) or one of HOST_ERROR_CODES below. Match on `code`,
// never on `message`. Messages never contain personal data (MRZ, names).
// This module sits at the bottom of the SDK: every other module may import it, and it imports
// nothing of the SDK (the document of an unverified read rides on UnverifiedDocumentError).

import { ERROR_CODES } from '@epassport/protocol';

/** Codes raised by the host itself (the device's codes are ERROR_CODES). */
export const HOST_ERROR_CODES = [
  'not-found', // no reader on any serial port, or the named port does not exist
  'port-error', // the serial port could not be opened or failed
  'timeout', // the device went silent (handshake, or a read without any message)
  'disconnected', // the port closed under us (unplugged)
  'protocol-version', // host and device protocol versions differ
  'invalid-mrz', // the MRZ input is malformed or a check digit is wrong (no radio traffic made)
  'untrusted', // passive authentication did not verify
  'invalid-argument', // a caller error other than the MRZ
  'trust-store', // a trust store / master list could not be read or was rejected
  'malformed-data', // a file from the chip does not parse
];

export type ReaderErrorCode = string;

export interface ReaderErrorDetails {
  /** ISO 7816 status word when the chip gave one. */
  sw?: number;
  /** The file concerned (short EF id), when there is one. */
  fileId?: number;
  /** Which field of the input is wrong (invalid-mrz). */
  field?: string;
  cause?: unknown;
}

export class ReaderError extends Error {
  readonly code: ReaderErrorCode;
  readonly sw: number;
  readonly fileId: number;
  readonly field: string | undefined;

  constructor(code: ReaderErrorCode, message: string, details: ReaderErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ReaderError';
    this.code = code;
    this.sw = details.sw ?? 0;
    this.fileId = details.fileId ?? 0;
    this.field = details.field;
  }
}

export function isReaderError(e: unknown, code?: string): e is ReaderError {
  return e instanceof ReaderError && (code === undefined || e.code === code);
}

/** Every code a ReaderError may carry. */
export const ALL_ERROR_CODES: readonly string[] = [...new Set([...ERROR_CODES, ...HOST_ERROR_CODES])];
