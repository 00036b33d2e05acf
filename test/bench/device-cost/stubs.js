/* global E */
// Prelude for the device-cost runs on the Linux interpreter (measure.ts): a Storage file
// 'native' with a valid blob header (ABI.md: 'EPN1', version 1, length, 18 entries) and
// E.getAddressOf / E.nativeCall that make the firmware's seams take their native path with
// no-op entries. No native code runs; what callgrind counts is the JavaScript around the calls.
var hdr = 'EPN1\x01\x00\x00\x00\x58\x00\x00\x00\x00\x00\x00\x00';
while (hdr.length < 88) hdr += '\x00';
require('Storage').write('native', hdr); // eslint-disable-line @typescript-eslint/no-require-imports -- Espruino's module system
E.getAddressOf = function () { return 4096; };
E.nativeCall = function (offset) {
  var entry = (offset - 17) / 4;
  // cobs_encode returns the encoded length, cobs_decode the decoded one; the rest 0 (CRC 0, DCS 0,
  // MAC of zeros: the answers in entry.ts are made to match).
  if (entry === 8) return function (a, n) { return n + 1; };
  if (entry === 9) return function (a, n) { return n - 1; };
  return function () { return 0; };
};
