// Message <-> payload bytes. Decoding is total: malformed payloads give null, never a throw.

import { ByteReader, ByteWriter } from './bytes.js';
import {
  CHIP_AUTH,
  ERROR_CODES,
  MSG,
  PHASES,
  VERDICTS,
  errorCodeValue,
  type Message,
  type ReadMessage,
  type ResultMessage,
} from './catalogue.js';
import { MAX_PAYLOAD } from './frame.js';

// The firmware's device bundles define PROTOCOL_DEVICE_SIDE (an esbuild define): the device
// only encodes what it sends and decodes what the host sends, so esbuild drops the other half
// (~1.2 KB of the Pico's flash). Elsewhere (host, tests, portable bundle) the name is undefined.
declare const PROTOCOL_DEVICE_SIDE: boolean;
/** False in firmware bundles that cannot run Chip Authentication (no `chipAuth` byte to encode). */
declare const WITH_CHIP_AUTH: boolean;

/** Largest data slice that fits one file-chunk message (fileId + offset take 5 bytes). */
export const MAX_CHUNK_DATA = MAX_PAYLOAD - 5;

function groupsToMask(groups: number[]): number {
  let mask = 0;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    if (g >= 1 && g <= 31) mask = (mask | (1 << g)) >>> 0;
  }
  return mask;
}

function maskToGroups(mask: number): number[] {
  const groups: number[] = [];
  for (let g = 1; g <= 31; g++) if (mask & (1 << g)) groups.push(g);
  return groups;
}

function indexIn(table: string[], name: string): number {
  const i = table.indexOf(name);
  return i < 0 ? 0 : i;
}

/** Message types by wire code: the host's from 0x01, the device's from 0x81 (catalogue.ts MSG). */
const HOST_TYPES = ['hello', 'read', 'cancel', 'reset', 'ack'];
const DEVICE_TYPES = ['hello-reply', 'progress', 'file-begin', 'file-chunk', 'file-end', 'result', 'error'];

/** Wire code of a message (a table rather than a switch: ~100 bytes of the device's flash). */
export function messageCode(m: Message): number {
  const h = HOST_TYPES.indexOf(m.type);
  if (h >= 0) return MSG.HELLO + h;
  const d = DEVICE_TYPES.indexOf(m.type);
  return d < 0 ? 0 : MSG.HELLO_REPLY + d;
}

/** The messages only the host sends. */
function encodeHostSide(m: Message, w: ByteWriter): void {
  switch (m.type) {
    case 'hello':
      w.u8(m.protocolVersion);
      break;
    case 'read':
      w.u32(groupsToMask(m.dataGroups)).u32(m.cardTimeoutMs).str(m.documentNumber);
      w.str(m.dateOfBirth).str(m.dateOfExpiry).str(m.checkDigits);
      if (m.challenge) w.bytes(m.challenge);
      break;
    case 'reset':
      w.u8(m.toConsole ? 1 : 0);
      break;
  }
}

/** Writes a message's payload into `buf` (at least MAX_PAYLOAD long); returns the view written. */
export function encodePayload(m: Message, buf: Uint8Array): Uint8Array {
  const w = new ByteWriter(buf);
  if (typeof PROTOCOL_DEVICE_SIDE === 'undefined' || !PROTOCOL_DEVICE_SIDE) encodeHostSide(m, w);
  switch (m.type) {
    case 'ack':
      w.u8(m.seq).u8(m.window);
      break;
    case 'hello-reply':
      w.u8(m.protocolVersion).str(m.firmwareVersion).str(m.board).u32(m.capabilities);
      w.u16(m.maxPayload).u32(m.nfcFirmware);
      break;
    case 'progress':
      w.u8(indexIn(PHASES, m.phase)).u8(m.fileId).u32(m.done).u32(m.total);
      break;
    case 'file-begin':
      w.u8(m.fileId).u32(m.length);
      break;
    case 'file-chunk':
      if (m.data.length > MAX_CHUNK_DATA) throw new Error('chunk too large');
      w.u8(m.fileId).u32(m.offset).bytes(m.data);
      break;
    case 'file-end':
      w.u8(m.fileId).u32(m.length).u8(indexIn(VERDICTS, m.verdict)).u8(m.digest.length).bytes(m.digest);
      break;
    case 'result':
      w.u8(m.ok ? 1 : 0).u32(groupsToMask(m.files)).u32(m.bytesRead).u32(m.apdus).u32(m.elapsedMs);
      if ((typeof WITH_CHIP_AUTH === 'undefined' || WITH_CHIP_AUTH) && m.chipAuth && m.chipAuth !== 'none') w.u8(indexIn(CHIP_AUTH, m.chipAuth));
      break;
    case 'error':
      w.u8(errorCodeValue(m.code)).u16(m.sw).u8(m.fileId).str(m.message);
      break;
  }
  return w.result();
}

/** The messages only the device sends; null for another type, false for a wrong layout. */
function decodeDeviceSide(code: number, r: ByteReader): Message | null | false {
  let m: Message | null = null;
  switch (code) {
    case MSG.HELLO_REPLY:
      m = {
        type: 'hello-reply',
        protocolVersion: r.u8(),
        firmwareVersion: r.str(),
        board: r.str(),
        capabilities: r.u32(),
        maxPayload: r.u16(),
        nfcFirmware: r.u32(),
      };
      break;
    case MSG.PROGRESS: {
      const phase = r.u8();
      if (phase >= PHASES.length) return false;
      m = { type: 'progress', phase: PHASES[phase], fileId: r.u8(), done: r.u32(), total: r.u32() };
      break;
    }
    case MSG.FILE_BEGIN:
      m = { type: 'file-begin', fileId: r.u8(), length: r.u32() };
      break;
    case MSG.FILE_CHUNK:
      m = { type: 'file-chunk', fileId: r.u8(), offset: r.u32(), data: r.rest() };
      break;
    case MSG.FILE_END: {
      const fileId = r.u8();
      const length = r.u32();
      const verdict = r.u8();
      if (verdict >= VERDICTS.length) return false;
      m = { type: 'file-end', fileId, length, verdict: VERDICTS[verdict], digest: r.bytes(r.u8()) };
      break;
    }
    case MSG.RESULT: {
      const result: ResultMessage = { type: 'result', ok: r.u8() === 1, files: maskToGroups(r.u32()), bytesRead: r.u32(), apdus: r.u32(), elapsedMs: r.u32() };
      if (r.left() > 0) {
        // The optional Chip Authentication byte: 'none' is never sent, so 0 is a bad layout.
        const ca = r.u8();
        if (ca === 0 || ca >= CHIP_AUTH.length) return false;
        result.chipAuth = CHIP_AUTH[ca];
      }
      m = result;
      break;
    }
    case MSG.ERROR: {
      const code = r.u8();
      if (code >= ERROR_CODES.length) return false;
      m = { type: 'error', code: ERROR_CODES[code], sw: r.u16(), fileId: r.u8(), message: r.str() };
      break;
    }
  }
  return m;
}

/** Decodes a payload of wire type `code`; null when the type is unknown or the layout is wrong. */
export function decodePayload(code: number, payload: Uint8Array): Message | null {
  const r = new ByteReader(payload);
  if (typeof PROTOCOL_DEVICE_SIDE === 'undefined' || !PROTOCOL_DEVICE_SIDE) {
    const fromDevice = decodeDeviceSide(code, r);
    if (fromDevice === false) return null;
    if (fromDevice) return r.done() ? fromDevice : null;
  }
  let m: Message | null = null;
  switch (code) {
    case MSG.HELLO:
      m = { type: 'hello', protocolVersion: r.u8() };
      break;
    case MSG.READ: {
      const mask = r.u32();
      const cardTimeoutMs = r.u32();
      const documentNumber = r.str();
      const dateOfBirth = r.str();
      const dateOfExpiry = r.str();
      const checkDigits = r.str();
      const challenge = r.rest();
      if (challenge.length !== 0 && challenge.length !== 8) return null;
      const read: ReadMessage = { type: 'read', dataGroups: maskToGroups(mask), cardTimeoutMs, documentNumber, dateOfBirth, dateOfExpiry, checkDigits };
      if (challenge.length) read.challenge = challenge;
      m = read;
      break;
    }
    case MSG.CANCEL:
      m = { type: 'cancel' };
      break;
    case MSG.RESET:
      m = { type: 'reset', toConsole: r.u8() === 1 };
      break;
    case MSG.ACK:
      m = { type: 'ack', seq: r.u8(), window: r.u8() };
      break;
    default:
      return null;
  }
  return r.done() ? m : null;
}
