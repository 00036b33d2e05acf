// The seam between the PN532 simulator's RF side and whatever card sits in its field: the
// virtual passport, a test card, or a bridge to an external emulator (vpcd). The PN532 model
// does activation, ISO 14443-4 framing and timing; a card only answers APDUs.

/** Type A activation data, as the PN532 reports it in InListPassiveTarget. */
export interface TypeAIdentity {
  type: 'A';
  /** SENS_RES, two bytes as sent on air (e.g. 00 04 -> [0x00, 0x04]). */
  atqa: Uint8Array;
  sak: number;
  uid: Uint8Array;
  /** Answer to select, starting with its TL length byte (e.g. 06 75 77 81 02 80). */
  ats: Uint8Array;
}

/** Type B activation data. */
export interface TypeBIdentity {
  type: 'B';
  /** ATQB, 12 bytes: 50 PUPI(4) AppData(4) ProtInfo(3). */
  atqb: Uint8Array;
  /** ATTRIB response (first byte: MBLI/CID). */
  attribRes: Uint8Array;
}

export interface CardReply {
  /** R-APDU: data followed by SW1 SW2. */
  response: Uint8Array;
  /** Time the chip spends before it starts answering, in ms (added to the virtual clock). */
  processingMs: number;
}

export interface Card {
  readonly identity: TypeAIdentity | TypeBIdentity;
  /** Whether the card is in the field now. A card may leave on its own (a configured "removed
   * after N bytes" behaviour); the PN532 model then sees timeouts and no target on polling. */
  isPresent(): boolean;
  /** Field switched on / card activated: the chip restarts (no application selected, no BAC). */
  reset(): void;
  /** One command APDU. null: the card did not answer (gone or mute), which the PN532 reports as
   * a timeout. A bridge to an external emulator answers asynchronously. */
  transceive(apdu: Uint8Array): CardReply | null | Promise<CardReply | null>;
}
