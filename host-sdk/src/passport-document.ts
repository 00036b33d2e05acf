// What a read hands back: every file's bytes, the parsed DG1 and faces, the device's and the
// host's hash verdicts, and the passive authentication report.

import { fileName } from '@epassport/protocol';
import type { Dg1 } from './lds/dg1.js';
import type { FaceImage } from './lds/dg2.js';
import type { EfCom } from './lds/ef-com.js';
import type { SignatureImage } from './lds/dg7.js';
import type { Dg11 } from './lds/dg11.js';
import type { Dg12 } from './lds/dg12.js';
import type { ViewableImage } from './image/viewable-image.js';
import type { ActiveAuthenticationReport, ChipAuthenticity } from './aa/active-authentication.js';
import type { ChipAuthenticationReport } from './aa/chip-authentication.js';
import type { PassiveAuthenticationReport } from './pa/passive-authentication.js';
import type { MissingGroup, Verdict } from './verdict.js';

export interface FileRecord {
  /** Short EF identifier: 0x1E EF.COM, 0x1D EF.SOD, 1..16 DGn. */
  fileId: number;
  /** 'EF.COM', 'EF.SOD', 'DG1', ... */
  name: string;
  bytes: Uint8Array;
  /** The device's hash verdict from file-end: not-checked, match, mismatch or not-in-sod;
   * 'none' for a file loaded from disk (`verify`), which no device saw. */
  deviceVerdict: string;
  /** The digest the device computed (empty when not checked). */
  deviceDigest: Uint8Array;
}

export interface Face extends FaceImage {
  /** JPEG as it is; JPEG 2000 converted to PNG. Absent when the image does not decode. */
  viewable?: ViewableImage;
  /** Why no viewable copy could be made. */
  viewableError?: string;
}

export interface ReadStats {
  bytesRead: number;
  apdus: number;
  /** Device-side duration of the read. */
  elapsedMs: number;
  /** Frames damaged on the line during the read (recovered by the link). */
  damagedFrames: number;
}

export interface PassportDocument {
  /** Every file received, by short EF id, in arrival order. */
  files: Map<number, FileRecord>;
  com?: EfCom;
  dg1?: Dg1;
  faces: Face[];
  /** DG7: the displayed signature or usual mark, one image per instance. */
  dg7?: SignatureImage[];
  /** DG11: additional personal details. */
  dg11?: Dg11;
  /** DG12: additional document details. */
  dg12?: Dg12;
  /** Data groups read, ascending. */
  dataGroups: number[];
  passiveAuthentication: PassiveAuthenticationReport;
  /** The chip's answer to the relying party's challenge, checked against DG15. */
  activeAuthentication: ActiveAuthenticationReport;
  /** Chip Authentication as the device reported it, judged against DG14's hash (a device
   * 'ok' counts only when DG14 matches an EF.SOD whose signature verifies). */
  chipAuthentication: ChipAuthenticationReport;
  /** The chip's proof of being genuine: 'failed' when AA or CA failed, else
   * 'chip-authentication' when CA is verified, else activeAuthentication.status. */
  chipAuthenticity: ChipAuthenticity;
  /** The Active Authentication exchange when a challenge was sent: `response` is what the chip
   * signed (empty: it refused; undefined: no answer came). `read --out` saves both, so `verify`
   * can check them again. */
  activeAuthenticationExchange?: { challenge: Uint8Array; response: Uint8Array | undefined };
  /** The groups the caller asked for, or null for the default (every group EF.COM lists). */
  requestedGroups: number[] | null;
  /** Groups asked for that were not read, and why. */
  missingGroups: MissingGroup[];
  /** VERIFIED or not, with every reason (stable codes: pa/verdict-reasons.ts). */
  verdict: Verdict;
  /** Shorthand for verdict.verified. */
  verified: boolean;
  stats: ReadStats;
  /** Files that did not parse (the bytes are still in `files`). */
  parseErrors: { fileId: number; message: string }[];
}

/** File name on disk for a file id: EF.COM.bin, EF.SOD.bin, DG1.bin ... */
export function fileBaseName(fileId: number): string {
  return fileName(fileId) + '.bin';
}
