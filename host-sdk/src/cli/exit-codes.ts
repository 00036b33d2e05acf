// The CLI's exit codes, one per class of outcome, by ReaderError code.

export const EXIT = {
  VERIFIED: 0,
  USAGE: 1,
  DEVICE: 2,
  CARD: 3,
  ACCESS_DENIED: 4,
  NOT_VERIFIED: 5,
  OTHER: 6,
  CANCELLED: 130,
} as const;

/** Error codes by exit code (anything not listed: OTHER). */
const BY_CODE: Record<string, number> = {
  'invalid-mrz': EXIT.USAGE,
  'invalid-argument': EXIT.USAGE,
  'trust-store': EXIT.USAGE,
  'not-found': EXIT.DEVICE,
  'port-error': EXIT.DEVICE,
  disconnected: EXIT.DEVICE,
  'protocol-version': EXIT.DEVICE,
  'link-error': EXIT.DEVICE,
  'no-card': EXIT.CARD,
  'card-lost': EXIT.CARD,
  timeout: EXIT.CARD,
  'access-denied': EXIT.ACCESS_DENIED,
  'hash-mismatch': EXIT.NOT_VERIFIED,
  untrusted: EXIT.NOT_VERIFIED,
  cancelled: EXIT.CANCELLED,
};

export function exitCodeFor(code: string): number {
  return BY_CODE[code] ?? EXIT.OTHER;
}

/** For the README and `--help`. */
export const EXIT_CODE_TABLE: [number, string][] = [
  [EXIT.VERIFIED, 'read and verified (hashes, signature and chain); other commands: success'],
  [EXIT.USAGE, 'usage: bad arguments, invalid MRZ input, unreadable or rejected trust file'],
  [EXIT.DEVICE, 'reader not found, port error, unplugged, protocol version mismatch'],
  [EXIT.CARD, 'no passport presented, passport removed during the read, reader silent (timeout)'],
  [EXIT.ACCESS_DENIED, 'access denied: the MRZ does not match this passport'],
  [EXIT.NOT_VERIFIED, 'read ok but NOT verified: every verdict reason (the line names its code)'],
  [EXIT.OTHER, 'other device or chip errors'],
  [EXIT.CANCELLED, 'cancelled (Ctrl-C)'],
];
