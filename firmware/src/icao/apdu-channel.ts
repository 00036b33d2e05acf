// The one primitive under BAC, secure messaging and file reading (JMRTD's APDU channel, Ledger's
// `exchange`): send a command APDU, get the response APDU (data followed by SW1 SW2) or an error.
// One exchange in flight at a time. A channel may answer synchronously (tests) or later (radio),
// so callers never recurse per exchange without bound.

import type { IcaoError } from './errors';

export type ApduCallback = (err: IcaoError | null, response: Uint8Array | null) => void;

/** Pipelining (readFile's body blocks): asked by the channel when the raw answer to the command in
 * flight arrives, before that answer is checked; the command it returns is sent at once, and its
 * answer (checked) goes to `onAhead`, in order, after the answer that triggered it. */
export interface AheadSource {
  nextCommand(): Uint8Array | null;
  onAhead: ApduCallback;
}

export interface ApduChannel {
  transceive(apdu: Uint8Array, callback: ApduCallback): void;
  /** What readFile learnt about the card behind this channel (it keeps the note on the channel,
   * which lives as long as the session): the largest extended-length READ BINARY block the card
   * answered, or -1 when it refused extended length. Absent: not tried yet. */
  readBlock?: number;
  /** False once the card has refused a short EF identifier that SELECT then found (readFile
   * SELECTs every later file). */
  shortIds?: boolean;
  /** Present on channels that can pipeline (SM over the PN532): sets or clears the source. */
  setAhead?(source: AheadSource | null): void;
}
