// A synthetic, procedurally drawn face-like portrait (not a photograph of anyone) and its
// encoding as JPEG (jpeg-js) or JPEG 2000 (OpenJPEG compiled to WebAssembly), sized for a DG2.

import { createRequire } from 'node:module';
import jpeg from 'jpeg-js';
import { concatBytes } from '../bytes';
import { seededRandom } from '../seeded-random';

export interface FaceLook {
  /** Seed of the pixel noise and of the small variations. */
  seed: number;
  skin?: [number, number, number];
  hair?: [number, number, number];
  iris?: [number, number, number];
  clothes?: [number, number, number];
  /** Amplitude of the pixel noise (film grain); more noise, bigger files. */
  grain?: number;
}

export interface RgbImage {
  width: number;
  height: number;
  /** Interleaved R, G, B. */
  rgb: Uint8Array;
}

/** ICAO-ish token portrait size: 3:4, eyes about 90 px apart. */
export const FACE_WIDTH = 240;
export const FACE_HEIGHT = 320;


function inEllipse(x: number, y: number, cx: number, cy: number, rx: number, ry: number): number {
  const dx = (x - cx) / rx;
  const dy = (y - cy) / ry;
  return dx * dx + dy * dy;
}

/** Draws the portrait. Deterministic for a given look. */
export function drawFace(look: FaceLook, width = FACE_WIDTH, height = FACE_HEIGHT): RgbImage {
  const rnd = seededRandom(look.seed);
  const skin = look.skin ?? [224, 180, 150];
  const hair = look.hair ?? [70, 48, 32];
  const iris = look.iris ?? [70, 110, 150];
  const clothes = look.clothes ?? [40, 55, 90];
  const grain = look.grain ?? 10;
  const rgb = new Uint8Array(width * height * 3);
  const cx = width / 2 + (rnd() - 0.5) * 6;
  const cy = height * 0.42;
  const rx = width * 0.27;
  const ry = height * 0.27;
  const eyeY = cy - ry * 0.08;
  const eyeDx = rx * 0.42;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // background: plain light grey-blue gradient
      let c: [number, number, number] = [200 - y * 0.08, 210 - y * 0.06, 222 - y * 0.04];
      // shoulders and neck
      if (inEllipse(x, y, width / 2, height * 1.08, width * 0.55, height * 0.3) < 1) c = [...clothes];
      else if (Math.abs(x - cx) < rx * 0.45 && y > cy + ry * 0.6 && y < height * 0.86) c = skin.map((v) => v * 0.85) as typeof c;
      // hair behind the head
      const hairD = inEllipse(x, y, cx, cy - ry * 0.12, rx * 1.12, ry * 1.02);
      if (hairD < 1 && y < cy + ry * 0.35) c = [...hair];
      // ears
      if (inEllipse(x, y, cx - rx * 0.98, eyeY + ry * 0.1, rx * 0.13, ry * 0.17) < 1 || inEllipse(x, y, cx + rx * 0.98, eyeY + ry * 0.1, rx * 0.13, ry * 0.17) < 1) {
        c = skin.map((v) => v * 0.92) as typeof c;
      }
      // face with soft shading towards its edge
      const faceD = inEllipse(x, y, cx, cy, rx, ry);
      if (faceD < 1) {
        const shade = 1.04 - 0.22 * faceD;
        c = skin.map((v) => v * shade) as typeof c;
        // fringe
        if (y < cy - ry * 0.55 && inEllipse(x, y, cx, cy - ry * 0.95, rx * 1.05, ry * 0.55) < 1) c = [...hair];
        // eyebrows
        for (const s of [-1, 1]) {
          const bx = cx + s * eyeDx;
          const by = eyeY - ry * 0.2 + Math.pow((x - bx) / (rx * 0.3), 2) * 4;
          if (Math.abs(x - bx) < rx * 0.24 && Math.abs(y - by) < 2.6) c = hair.map((v) => v * 0.8) as typeof c;
          // eyes: white, iris, pupil, upper lid line
          const e = inEllipse(x, y, bx, eyeY, rx * 0.2, ry * 0.065);
          if (e < 1) {
            c = [238, 236, 232];
            const ir = inEllipse(x, y, bx, eyeY, ry * 0.06, ry * 0.06);
            if (ir < 1) c = iris.map((v) => v * (1.1 - 0.3 * ir)) as typeof c;
            if (ir < 0.25) c = [20, 20, 24];
          } else if (e < 1.35 && y < eyeY) c = [60, 40, 35];
        }
        // nose: a soft shadow line and nostrils
        if (y > eyeY + ry * 0.05 && y < cy + ry * 0.3 && Math.abs(x - cx - rx * 0.08) < 1.8) c = c.map((v) => v * 0.86) as typeof c;
        for (const s of [-1, 1]) {
          if (inEllipse(x, y, cx + s * rx * 0.11, cy + ry * 0.3, rx * 0.06, ry * 0.025) < 1) c = c.map((v) => v * 0.6) as typeof c;
        }
        // mouth
        const m = inEllipse(x, y, cx, cy + ry * 0.55, rx * 0.3, ry * 0.055);
        if (m < 1) c = [170 - 30 * (1 - m), 80, 85];
      }
      const n = (rnd() - 0.5) * 2 * grain;
      const o = (y * width + x) * 3;
      rgb[o] = clamp(c[0] + n);
      rgb[o + 1] = clamp(c[1] + n);
      rgb[o + 2] = clamp(c[2] + n);
    }
  }
  return { width, height, rgb };
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

export function encodeJpeg(img: RgbImage, quality: number): Uint8Array {
  const rgba = new Uint8Array(img.width * img.height * 4);
  for (let i = 0, j = 0; i < img.rgb.length; i += 3, j += 4) {
    rgba[j] = img.rgb[i];
    rgba[j + 1] = img.rgb[i + 1];
    rgba[j + 2] = img.rgb[i + 2];
    rgba[j + 3] = 255;
  }
  return new Uint8Array(jpeg.encode({ data: rgba, width: img.width, height: img.height }, quality).data);
}

/** The largest JPEG not above `targetBytes` (binary search over the quality). */
export function encodeJpegNear(img: RgbImage, targetBytes: number): Uint8Array {
  let lo = 5;
  let hi = 98;
  let best = encodeJpeg(img, lo);
  while (lo <= hi) {
    const q = (lo + hi) >> 1;
    const out = encodeJpeg(img, q);
    if (out.length <= targetBytes) {
      best = out;
      lo = q + 1;
    } else {
      hi = q - 1;
    }
  }
  return best;
}

interface J2kEncoder {
  getDecodedBuffer(info: { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned: boolean; isUsingColorTransform: boolean }): Uint8Array;
  setQuality(lossless: boolean, layers: number): void;
  setCompressionRatio(layer: number, ratio: number): void;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
  delete?(): void;
}

interface OpenJpegModule {
  J2KEncoder: new () => J2kEncoder;
}

let openJpeg: Promise<OpenJpegModule> | null = null;

/** The OpenJPEG WebAssembly build (its encoder works in Node); its log output is silenced. */
export function loadOpenJpeg(): Promise<OpenJpegModule> {
  if (!openJpeg) {
    const require = createRequire(import.meta.url);
    const factory = require('@cornerstonejs/codec-openjpeg/wasmjs') as (m: object) => Promise<OpenJpegModule>;
    openJpeg = factory({ print: () => undefined, printErr: () => undefined });
  }
  return openJpeg;
}

/** A lossy JPEG 2000 codestream (J2K) of about raw size / ratio bytes. */
export async function encodeJ2kCodestream(img: RgbImage, ratio: number): Promise<Uint8Array> {
  const codec = await loadOpenJpeg();
  const e = new codec.J2KEncoder();
  try {
    const px = e.getDecodedBuffer({ width: img.width, height: img.height, bitsPerSample: 8, componentCount: 3, isSigned: false, isUsingColorTransform: true });
    px.set(img.rgb);
    e.setQuality(false, 1); // one quality layer, irreversible wavelet
    e.setCompressionRatio(0, ratio);
    e.encode();
    return Uint8Array.from(e.getEncodedBuffer());
  } finally {
    e.delete?.();
  }
}

function box(type: string, ...parts: Uint8Array[]): Uint8Array {
  let n = 8;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  new DataView(out.buffer).setUint32(0, n);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  let o = 8;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Wraps a J2K codestream in a minimal JP2 file (signature, ftyp, jp2h with ihdr and sRGB colr, jp2c). */
export function jp2File(codestream: Uint8Array, width: number, height: number): Uint8Array {
  const sig = Uint8Array.of(0x0d, 0x0a, 0x87, 0x0a);
  const ftyp = Uint8Array.of(0x6a, 0x70, 0x32, 0x20, 0, 0, 0, 0, 0x6a, 0x70, 0x32, 0x20);
  const ihdr = new Uint8Array(14);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, height);
  v.setUint32(4, width);
  v.setUint16(8, 3); // components
  ihdr[10] = 7; // 8 bits per component, unsigned
  ihdr[11] = 7; // compression type: JPEG 2000
  const colr = Uint8Array.of(1, 0, 0, 0, 0, 0, 16); // enumerated colour space: sRGB
  return concatBytes(box('jP  ', sig), box('ftyp', ftyp), box('jp2h', box('ihdr', ihdr), box('colr', colr)), box('jp2c', codestream));
}


/** A JP2 file of at most about `targetBytes`. */
export async function encodeJpeg2000Near(img: RgbImage, targetBytes: number): Promise<Uint8Array> {
  const overhead = 85;
  const raw = img.width * img.height * 3;
  let ratio = raw / (targetBytes - overhead);
  for (let i = 0; i < 6; i++) {
    const cs = await encodeJ2kCodestream(img, ratio);
    if (cs.length + overhead <= targetBytes) return jp2File(cs, img.width, img.height);
    ratio *= ((cs.length + overhead) / targetBytes) * 1.01;
  }
  return jp2File(await encodeJ2kCodestream(img, ratio), img.width, img.height);
}
