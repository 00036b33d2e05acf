// Builders for LDS files and face images, for tests and the fake device (not used at run time).

import { createRequire } from 'node:module';
import jpeg from 'jpeg-js';
import { concatBytes, encodeTlv } from '../../src/lds/tlv';

export { encodeDg1 } from '../../src/lds/dg1';

const DG_FILE_TAGS = [0, 0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70];

export function encodeEfCom(groups: number[]): Uint8Array {
  const ascii = (s: string) => new TextEncoder().encode(s);
  return encodeTlv(0x60, concatBytes(
    encodeTlv(0x5f01, ascii('0107')),
    encodeTlv(0x5f36, ascii('040000')),
    encodeTlv(0x5c, new Uint8Array(groups.map((g) => DG_FILE_TAGS[g]))),
  ));
}

const be = (n: number, bytes: number) => {
  const out = new Uint8Array(bytes);
  for (let i = bytes - 1; i >= 0; i--, n = Math.floor(n / 256)) out[i] = n & 0xff;
  return out;
};

export interface FaceSpec {
  bytes: Uint8Array;
  width: number;
  height: number;
  /** 0 JPEG, 1 JPEG 2000 */
  dataType: number;
  featurePoints?: number;
  gender?: number;
}

/** One ISO/IEC 19794-5 facial record holding `faces`. */
export function encodeFacialRecord(faces: FaceSpec[]): Uint8Array {
  const records = faces.map((f) => {
    const points = f.featurePoints ?? 0;
    const info = concatBytes(be(20 + 8 * points + 12 + f.bytes.length, 4), be(points, 2), new Uint8Array([f.gender ?? 0, 0, 0]), new Uint8Array(3), be(0, 2), new Uint8Array(6));
    const imageInfo = concatBytes(new Uint8Array([1, f.dataType]), be(f.width, 2), be(f.height, 2), new Uint8Array([1, 2]), be(0, 2), be(0, 2));
    return concatBytes(info, new Uint8Array(8 * points), imageInfo, f.bytes);
  });
  const body = concatBytes(...records);
  return concatBytes(new TextEncoder().encode('FAC\x00010\x00'), be(14 + body.length, 4), be(faces.length, 2), body);
}

/** DG2 with one biometric information template per record; `blockTag` 5F2E or 7F2E. */
export function encodeDg2(records: Uint8Array[], blockTag = 0x5f2e): Uint8Array {
  const header = encodeTlv(0xa1, concatBytes(encodeTlv(0x80, new Uint8Array([1, 0])), encodeTlv(0x81, new Uint8Array([2])), encodeTlv(0x87, new Uint8Array([1, 1])), encodeTlv(0x88, new Uint8Array([0, 8]))));
  const bits = records.map((r) => encodeTlv(0x7f60, concatBytes(header, encodeTlv(blockTag, r))));
  return encodeTlv(0x75, encodeTlv(0x7f61, concatBytes(encodeTlv(0x02, new Uint8Array([records.length])), ...bits)));
}

/** RGB test pattern. */
export function testPattern(width: number, height: number): Uint8Array {
  const px = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      px[o] = (x * 255) / width;
      px[o + 1] = (y * 255) / height;
      px[o + 2] = ((x + y) * 4) & 0xff;
    }
  }
  return px;
}

export function makeJpeg(width: number, height: number): Uint8Array {
  const rgb = testPattern(width, height);
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba[4 * i] = rgb[3 * i];
    rgba[4 * i + 1] = rgb[3 * i + 1];
    rgba[4 * i + 2] = rgb[3 * i + 2];
    rgba[4 * i + 3] = 255;
  }
  return new Uint8Array(jpeg.encode({ data: rgba, width, height }, 90).data);
}

interface J2KEncoder {
  getDecodedBuffer(info: object): Uint8Array;
  setQuality(lossless: boolean, quality: number): void;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
  delete(): void;
}

/** A lossless JPEG 2000 codestream of the test pattern; wrapped in a minimal JP2 file when asked. */
export async function makeJpeg2000(width: number, height: number, container: 'j2k' | 'jp2' = 'jp2'): Promise<Uint8Array> {
  const require = createRequire(import.meta.url);
  const factory = require('@cornerstonejs/codec-openjpeg/wasmjs') as (o: object) => Promise<{ J2KEncoder: new () => J2KEncoder }>;
  const m = await factory({ print: () => {}, printErr: () => {} });
  const enc = new m.J2KEncoder();
  enc.getDecodedBuffer({ width, height, bitsPerSample: 8, componentCount: 3, isSigned: false, isUsingColorTransform: false }).set(testPattern(width, height));
  enc.setQuality(true, 0);
  enc.encode();
  const codestream = enc.getEncodedBuffer().slice();
  enc.delete();
  if (container === 'j2k') return codestream;
  const box = (type: string, body: Uint8Array) => concatBytes(be(8 + body.length, 4), new TextEncoder().encode(type), body);
  const ihdr = box('ihdr', concatBytes(be(height, 4), be(width, 4), be(3, 2), new Uint8Array([7, 7, 0, 0])));
  const colr = box('colr', concatBytes(new Uint8Array([1, 0, 0]), be(16, 4)));
  return concatBytes(
    new Uint8Array([0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a]),
    box('ftyp', concatBytes(new TextEncoder().encode('jp2 '), be(0, 4), new TextEncoder().encode('jp2 '))),
    box('jp2h', concatBytes(ihdr, colr)),
    box('jp2c', codestream),
  );
}
