// An always-viewable copy of a face image: JPEG stays JPEG; JPEG 2000 (which browsers and most
// viewers do not show) is decoded with OpenJPEG (wasm) and written as PNG.

import { createRequire } from 'node:module';
import { PNG } from 'pngjs';
import type { OpenJpegModule } from '@cornerstonejs/codec-openjpeg/decodewasmjs';
import { ReaderError } from '../reader-error.js';
import { imageMime, isJpeg2000, jpeg2000Codestream, jpegSize } from './image-type.js';

export interface DecodedImage {
  width: number;
  height: number;
  /** 1 (grey), 3 (RGB) or 4 (RGBA) components, 8 bits each. */
  components: number;
  pixels: Uint8Array;
}

export interface ViewableImage {
  mime: 'image/jpeg' | 'image/png';
  bytes: Uint8Array;
  width: number;
  height: number;
}

let openJpeg: Promise<OpenJpegModule> | null = null;

function loadOpenJpeg(): Promise<OpenJpegModule> {
  if (!openJpeg) {
    const require = createRequire(import.meta.url);
    const factory = require('@cornerstonejs/codec-openjpeg/decodewasmjs') as (o: object) => Promise<OpenJpegModule>;
    // The module prints decoder chatter to stdout by default: silence it (stdout may be JSON).
    openJpeg = factory({ print: () => {}, printErr: () => {} });
  }
  return openJpeg;
}

/** Decodes JPEG 2000 (JP2 file or raw codestream) to 8-bit pixels. */
export async function decodeJpeg2000(bytes: Uint8Array): Promise<DecodedImage> {
  const codestream = jpeg2000Codestream(bytes);
  if (!codestream) throw new ReaderError('malformed-data', 'JPEG 2000 image has no codestream');
  const m = await loadOpenJpeg();
  const decoder = new m.J2KDecoder();
  try {
    decoder.getEncodedBuffer(codestream.length).set(codestream);
    decoder.decode();
    const info = decoder.getFrameInfo();
    if (!info.width || !info.height || info.componentCount < 1) throw new Error('empty frame');
    const raw = decoder.getDecodedBuffer();
    const n = info.width * info.height * info.componentCount;
    const pixels = new Uint8Array(n);
    if (info.bitsPerSample <= 8) {
      pixels.set(raw.subarray(0, n));
    } else {
      // 16-bit little-endian samples: keep the top 8 bits.
      const shift = info.bitsPerSample - 8;
      for (let i = 0; i < n; i++) pixels[i] = ((raw[2 * i] | (raw[2 * i + 1] << 8)) >> shift) & 0xff;
    }
    return { width: info.width, height: info.height, components: info.componentCount, pixels };
  } catch (e) {
    if (e instanceof ReaderError) throw e;
    throw new ReaderError('malformed-data', 'JPEG 2000 image does not decode: ' + (e instanceof Error ? e.message : String(e)), { cause: e });
  } finally {
    decoder.delete();
  }
}

/** PNG bytes of 8-bit grey, RGB or RGBA pixels. */
export function encodePng(image: DecodedImage): Uint8Array {
  const png = new PNG({ width: image.width, height: image.height });
  const { pixels, components } = image;
  for (let i = 0, o = 0; i < image.width * image.height; i++, o += 4) {
    const s = i * components;
    if (components >= 3) {
      png.data[o] = pixels[s];
      png.data[o + 1] = pixels[s + 1];
      png.data[o + 2] = pixels[s + 2];
      png.data[o + 3] = components === 4 ? pixels[s + 3] : 255;
    } else {
      png.data[o] = png.data[o + 1] = png.data[o + 2] = pixels[s];
      png.data[o + 3] = components === 2 ? pixels[s + 1] : 255;
    }
  }
  return new Uint8Array(PNG.sync.write(png));
}

/** A copy of the image any viewer shows: JPEG as it is, JPEG 2000 as PNG. */
export async function toViewable(bytes: Uint8Array): Promise<ViewableImage> {
  const mime = imageMime(bytes);
  if (mime === 'image/jpeg') {
    const size = jpegSize(bytes) ?? { width: 0, height: 0 };
    return { mime: 'image/jpeg', bytes, ...size };
  }
  if (isJpeg2000(mime)) {
    const decoded = await decodeJpeg2000(bytes);
    return { mime: 'image/png', bytes: encodePng(decoded), width: decoded.width, height: decoded.height };
  }
  throw new ReaderError('malformed-data', 'face image is neither JPEG nor JPEG 2000');
}
