// The PN532 layer's own error (its failures are not ICAO's): `code` is a string from ERROR_CODES
// in protocol/src/catalogue.ts ('pn532-silent', 'pn532-error', 'card-lost', 'cancelled', ...) and
// is what callers match on, as for IcaoError; `sw` is always 0 (the PN532 has status bytes, not
// status words). It has IcaoError's fields, so both travel through the same callbacks (an
// ApduChannel's, the read session's) and end up as the host's error{code}.

export class Pn532Error extends Error {
  code: string;
  sw: number;

  constructor(code: string, message: string) {
    super(message);
    // Set again explicitly: Espruino's built-in Error constructor may not initialise `this`.
    this.message = message;
    this.name = 'Pn532Error';
    this.code = code;
    this.sw = 0;
  }
}
