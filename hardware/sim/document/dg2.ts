// DG2: the encoded face, an ISO/IEC 19794-5:2005 facial record inside the ICAO biometric
// information template group (ICAO Doc 9303 Part 10, 4.7.2; ISO/IEC 7816-11 CBEFF):
// 75 { 7F61 { 02 count, 7F60 { A1 biometric header template, 5F2E biometric data block } } }

import { concatBytes, tlv } from './der';

export const IMAGE_DATA_TYPE = { jpeg: 0x00, jpeg2000: 0x01 } as const;

export interface FaceRecord {
  image: Uint8Array;
  imageType: keyof typeof IMAGE_DATA_TYPE;
  width: number;
  height: number;
  /** 0 unspecified, 1 male, 2 female, 0xFF unknown */
  gender?: number;
}

function u16(n: number): number[] {
  return [(n >> 8) & 0xff, n & 0xff];
}

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

/** The ISO/IEC 19794-5 record: 'FAC\0' '010\0' header, facial information, image information, image. */
export function encodeFacialRecord(f: FaceRecord): Uint8Array {
  const featurePoints = 0;
  const facialDataLength = 20 + 8 * featurePoints + 12 + f.image.length;
  const recordLength = 14 + facialDataLength;
  const header = [0x46, 0x41, 0x43, 0x00, 0x30, 0x31, 0x30, 0x00, ...u32(recordLength), ...u16(1)];
  const info = [
    ...u32(facialDataLength), ...u16(featurePoints),
    f.gender ?? 0, // gender
    0, // eye colour unspecified
    0, // hair colour unspecified
    0, 0, 0, // feature mask
    0, 0, // expression unspecified
    0, 0, 0, // pose angle yaw, pitch, roll
    0, 0, 0, // pose angle uncertainty
  ];
  const imageInfo = [
    0x01, // face image type: full frontal
    IMAGE_DATA_TYPE[f.imageType],
    ...u16(f.width), ...u16(f.height),
    0x01, // image colour space: 24-bit RGB
    0x02, // source type: static photo, unknown source
    ...u16(0), // device type
    ...u16(0), // quality unspecified
  ];
  return concatBytes(Uint8Array.from(header), Uint8Array.from(info), Uint8Array.from(imageInfo), f.image);
}

/** The whole DG2 with one face. */
export function encodeDg2(f: FaceRecord): Uint8Array {
  const bht = tlv(0xa1,
    tlv(0x80, Uint8Array.of(0x01, 0x01)), // ICAO header version 1.1
    tlv(0x81, Uint8Array.of(0x02)), // biometric type: facial features
    tlv(0x87, Uint8Array.of(0x01, 0x01)), // format owner: ISO/IEC JTC 1/SC 37
    tlv(0x88, Uint8Array.of(0x00, 0x08)), // format type: face image (19794-5)
  );
  const bit = tlv(0x7f60, bht, tlv(0x5f2e, encodeFacialRecord(f)));
  return tlv(0x75, tlv(0x7f61, tlv(0x02, Uint8Array.of(0x01)), bit));
}
