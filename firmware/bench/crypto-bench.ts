// Throughput of the device crypto, measured in Node (V8). Espruino interprets the same code
// tens to hundreds of times slower; these figures compare implementations, they do not predict
// the board. Run: npm run bench -w firmware
import { DesCipher } from '../src/crypto/des';
import { createHash } from '../src/crypto/hash';
import { RetailMac } from '../src/crypto/retail-mac';

const MIN_MS = 400;

function measure(unitsPerCall: number, fn: () => void): number {
  for (let i = 0; i < 20; i++) fn(); // warm up
  let calls = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  do {
    for (let i = 0; i < 10; i++) fn();
    calls += 10;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  } while (elapsed < MIN_MS);
  return (calls * unitsPerCall) / (elapsed / 1000);
}

function fmt(n: number, unit: string): string {
  const s = n >= 1e6 ? (n / 1e6).toFixed(2) + ' M' : n >= 1e3 ? (n / 1e3).toFixed(1) + ' k' : n.toFixed(0) + ' ';
  return s + unit;
}

const key8 = new Uint8Array([0x13, 0x34, 0x57, 0x79, 0x9b, 0xbc, 0xdf, 0xf1]);
const key16 = new Uint8Array(16).map((_, i) => (i * 37 + 11) & 0xff);
const buf = new Uint8Array(4096).map((_, i) => (i * 7) & 0xff);
const out = new Uint8Array(buf.length);
const blocks = buf.length / 8;

const des = new DesCipher(key8);
const tdes = new DesCipher(key16);
const mac = new RetailMac(key16);
const rows: [string, string][] = [
  ['DES-CBC encrypt', fmt(measure(blocks, () => des.cbcEncrypt(null, buf, out)), 'blocks/s')],
  ['DES block (one-block CBC = ECB)', fmt(measure(1, () => des.cbcEncrypt(null, buf.subarray(0, 8), out.subarray(0, 8))), 'blocks/s')],
  ['3DES-CBC encrypt (2-key EDE)', fmt(measure(blocks, () => tdes.cbcEncrypt(null, buf, out)), 'blocks/s')],
  ['3DES-CBC decrypt (2-key EDE)', fmt(measure(blocks, () => tdes.cbcDecrypt(null, buf, out)), 'blocks/s')],
  ['retail MAC (ISO 9797-1 alg. 3)', fmt(measure(buf.length, () => { mac.update(buf); mac.finish(); }), 'bytes/s')],
];
for (const name of ['sha1', 'sha256', 'sha384', 'sha512']) {
  rows.push([name.toUpperCase().replace('SHA', 'SHA-'), fmt(measure(buf.length, () => { const h = createHash(name); h.update(buf); h.digest(); }), 'bytes/s')]);
}
// One secure-messaging READ BINARY block: 3DES-CBC of 240 bytes plus a MAC over ~260 bytes.
const block = new Uint8Array(240);
rows.push(['SM unwrap work per 239-byte block', fmt(measure(1, () => { mac.update(block); mac.update(block, 0, 20); mac.finish(); tdes.cbcDecrypt(null, block, block); }), 'blocks/s')]);

const width = Math.max(...rows.map((r) => r[0].length));
console.log(`crypto throughput in Node ${process.version} (pure TypeScript, as bundled for Espruino)`);
for (const [name, value] of rows) console.log('  ' + name.padEnd(width) + '  ' + value);
