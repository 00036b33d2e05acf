// Command APDUs of ICAO 9303-10/11 and ISO/IEC 7816-4 used by the reader, as plain bytes.

/** eMRTD LDS1 application identifier (9303-10 §3.6.3). */
export const LDS1_AID = new Uint8Array([0xa0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01]);

/** Instruction bytes (a const enum: inlined). */
export const enum INS {
  SELECT = 0xa4,
  READ_BINARY = 0xb0,
  READ_BINARY_ODD = 0xb1,
  GET_CHALLENGE = 0x84,
  MUTUAL_AUTHENTICATE = 0x82,
  INTERNAL_AUTHENTICATE = 0x88,
}

/** SELECT the LDS1 application by AID (P1 04, P2 0C: no FCI). */
export function selectApplicationApdu(): Uint8Array {
  const a = new Uint8Array(5 + LDS1_AID.length);
  a[1] = INS.SELECT; a[2] = 0x04; a[3] = 0x0c; a[4] = LDS1_AID.length;
  a.set(LDS1_AID, 5);
  return a;
}

/** SELECT an elementary file by its 2-byte identifier (P1 02, P2 0C: no FCI). */
export function selectFileApdu(fid: number): Uint8Array {
  return new Uint8Array([0x00, INS.SELECT, 0x02, 0x0c, 0x02, (fid >> 8) & 0xff, fid & 0xff]);
}

/** READ BINARY of the current EF at `offset` (0..32767). `le` 1..256 (256 is sent as 00); above
 * 256 (up to 65536, sent as 0000) the APDU is extended: 00 B0 P1 P2 00 Le Le. */
export function readBinaryApdu(offset: number, le: number): Uint8Array {
  const a = [0x00, INS.READ_BINARY, (offset >> 8) & 0x7f, offset & 0xff];
  if (le > 256) a.push(0, (le >> 8) & 0xff, le & 0xff);
  else a.push(le & 0xff);
  return new Uint8Array(a);
}

/** READ BINARY with a short EF identifier (P1 = 80|SFI): selects the file and reads at `offset`
 * (0..255) in one exchange. */
export function readBinarySfiApdu(sfi: number, offset: number, le: number): Uint8Array {
  return new Uint8Array([0x00, INS.READ_BINARY, 0x80 | (sfi & 0x1f), offset & 0xff, le & 0xff]);
}

/** READ BINARY with odd INS (B1) for offsets beyond 32767: the offset goes in DO'54', the
 * response data comes in DO'53'. P1 P2 = 0000 is the current EF. */
export function readBinaryOddApdu(offset: number, le: number): Uint8Array {
  const n = offset > 0xffff ? 3 : 2;
  const a = new Uint8Array(5 + 2 + n + 1);
  a[1] = INS.READ_BINARY_ODD; a[4] = 2 + n;
  a[5] = 0x54; a[6] = n;
  if (n === 3) a[7] = (offset >> 16) & 0xff;
  a[5 + n] = (offset >> 8) & 0xff;
  a[6 + n] = offset & 0xff;
  a[7 + n] = le & 0xff;
  return a;
}

export function getChallengeApdu(): Uint8Array {
  return new Uint8Array([0x00, INS.GET_CHALLENGE, 0x00, 0x00, 0x08]);
}

/** MUTUAL AUTHENTICATE with E.IFD || M.IFD (40 bytes), Le 40. */
export function mutualAuthenticateApdu(data: Uint8Array): Uint8Array {
  const a = new Uint8Array(6 + data.length);
  a[1] = INS.MUTUAL_AUTHENTICATE; a[4] = data.length;
  a.set(data, 5);
  a[5 + data.length] = 0x28;
  return a;
}

/** INTERNAL AUTHENTICATE (Active Authentication, 9303-11 §6.1): the 8-byte challenge, Le 00;
 * `extended`: 00 0008 challenge 0000, for an answer longer than a short Le allows under SM
 * (an RSA-2048 signature). */
export function internalAuthenticateApdu(challenge: Uint8Array, extended: boolean): Uint8Array {
  const x = extended ? 2 : 0;
  const a = new Uint8Array(extended ? 17 : 14);
  a[1] = INS.INTERNAL_AUTHENTICATE; a[4 + x] = 8;
  a.set(challenge, 5 + x);
  return a;
}

/** File identifier of an LDS1 EF from its short EF identifier: 01SS (EF.COM 011E, EF.SOD 011D,
 * DGn 01nn). */
export function fileIdFromSfi(sfi: number): number {
  return 0x0100 | (sfi & 0x1f);
}
