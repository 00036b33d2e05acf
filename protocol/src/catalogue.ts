// The message catalogue: every message either side may send, its code on the wire, and the
// stable string names (error codes, phases, verdicts) that both sides match on.

/** Bumped on any incompatible change of framing or payload layout. */
export const PROTOCOL_VERSION = 2; // 2: the frame CRC covers the body length (frame.ts)

/** Message type codes. Host to device below 0x80, device to host from 0x80. */
export const MSG = {
  HELLO: 0x01,
  READ: 0x02,
  CANCEL: 0x03,
  RESET: 0x04,
  ACK: 0x05,
  HELLO_REPLY: 0x81,
  PROGRESS: 0x82,
  FILE_BEGIN: 0x83,
  FILE_CHUNK: 0x84,
  FILE_END: 0x85,
  RESULT: 0x86,
  ERROR: 0x87,
};

/** Files by ICAO short EF identifier: DG1..DG16 are 0x01..0x10. */
export const FILE = {
  COM: 0x1e,
  SOD: 0x1d,
  /** Not an EF: the chip's answer to INTERNAL AUTHENTICATE (Active Authentication), streamed
   * like a file; empty when the chip refused it. */
  AA_SIGNATURE: 0x80,
};

export function fileName(fileId: number): string {
  if (fileId === FILE.COM) return 'EF.COM';
  if (fileId === FILE.SOD) return 'EF.SOD';
  if (fileId >= 1 && fileId <= 16) return 'DG' + fileId;
  if (fileId === FILE.AA_SIGNATURE) return 'AA signature';
  return 'file 0x' + fileId.toString(16);
}

/** Stable error codes, indexed by their wire value. Never reorder: append. */
export const ERROR_CODES = [
  'internal', // 0: a bug; the message says where
  'bad-request', // malformed or out-of-place command
  'protocol-version', // host and device speak different protocol versions
  'busy', // a read is already running
  'cancelled', // the host cancelled
  'invalid-mrz', // document number / dates / check digits malformed: no radio traffic was made
  'no-card', // no passport appeared before the timeout
  'card-lost', // the passport left the field during the read
  'access-denied', // BAC refused: the MRZ does not match this passport
  'sm-failure', // a secure-messaging response failed its MAC or structure check
  'file-not-found', // a requested file is not on the chip
  'malformed-data', // the chip sent a TLV/DER structure that does not parse
  'too-large', // a length from the chip exceeds the configured maximum
  'unsupported', // the document needs something this reader does not do (PACE only, hash algorithm, ...)
  'hash-mismatch', // a data group's hash differs from EF.SOD
  'pn532-silent', // the NFC module does not answer
  'pn532-error', // the NFC module answered with an error status
  'card-error', // the chip answered with an unexpected status word
  'link-error', // the host link failed (too many retransmissions)
];

export type ErrorCode = string;

export function errorCodeValue(code: ErrorCode): number {
  const i = ERROR_CODES.indexOf(code);
  return i < 0 ? 0 : i;
}

/** Read phases, indexed by their wire value. Never reorder: append.
 * 'card-lost': the passport left the field mid-read; the device waits for it (fileId, done =
 * bytes delivered of it, total = its length). 'resumed': the same passport is back and
 * authenticated again; the file continues at `done`. */
export const PHASES = ['idle', 'waiting-for-card', 'connecting', 'authenticating', 'reading', 'done', 'card-lost', 'resumed'];

/** Hash verdict of one file against EF.SOD, indexed by wire value. */
export const VERDICTS = ['not-checked', 'match', 'mismatch', 'not-in-sod'];

/** Chip Authentication (ICAO 9303-11 §6.2) as the device ran it, indexed by wire value:
 * 'none' not run (no DG14, no CA key, or the reader has no CA), 'ok' the chip proved it holds
 * DG14's private key and secure messaging restarted with the new keys, 'failed' the chip's answer
 * was refused. Never reorder: append. */
export const CHIP_AUTH = ['none', 'ok', 'failed'];

/** Capability bits in the hello reply. */
export const CAP = {
  BAC: 1 << 0,
  TYPE_A: 1 << 1,
  TYPE_B: 1 << 2,
  SHA1: 1 << 3,
  SHA224: 1 << 4,
  SHA256: 1 << 5,
  SHA384: 1 << 6,
  SHA512: 1 << 7,
  RESUME: 1 << 8,
  EXTENDED_LENGTH: 1 << 9,
  PACE: 1 << 10,
  ACTIVE_AUTH: 1 << 11,
};

export interface HelloMessage {
  type: 'hello';
  protocolVersion: number;
}

export interface ReadMessage {
  type: 'read';
  /** Document number as printed in the MRZ (fillers allowed), 1..22 characters. */
  documentNumber: string;
  /** YYMMDD */
  dateOfBirth: string;
  /** YYMMDD */
  dateOfExpiry: string;
  /** The three MRZ check digits (document number, birth, expiry) when the host has them. */
  checkDigits: string;
  /** Data groups wanted, 1..16; those absent from EF.COM are skipped. */
  dataGroups: number[];
  /** How long to wait for a passport, in milliseconds (0: the device default). */
  cardTimeoutMs: number;
  /** Active Authentication: the host's 8-byte challenge. The device sends it in INTERNAL
   * AUTHENTICATE after reading DG15 and streams the answer as file AA_SIGNATURE. Absent or
   * empty: no Active Authentication. On the wire: the last bytes of the payload (0 or 8). */
  challenge?: Uint8Array;
}

export interface CancelMessage {
  type: 'cancel';
}

export interface ResetMessage {
  type: 'reset';
  /** Give the USB port back to the Espruino console (for flashing). */
  toConsole: boolean;
}

/** Cumulative acknowledgement: every frame up to and including `seq` arrived. `window` is how
 * many more unacknowledged frames the sender may have in flight. */
export interface AckMessage {
  type: 'ack';
  seq: number;
  window: number;
}

export interface HelloReplyMessage {
  type: 'hello-reply';
  protocolVersion: number;
  firmwareVersion: string;
  board: string;
  capabilities: number;
  maxPayload: number;
  /** GetFirmwareVersion of the NFC module, IC<<24 | Ver<<16 | Rev<<8 | Support; 0 if silent. */
  nfcFirmware: number;
}

export interface ProgressMessage {
  type: 'progress';
  phase: string;
  fileId: number;
  done: number;
  total: number;
}

export interface FileBeginMessage {
  type: 'file-begin';
  fileId: number;
  length: number;
}

export interface FileChunkMessage {
  type: 'file-chunk';
  fileId: number;
  offset: number;
  data: Uint8Array;
}

export interface FileEndMessage {
  type: 'file-end';
  fileId: number;
  length: number;
  verdict: string;
  /** The digest the device computed over the file (empty when not checked). */
  digest: Uint8Array;
}

export interface ResultMessage {
  type: 'result';
  /** All requested files read and every checked hash matched. */
  ok: boolean;
  files: number[];
  bytesRead: number;
  apdus: number;
  elapsedMs: number;
  /** Chip Authentication outcome (CHIP_AUTH). Absent means 'none'; on the wire one trailing
   * byte, sent only for 'ok' or 'failed', so a device without CA sends what it always did. The
   * host trusts 'ok' only when DG14 is hash-verified under a valid EF.SOD signature. */
  chipAuth?: string;
}

export interface ErrorMessage {
  type: 'error';
  code: ErrorCode;
  /** ISO 7816 status word when the chip gave one, else 0. */
  sw: number;
  fileId: number;
  message: string;
}

export type HostMessage = HelloMessage | ReadMessage | CancelMessage | ResetMessage | AckMessage;
export type DeviceMessage =
  | HelloReplyMessage
  | ProgressMessage
  | FileBeginMessage
  | FileChunkMessage
  | FileEndMessage
  | ResultMessage
  | ErrorMessage
  | AckMessage;
export type Message = HostMessage | DeviceMessage;
