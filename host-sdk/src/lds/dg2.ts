// EF.DG2: the encoded face (ICAO 9303 Part 10 §4.7.2).
//   75 { 7F61 { 02 count, 7F60 { A1 header, 5F2E|7F2E biometric data block } ... } }
// Each data block is an ISO/IEC 19794-5 facial record: 'FAC\0', version, record length, image
// count, then per image a 20-byte facial information block, 8 bytes per feature point, a 12-byte
// image information block (image data type 0 JPEG, 1 JPEG 2000; width; height) and the image.
// A block that is not a 19794-5 record (e.g. ISO/IEC 39794-5 in 7F2E) is searched for an
// embedded JPEG or JPEG 2000 image.

import { ReaderError } from '../reader-error.js';
import { imageMime, jpegSize, type ImageMime } from '../image/image-type.js';
import { readFileTlv, readTlvList, type Tlv } from './tlv.js';

export const DG2_TAG = 0x75;
const BIT_GROUP = 0x7f61;
const BIT = 0x7f60;
const BDB_PRIMITIVE = 0x5f2e;
const BDB_CONSTRUCTED = 0x7f2e;

export const GENDERS = ['unspecified', 'male', 'female', 'unknown'];

export interface FaceImage {
  /** The image bytes as stored on the chip. */
  bytes: Uint8Array;
  mime: ImageMime;
  width: number;
  height: number;
  /** Where the image came from: a parsed ISO 19794-5 record, or found inside another encoding. */
  source: 'iso19794-5' | 'embedded';
  /** 19794-5 gender, when known. */
  gender?: string;
  /** 19794-5 face image type: 0 basic, 1 full frontal, 2 token frontal. */
  faceImageType?: number;
}

function fail(message: string): never {
  throw new ReaderError('malformed-data', 'DG2: ' + message, { fileId: 2 });
}

const u16 = (b: Uint8Array, p: number) => (b[p] << 8) | b[p + 1];
const u32 = (b: Uint8Array, p: number) => ((b[p] << 24) >>> 0) + (b[p + 1] << 16) + (b[p + 2] << 8) + b[p + 3];

/** The images of one ISO/IEC 19794-5 (2005) facial record. */
export function parseFacialRecord(block: Uint8Array): FaceImage[] {
  if (block.length < 14) fail('facial record shorter than its header');
  const magic = String.fromCharCode(block[0], block[1], block[2], block[3]);
  if (magic !== 'FAC\0') fail('facial record does not start with FAC');
  const count = u16(block, 12);
  const images: FaceImage[] = [];
  let p = 14;
  for (let i = 0; i < count; i++) {
    if (p + 20 > block.length) fail('facial information block ' + (i + 1) + ' truncated');
    const dataLength = u32(block, p);
    const featurePoints = u16(block, p + 4);
    const gender = GENDERS[block[p + 6]] ?? 'unknown';
    const imageInfo = p + 20 + 8 * featurePoints;
    const end = p + dataLength;
    if (dataLength < 32 + 8 * featurePoints || end > block.length) fail('facial record data ' + (i + 1) + ' length is wrong');
    const faceImageType = block[imageInfo];
    const width = u16(block, imageInfo + 2);
    const height = u16(block, imageInfo + 4);
    const bytes = block.subarray(imageInfo + 12, end);
    const mime = imageMime(bytes);
    const declared = block[imageInfo + 1];
    if (mime === 'application/octet-stream') fail('image ' + (i + 1) + ' is neither JPEG nor JPEG 2000 (data type ' + declared + ')');
    images.push({ bytes, mime, width, height, source: 'iso19794-5', gender, faceImageType });
    p = end;
  }
  return images;
}

/** Finds a JPEG or JPEG 2000 image inside an encoding this parser does not model. */
function findEmbeddedImage(block: Uint8Array): FaceImage | null {
  for (let p = 0; p + 12 <= block.length; p++) {
    const mime = imageMime(block.subarray(p, p + 12));
    if (mime === 'application/octet-stream') continue;
    const bytes = block.subarray(p);
    const size = mime === 'image/jpeg' ? jpegSize(bytes) : null;
    return { bytes, mime, width: size?.width ?? 0, height: size?.height ?? 0, source: 'embedded' };
  }
  return null;
}

function children(t: Tlv, what: string): Tlv[] {
  try {
    return readTlvList(t.value);
  } catch (e) {
    return fail(what + ': ' + (e as Error).message);
  }
}

/** Every face image in DG2, in order. */
export function parseDg2(bytes: Uint8Array): FaceImage[] {
  const outer = readFileTlv(bytes, DG2_TAG, 'DG2');
  const group = children(outer, 'DG2').find((t) => t.tag === BIT_GROUP);
  if (!group) fail('no biometric information group template (7F61)');
  const images: FaceImage[] = [];
  for (const bit of children(group, '7F61')) {
    if (bit.tag !== BIT) continue;
    const block = children(bit, '7F60').find((t) => t.tag === BDB_PRIMITIVE || t.tag === BDB_CONSTRUCTED);
    if (!block) fail('biometric information template without a data block (5F2E/7F2E)');
    const value = block.value;
    if (value.length >= 4 && value[0] === 0x46 && value[1] === 0x41 && value[2] === 0x43 && value[3] === 0) {
      images.push(...parseFacialRecord(value));
    } else {
      const found = findEmbeddedImage(value);
      if (!found) fail('biometric data block holds no JPEG or JPEG 2000 image');
      images.push(found);
    }
  }
  if (images.length === 0) fail('no face image');
  return images;
}
