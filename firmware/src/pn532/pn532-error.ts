// The PN532 layer's own error (its failures are not ICAO's): `code` is a string from ERROR_CODES
// in protocol/src/catalogue.ts ('pn532-silent', 'pn532-error', 'card-lost', 'cancelled', ...) and
// is what callers match on, as for IcaoError; `sw` is always 0 (the PN532 has status bytes, not
// status words). It has IcaoError's fields, so both travel through the same callbacks (an
// ApduChannel's, the read session's) and end up as the host's error{code}.
//
// Not `extends Error` (as IcaoError, icao/errors.ts): on Espruino 2v29 `super(message)` in a
// subclass of a built-in throws "Calling 'super' outside of class" (measured on
// ../shared/espruino), so every PN532 failure would have become an uncaught SyntaxError. The gate
// now rejects such a class (tools/espruino-gate.ts). Throwable all the same.

export class Pn532Error {
  code: string;
  sw: number;
  message: string;
  name: string;

  constructor(code: string, message: string) {
    this.message = message || ''; // device bundles leave an empty message out (tools/strip-prose.ts)
    this.name = 'Pn532Error';
    this.code = code;
    this.sw = 0;
  }
}
