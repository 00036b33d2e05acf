/* global E */
// Prelude for the device-cost runs on the Linux interpreter (measure.ts): a Storage file
// 'native' with a valid blob header (ABI.md: 'EPN1', version 1, length, 19 entries) and
// E.getAddressOf / E.nativeCall that make the firmware's seams take their native path with
// no-op entries. No native code runs; what callgrind counts is the JavaScript around the calls.
var hdr = 'EPN1\x01\x00\x00\x00\x5c\x00\x00\x00\x00\x00\x00\x00';
while (hdr.length < 92) hdr += '\x00';
require('Storage').write('native', hdr); // eslint-disable-line @typescript-eslint/no-require-imports -- Espruino's module system
// The last array other than an SM ctx whose address was taken: sm_unwrap's stub reads the
// response it was given.
var lastArray = null;
E.getAddressOf = function (a) {
  if (a.length !== 808) lastArray = a;
  return 4096;
};
E.nativeCall = function (offset) {
  var entry = (offset - 17) / 4;
  // cobs_encode returns the encoded length, cobs_decode the decoded one; the rest 0 (CRC 0, DCS 0,
  // MAC of zeros: the answers in entry.ts are made to match).
  if (entry === 8) return function (a, n) { return n + 1; };
  if (entry === 9) return function (a, n) { return n - 1; };
  // sm_unwrap: entry.ts's answers carry the plain text itself as "cryptogram" (stubbed DES):
  // (length << 8) | offset of the plain text, with the status word written after it, as the
  // blob returns. A few interpreted operations, counted with the JS around the call.
  if (entry === 18) return function () {
    var r = lastArray;
    var off = r[1] === 0x81 ? 4 : r[1] === 0x82 ? 5 : 3;
    var end = off - 1 + (r[1] === 0x81 ? r[2] : r[1] === 0x82 ? (r[2] << 8) | r[3] : r[1]);
    var i = end - 1;
    while (r[i] === 0) i--;
    r[i] = 0x90;
    r[i + 1] = 0;
    return ((i - off) << 8) | off;
  };
  return function () { return 0; };
};
