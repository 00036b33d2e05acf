// The LINK LIMIT of a reading: the time the files' own bytes need on the links that carry them,
// with zero gaps and no protocol overhead of any layer (no PN532 frames, no ISO-DEP blocks,
// CRCs, R(ACK)s or frame delay times, no secure messaging, no APDU headers, no card processing,
// no host-protocol framing). Per file byte:
//   air  = 9 etu (8 data bits + parity, ISO 14443-3 type A) at the negotiated RF rate,
//          etu = 128/fc at 106 kbit/s, 32/fc at 424 (fc = 13.56 MHz): 84.96 µs / 21.24 µs
//   bus  = the PN532 host link: HSU 10 bits (8N1) / baud, I2C 9 bits (8 + ACK) / bit rate,
//          SPI 8 bits / clock
// The PN532 is store-and-forward (it holds a whole R-APDU before its host frame leaves), so the
// two add. USB is not added: the firmware forwards each block to the host while the next READ
// BINARY runs, so USB time overlaps (the virtual device's USB carries 1 byte/µs; see README).

import { etuMicros } from '@epassport/hardware/sim/pn532/rf-timing';

/** µs on air for one type A byte at `rate` kbit/s (the etu of the simulator's RF model). */
export function airMicrosPerByte(rate: 106 | 212 | 424): number {
  return 9 * etuMicros(rate);
}

/** Link limit in ms for `fileBytes` at RF `rate` with `busMicros` µs per byte on the host bus. */
export function linkLimitMs(fileBytes: number, rate: 106 | 212 | 424, busMicros: number): number {
  return (fileBytes * (airMicrosPerByte(rate) + busMicros)) / 1000;
}
