// Face image formats by their magic bytes, and the size written in a JPEG's frame header.

export type ImageMime = 'image/jpeg' | 'image/jp2' | 'image/j2k' | 'application/octet-stream';

const JP2_SIGNATURE = [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a];

export function imageMime(bytes: Uint8Array): ImageMime {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 12 && JP2_SIGNATURE.every((b, i) => bytes[i] === b)) return 'image/jp2';
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0x4f && bytes[2] === 0xff && bytes[3] === 0x51) return 'image/j2k';
  return 'application/octet-stream';
}

export function isJpeg2000(mime: string): boolean {
  return mime === 'image/jp2' || mime === 'image/j2k';
}

/** Width and height from the first SOFn segment of a JPEG, or null. */
export function jpegSize(bytes: Uint8Array): { width: number; height: number } | null {
  let p = 2;
  while (p + 4 <= bytes.length) {
    if (bytes[p] !== 0xff) return null;
    const marker = bytes[p + 1];
    if (marker === 0xff) {
      p++;
      continue;
    }
    const length = (bytes[p + 2] << 8) | bytes[p + 3];
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (p + 9 > bytes.length) return null;
      return { height: (bytes[p + 5] << 8) | bytes[p + 6], width: (bytes[p + 7] << 8) | bytes[p + 8] };
    }
    if (marker === 0xd9 || marker === 0xda) return null;
    p += 2 + length;
  }
  return null;
}

/** The contiguous codestream inside a JP2 file (its 'jp2c' box), or the input when it already
 * is a codestream. Null when no codestream box is found. */
export function jpeg2000Codestream(bytes: Uint8Array): Uint8Array | null {
  if (imageMime(bytes) === 'image/j2k') return bytes;
  let p = 0;
  while (p + 8 <= bytes.length) {
    let size = ((bytes[p] << 24) >>> 0) + (bytes[p + 1] << 16) + (bytes[p + 2] << 8) + bytes[p + 3];
    const type = String.fromCharCode(bytes[p + 4], bytes[p + 5], bytes[p + 6], bytes[p + 7]);
    let header = 8;
    if (size === 1) {
      if (p + 16 > bytes.length) return null;
      size = Number(new DataView(bytes.buffer, bytes.byteOffset + p + 8, 8).getBigUint64(0));
      header = 16;
    } else if (size === 0) {
      size = bytes.length - p;
    }
    if (size < header || p + size > bytes.length) return null;
    if (type === 'jp2c') return bytes.subarray(p + header, p + size);
    p += size;
  }
  return null;
}
