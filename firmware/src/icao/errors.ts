// The one error type of the ICAO layer. `code` is a string from ERROR_CODES in
// protocol/src/catalogue.ts and is what callers match on; `sw` is the status word that caused it
// (0 when none). Messages never carry MRZ data or key material.

// Not `extends Error`: on Espruino 2v29 `super(message)` in a subclass of the built-in Error
// throws "SyntaxError: Calling 'super' outside of class" (measured on ../shared/espruino), so
// every error path of the device would end in an uncaught exception. Throwable all the same.
export class IcaoError {
  code: string;
  sw: number;
  message: string;
  name: string;

  constructor(code: string, message: string, sw?: number) {
    this.message = message || ''; // device bundles leave an empty last message out (tools/strip-prose.ts)
    this.name = 'IcaoError';
    this.code = code;
    this.sw = sw || 0;
  }
}

/** Status words named once (ISO/IEC 7816-4, ICAO 9303-10/11); a const enum: esbuild inlines the values. */
export const enum SW {
  OK = 0x9000,
  END_OF_FILE = 0x6282, // end of file reached before reading Le bytes
  VERIFICATION_FAILED = 0x6300,
  WRONG_LENGTH = 0x6700,
  SECURITY_STATUS = 0x6982, // security status not satisfied (BAC refused, EAC-protected file)
  AUTH_BLOCKED = 0x6983,
  REF_DATA_UNUSABLE = 0x6984,
  CONDITIONS = 0x6985,
  NO_CURRENT_EF = 0x6986,
  SM_MISSING = 0x6987, // expected secure-messaging data objects missing
  SM_INCORRECT = 0x6988, // secure-messaging data objects incorrect
  FILE_NOT_FOUND = 0x6a82,
  WRONG_P1P2 = 0x6a86,
  FUNC_NOT_SUPPORTED = 0x6a81,
  WRONG_OFFSET = 0x6b00,
  INS_NOT_SUPPORTED = 0x6d00,
  CLA_NOT_SUPPORTED = 0x6e00,
}

export function hex4(sw: number): string {
  const s = '000' + sw.toString(16).toUpperCase();
  return s.substring(s.length - 4);
}

/** Status word of an R-APDU (last two bytes); 0 when the response is shorter than two bytes. */
export function statusWord(response: Uint8Array): number {
  const n = response.length;
  return n < 2 ? 0 : (response[n - 2] << 8) | response[n - 1];
}

/**
 * The error for an unexpected status word. `authenticating` is true during BAC, where the
 * refusals 6300 / 6982 / 6988 (and their kin) mean the MRZ does not match this passport.
 */
export function errorForStatus(sw: number, what: string, authenticating?: boolean): IcaoError {
  const code = authenticating && ((sw & 0xfff0) === 0x63c0 || sw === SW.VERIFICATION_FAILED || sw === SW.SECURITY_STATUS ||
    sw === SW.AUTH_BLOCKED || sw === SW.REF_DATA_UNUSABLE || sw === SW.SM_INCORRECT || sw === SW.SM_MISSING || sw === SW.CONDITIONS)
    ? 'access-denied'
    : sw === SW.FILE_NOT_FOUND ? 'file-not-found'
      : sw === SW.SECURITY_STATUS ? 'access-denied'
        : sw === SW.SM_MISSING || sw === SW.SM_INCORRECT ? 'sm-failure'
          : sw === SW.INS_NOT_SUPPORTED || sw === SW.CLA_NOT_SUPPORTED || sw === SW.FUNC_NOT_SUPPORTED ? 'unsupported'
            : 'card-error';
  return new IcaoError(code, what + ': status ' + hex4(sw), sw);
}

/** Wraps anything thrown by a callee (a sink, a parser) into an IcaoError. A coded error of the
 * layer below (Pn532Error: the same code and sw fields) keeps its code. */
export function asIcaoError(e: unknown): IcaoError {
  if (e instanceof IcaoError) return e;
  const coded = e as IcaoError | null;
  if (coded && typeof coded.code === 'string' && typeof coded.sw === 'number') return coded;
  return new IcaoError('internal', e instanceof Error ? e.message : String(e));
}
