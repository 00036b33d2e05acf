// The fault matrix (issue 8). One entry per fault situation; every number in [min, max] is drawn
// per run, and { in: phase } is a position inside that phase of a clean read of utopia-anna with
// DG1, DG2, DG15, measured by calibration.ts with the current firmware (about 77 answers, 18.5 KB
// of answers, 1.8 s of virtual time).
//
// `expect` lists the acceptable outcomes of the faulted read: 'verified', a device error code,
// 'abandoned' (the host left on purpose), or '*' for any typed device error. Whatever the
// outcome, the matrix also demands: no data lost, no byte twice, no wrong verdict, no hang, no
// uncaught error, and a clean read right after.

import { FILE } from '@epassport/protocol';
import type { Scenario } from './scenario';

/** Any moment of a clean read (calibrated). */
const READ_MS = { in: 'read' } as const;
const ALL_BOARDS = ['pico', 'pico-i2c', 'pico-spi'];
/** Errors a card that goes away may end a read with. */
const CARD_GONE = ['card-lost', 'no-card'];

export const SCENARIOS: Scenario[] = [
  // ---- USB link -----------------------------------------------------------------------------
  { name: 'usb-corrupt-to-device', group: 'usb', what: 'host->device packets corrupted (5%)', link: { toDevice: { corrupt: 0.05 } }, expect: ['verified'] },
  { name: 'usb-corrupt-to-host', group: 'usb', what: 'device->host packets corrupted (3%)', link: { toHost: { corrupt: 0.03 } }, expect: ['verified'] },
  { name: 'usb-drop', group: 'usb', what: 'packets dropped both ways (2%)', link: { toDevice: { drop: 0.02 }, toHost: { drop: 0.02 } }, expect: ['verified'] },
  { name: 'usb-duplicate', group: 'usb', what: 'packets duplicated both ways (5%)', link: { toDevice: { duplicate: 0.05 }, toHost: { duplicate: 0.05 } }, expect: ['verified'] },
  { name: 'usb-delay', group: 'usb', what: 'packets delayed 5-400 ms both ways (5%)', link: { toDevice: { delay: 0.05, delayMs: [5, 400] }, toHost: { delay: 0.05, delayMs: [5, 400] } }, expect: ['verified'] },
  {
    name: 'usb-mixed', group: 'usb', what: 'corrupt, drop, duplicate, delay together (1-2% each)', boards: ALL_BOARDS,
    link: { toDevice: { corrupt: 0.02, drop: 0.01, duplicate: 0.01, delay: 0.02 }, toHost: { corrupt: 0.01, drop: 0.01, duplicate: 0.01, delay: 0.02 } },
    expect: ['verified'],
  },
  { name: 'usb-host-closes', group: 'usb', what: 'host closes the port mid-read, a new session 0.1-15 s later', hostCloses: { atMs: READ_MS, backAfterMs: [100, 15000] }, expect: ['abandoned', 'verified'] },
  { name: 'usb-slow-host-short', group: 'usb', what: 'host reads late: device frames held 50-2500 ms', steps: [{ when: { afterMs: READ_MS }, do: [{ link: 'hold', direction: 'toHost', ms: [50, 2500] }] }], expect: ['verified'] },
  { name: 'usb-slow-host-long', group: 'usb', what: 'host reads late: device frames held 2.5-10 s', steps: [{ when: { afterMs: READ_MS }, do: [{ link: 'hold', direction: 'toHost', ms: [2500, 10000] }] }], expect: ['verified', 'link-error'] },
  { name: 'usb-host-acks-late', group: 'usb', what: 'host acknowledgements held 50-2500 ms', steps: [{ when: { afterMs: READ_MS }, do: [{ link: 'hold', direction: 'toDevice', ms: [50, 2500] }] }], expect: ['verified'] },
  { name: 'usb-host-deaf', group: 'usb', what: 'host ignores every frame for 50-2500 ms', steps: [{ when: { afterMs: READ_MS }, do: [{ host: 'deaf', ms: [50, 2500] }] }], expect: ['verified'] },

  // ---- PN532 --------------------------------------------------------------------------------
  {
    name: 'pn532-missing-ack', group: 'pn532', what: '1-3 ACK frames left out', boards: ALL_BOARDS, steps: [{ when: { afterMs: READ_MS }, do: [{ pn532: 'drop-ack', count: [1, 3] }] }],
    // A lost ACK: the driver takes the answer when it comes (no resend of InDataExchange, which
    // would replay the APDU), on SPI an extended frame too (spi.ts reads its header, then the rest;
    // before, 21 of 26 pico-spi runs ended sm-failure). 200 runs: 200 verified.
    expect: ['verified'],
  },
  { name: 'pn532-corrupt-response', group: 'pn532', what: 'one response frame with a bad checksum (NACK, resend)', boards: ALL_BOARDS, steps: [{ when: { afterMs: READ_MS }, do: [{ pn532: 'corrupt-response', count: 1 }] }], expect: ['verified'] },
  { name: 'pn532-nack-storm', group: 'pn532', what: '4-40 corrupt response frames in a row', boards: ALL_BOARDS, steps: [{ when: { afterMs: READ_MS }, do: [{ pn532: 'corrupt-response', count: [4, 40] }] }], expect: ['verified', 'pn532-error', 'pn532-silent', 'card-lost'] },
  {
    name: 'pn532-stops-and-returns', group: 'pn532', what: 'module answers nothing for 20-3000 ms, then works', boards: ALL_BOARDS,
    steps: [{ when: { afterMs: READ_MS }, do: [{ pn532: 'silence', ms: [20, 3000] }] }], expect: ['verified', 'pn532-silent', 'card-lost'],
  },
  {
    name: 'pn532-dies', group: 'pn532', what: 'module stops answering for good mid-read', boards: ALL_BOARDS, steps: [{ when: { afterMs: READ_MS }, do: [{ pn532: 'silence' }] }],
    // Silent only after the last card exchange (while releasing): the data is complete.
    expect: ['pn532-silent', 'verified'], maxMs: 30_000,
  },
  {
    name: 'pn532-reset-mid-command', group: 'pn532', what: 'module reset 0-20 ms after ACKing a command', boards: ALL_BOARDS,
    steps: [{ when: { afterMs: READ_MS }, do: [{ pn532: 'reset-mid-command', afterAckMs: [0, 20] }] }], expect: ['verified', 'pn532-error', 'card-lost'],
  },
  { name: 'pn532-endless-mi', group: 'pn532', what: 'answers flagged "more information" forever', steps: [{ when: { afterMs: READ_MS }, do: [{ pn532: 'endless-mi' }] }], expect: ['*', 'verified'], maxMs: 15_000 },

  // ---- RF / card ----------------------------------------------------------------------------
  { name: 'card-removed-anywhere', group: 'rf', what: 'card leaves at any answer byte of the read', boards: ALL_BOARDS, passport: { removedAfterBytes: { in: 'read' } }, expect: CARD_GONE },
  { name: 'card-removed-in-bac', group: 'rf', what: 'card leaves during SELECT / BAC', passport: { removedAfterBytes: { in: 'bac' } }, expect: CARD_GONE },
  { name: 'card-removed-in-ef-com', group: 'rf', what: 'card leaves while EF.COM is read', passport: { removedAfterBytes: { in: 'ef-com' } }, expect: CARD_GONE },
  { name: 'card-removed-in-ef-sod', group: 'rf', what: 'card leaves while EF.SOD is read', passport: { removedAfterBytes: { in: 'ef-sod' } }, expect: CARD_GONE },
  { name: 'card-removed-in-dg1', group: 'rf', what: 'card leaves while DG1 is read', passport: { removedAfterBytes: { in: 'dg1' } }, expect: CARD_GONE },
  { name: 'card-removed-mid-dg2', group: 'rf', what: 'card leaves mid-chunk of DG2', passport: { removedAfterBytes: { in: 'dg2' } }, expect: CARD_GONE },
  { name: 'card-removed-in-dg15', group: 'rf', what: 'card leaves while DG15 is read', passport: { removedAfterBytes: { in: 'dg15' } }, expect: CARD_GONE },
  ...[FILE.COM, FILE.SOD, 1, 2, 15].map((id): Scenario => ({
    name: 'card-removed-at-file-begin-' + id, group: 'rf', what: 'card taken away as file ' + id + ' begins',
    // file-begin follows the file's first READ BINARY: DG15 (165 bytes) is whole by then.
    steps: [{ when: { fileBegin: id }, do: [{ card: 'remove' }] }], expect: id === 15 ? ['verified', ...CARD_GONE] : CARD_GONE,
  })),
  { name: 'card-removed-while-polling', group: 'rf', what: 'card taken away as it is being connected', steps: [{ when: { progress: 'connecting' }, do: [{ card: 'remove' }] }], expect: CARD_GONE },
  {
    name: 'card-arrives-late', group: 'rf', what: 'no card at first, one arrives after 0-4 s of polling', boards: ALL_BOARDS, cardAbsentAtStart: true, cardTimeoutMs: 6000,
    steps: [{ when: { afterMs: [0, 4000] }, do: [{ card: 'reinsert' }] }], expect: ['verified'],
  },
  { name: 'card-never-comes', group: 'rf', what: 'no card before the timeout', cardAbsentAtStart: true, cardTimeoutMs: 2000, expect: ['no-card'] },
  {
    name: 'card-removed-and-back', group: 'rf', what: 'card leaves at a random byte and is back 0.5-4 s after the read began',
    passport: { removedAfterBytes: { in: 'read' } }, steps: [{ when: { afterMs: [500, 4000] }, do: [{ card: 'reinsert' }] }],
    expect: ['verified', ...CARD_GONE],
  },
  { name: 'rf-crc-error', group: 'rf', what: '1-3 exchanges end with a CRC error (status 02)', boards: ALL_BOARDS, steps: [{ when: { afterMs: READ_MS }, do: [{ pn532: 'exchange-error', status: 0x02, count: [1, 3] }] }], expect: ['verified', 'card-lost', 'pn532-error', 'card-error'] },
  { name: 'rf-timeout', group: 'rf', what: '1-3 exchanges end with a timeout (status 01)', steps: [{ when: { afterMs: READ_MS }, do: [{ pn532: 'exchange-error', status: 0x01, count: [1, 3] }] }], expect: ['verified', 'card-lost'] },
  { name: 'rf-protocol-error', group: 'rf', what: 'an exchange ends with a framing / protocol error (05, 13, 29)', steps: [{ when: { afterMs: READ_MS }, do: [{ pn532: 'exchange-error', status: 0x13, count: 1 }] }], expect: ['verified', 'card-lost', 'pn532-error', 'card-error'] },
  { name: 'slow-chip', group: 'rf', what: 'every answer takes 100-600 ms', passport: { processingMs: [100, 600] }, expect: ['verified'], maxMs: 300_000 },
  {
    name: 'wtx-like-pauses', group: 'rf', what: 'BAC 1-4.5 s, each READ BINARY 50-900 ms (WTX-extended answers)',
    passport: { processingMs: { mutualAuthenticate: [1000, 4500], readBinary: [50, 900] } }, expect: ['verified'], maxMs: 300_000,
  },

  // ---- hostile chip -------------------------------------------------------------------------
  { name: 'chip-wrong-mac', group: 'hostile', what: 'a random answer under SM has a wrong MAC', passport: { wrongMacResponse: { in: 'read' } }, expect: ['sm-failure'] },
  // Verified is right when the flipped bit was in an answer no MAC covers and the reader handles
  // alike (a plain 6700 -> 6710 to an extended-length read: seed 1864819486); the judge's wrong-
  // verdict count is what proves no flipped byte was ever accepted.
  { name: 'chip-bit-flip', group: 'hostile', what: 'one bit of a random answer flipped', passport: { mutate: { kind: 'flip-bit', response: { in: 'read' } } }, expect: ['verified', '*'] },
  // Verified is right when the inverted byte was in a plain error status no MAC covers (6700 ->
  // 6798: seed 899165442), as in chip-bit-flip.
  { name: 'chip-corrupt-byte', group: 'hostile', what: 'one byte of a random answer inverted', passport: { corruptResponse: { index: { in: 'read' } } }, expect: ['verified', '*'] },
  {
    name: 'chip-status-out-of-sequence', group: 'hostile', what: 'a random answer replaced by a bare status word',
    passport: { mutate: { kind: 'status', response: { in: 'read' }, sw: [0x9000, 0x6282, 0x6a82, 0x6982, 0x6700, 0x6b00, 0x6110, 0x6c10, 0x6f00, 0x6988, 0x6987] } },
    // 9000 in place of SELECT's own 9000 changes nothing: a verified read is right then.
    expect: ['*', 'verified'],
  },
  { name: 'chip-61xx-forever', group: 'hostile', what: 'every answer from a random one on is 61 10 (more data, forever)', passport: { mutate: { kind: 'status-from', response: { in: 'read' }, sw: 0x6110 } }, expect: ['*'] },
  {
    name: 'chip-oversized-answer', group: 'hostile', what: 'a random answer carries 1-300 extra bytes', passport: { mutate: { kind: 'oversize', response: { in: 'read' }, extra: [1, 300] } },
    // Extra bytes on the plain SELECT answer change nothing the reader uses: verified is right.
    expect: ['*', 'verified'],
  },
  { name: 'ef-com-huge-length', group: 'hostile', what: 'EF.COM says it is 4 GB long', files: [{ file: FILE.COM, header: [0x60, 0x84, 0xff, 0xff, 0xff, 0xff] }], expect: ['too-large', 'malformed-data'] },
  { name: 'ef-com-bad-length', group: 'hostile', what: 'EF.COM length byte 0x85 / 0x80 (invalid DER)', files: [{ file: FILE.COM, header: [0x60, 0x80] }], expect: ['malformed-data', 'too-large'] },
  { name: 'ef-com-lists-missing-file', group: 'hostile', what: 'EF.COM lists DG15, the chip has no DG15 (6A82)', files: [{ file: 15, missing: true }], expect: ['file-not-found'] },
  // EF.COM is not signed, and an unparsable one makes the device read DG1, DG2 and the requested
  // groups (issue #15, 61a964f): a verified read is then right (seed 1864673380).
  { name: 'ef-com-garbage', group: 'hostile', what: 'EF.COM is 1-200 random bytes', files: [{ file: FILE.COM, garbage: [1, 200] }], expect: ['verified', '*'] },
  { name: 'ef-sod-garbage', group: 'hostile', what: 'EF.SOD is 4-3000 random bytes', files: [{ file: FILE.SOD, garbage: [4, 3000] }], expect: ['*'] },
  { name: 'ef-sod-huge-length', group: 'hostile', what: 'EF.SOD header says 16 MB', files: [{ file: FILE.SOD, header: [0x77, 0x84, 0x01, 0x00, 0x00, 0x00] }], expect: ['too-large', 'malformed-data'] },
  { name: 'ef-sod-deep-nesting', group: 'hostile', what: 'EF.SOD is 50-2000 nested SEQUENCEs', files: [{ file: FILE.SOD, nested: [50, 2000], tag: 0x77 }], expect: ['malformed-data', 'too-large', 'unsupported'] },
  { name: 'ef-sod-truncated', group: 'hostile', what: 'EF.SOD cut to 10-1700 bytes', files: [{ file: FILE.SOD, truncateTo: [10, 1700] }], expect: ['*'] },
  { name: 'dg2-huge-length', group: 'hostile', what: 'DG2 header says 16 MB', files: [{ file: 2, header: [0x75, 0x84, 0x01, 0x00, 0x00, 0x00] }], expect: ['too-large', 'malformed-data'] },
  { name: 'dg2-truncated', group: 'hostile', what: 'DG2 shorter than its TLV length', files: [{ file: 2, truncateTo: [5, 14000] }], expect: ['*'] },
  // A changed length byte makes the file longer than the chip holds: the chip refuses the read past
  // its end, card-error (DG1 5B -> 5F: seed 1830417504).
  { name: 'dg1-tampered', group: 'hostile', what: 'one byte of DG1 changed (signature no longer covers it)', files: [{ file: 1, flipByteAt: [0, 92] }], expect: ['hash-mismatch', 'malformed-data', 'card-error'] },
  { name: 'dg2-tampered', group: 'hostile', what: 'one byte of DG2 changed', files: [{ file: 2, flipByteAt: [0, 14798] }], expect: ['hash-mismatch', 'malformed-data', 'card-error'] },
  { name: 'dg-deep-nesting', group: 'hostile', what: 'DG1 is 50-2000 nested SEQUENCEs', files: [{ file: 1, nested: [50, 2000], tag: 0x61 }], expect: ['hash-mismatch', 'malformed-data', 'too-large'] },
];

/** Scenarios that fail today because of firmware bugs outside the fault matrix's area (see
 * test/faults/README.md, "Findings"). `npm run faults` counts them like any other; the quick
 * matrix in `npm test` still demands of them no data lost, no byte twice, no wrong verdict and
 * no uncaught error, and reports the rest instead of failing. Remove an entry once fixed. */
export const KNOWN_ISSUES: Record<string, string> = {};
