// EF.DG7, displayed signature or usual mark (ICAO 9303 Part 10, 8th ed., §4.7.7):
//   67 { 02 number of instances, 5F43 image ... }   (the image: JPEG or JPEG 2000)
// The count must match the images present; an empty image is refused.

import { ReaderError } from '../reader-error.js';
import { imageMime, type ImageMime } from '../image/image-type.js';
import { readFileTlv, readTlvList, tagHex, type Tlv } from './tlv.js';

export const DG7_TAG = 0x67;
const COUNT = 0x02;
const SIGNATURE_IMAGE = 0x5f43;

export interface SignatureImage {
  /** The image as stored (a view into the file). */
  bytes: Uint8Array;
  mime: ImageMime;
}

function fail(message: string, cause?: unknown): never {
  throw new ReaderError('malformed-data', 'DG7: ' + message, { fileId: 7, cause });
}

export function parseDg7(bytes: Uint8Array): SignatureImage[] {
  let children: Tlv[];
  try {
    children = readTlvList(readFileTlv(bytes, DG7_TAG, 'DG7').value);
  } catch (e) {
    fail((e as Error).message.replace('DG7: ', ''), e);
  }
  const count = children[0];
  if (!count || count.tag !== COUNT || count.value.length !== 1) fail('does not start with a one-byte number of instances (02)');
  const images = children.slice(1);
  for (const t of images) if (t.tag !== SIGNATURE_IMAGE) fail('holds tag ' + tagHex(t.tag) + ', expected 5F43 (signature image)');
  if (images.length !== count.value[0]) fail('counts ' + count.value[0] + ' images but holds ' + images.length);
  return images.map((t, i) => {
    if (t.value.length === 0) fail('image ' + (i + 1) + ' is empty');
    return { bytes: t.value, mime: imageMime(t.value) };
  });
}
