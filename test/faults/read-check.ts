// Judges one read from the host's side: rebuilds the files from the messages (counting bytes
// delivered twice and holes), compares them with what the chip holds and with the signed
// fixture, and runs the host SDK's passive authentication on a completed read.

import { ERROR_CODES, FILE, type Message } from '@epassport/protocol';
import { passiveAuthentication } from '@epassport/host-sdk/pa/passive-authentication';
import type { TrustStore } from '@epassport/host-sdk/pa/trust-store';

export interface ReadVerdict {
  /** 'verified', 'unverified' (completed, passive authentication failed), a device error code,
   * 'untyped' (an error code outside ERROR_CODES, or 'internal'), 'no-final'. */
  outcome: string;
  /** Bytes of files the device called complete (file-end or result) that differ from the chip's
   * or are missing. */
  dataLost: number;
  /** Bytes delivered again at an offset already received. */
  duplicated: number;
  /** A 'match' verdict, a result ok, or a verified report over bytes that are not the signed ones. */
  wrongVerdicts: number;
  /** Final messages after the first (a read ends exactly once). */
  extraFinals: number;
  notes: string[];
}

interface Assembly {
  length: number;
  bytes: Uint8Array;
  /** 1 where a byte arrived. */
  got: Uint8Array;
  received: number;
  ended: boolean;
  verdict: string;
}

export interface ReadExpectations {
  /** What the chip actually serves (after hostile patches). */
  served: { [fileId: number]: Uint8Array };
  /** The genuine, signed files. */
  signed: { [fileId: number]: Uint8Array };
  trust: TrustStore;
  /** Files a completed read must hold (the genuine chip: EF.COM, EF.SOD, DG1, requested groups). */
  required?: number[];
  /** Run passive authentication on a completed read (default true). Without it a completed read
   * whose every byte is the signed fixture's counts as verified (the soak's fast path). */
  passiveAuthentication?: boolean;
}

function differing(a: Uint8Array, b: Uint8Array | undefined): number {
  if (!b) return a.length;
  let n = Math.abs(a.length - b.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) n++;
  return n;
}

/** Total length of the BER-TLV at the start of `d` (tags of any length), or -1. */
export function berTotalLength(d: Uint8Array): number {
  let p = 1;
  if ((d[0] & 0x1f) === 0x1f) while (p < d.length && d[p++] & 0x80);
  if (p >= d.length) return -1;
  const l = d[p++];
  if (l < 0x80) return p + l;
  if (l === 0x80 || l > 0x84) return -1;
  let n = 0;
  for (let i = 0; i < (l & 0x7f); i++) n = n * 256 + d[p + i];
  return p + (l & 0x7f) + n;
}

/** A file as a reader sees it: its outer TLV; bytes a chip keeps after that are not the file's. */
function asTlv(file: Uint8Array | undefined): Uint8Array | undefined {
  if (!file) return file;
  const n = berTotalLength(file);
  return n > 0 && n < file.length ? file.subarray(0, n) : file;
}

/** What a correct read delivers for a file: the signed bytes, except for EF.COM, which EF.SOD does
 * not cover (ICAO 9303-10 §4.6.2: the LDS Security Object hashes data groups only), so a chip's
 * own EF.COM, garbage or not, is the right answer (the device reads on without a usable one). */
function signedOrServed(x: ReadExpectations, id: number): Uint8Array | undefined {
  return id === FILE.COM ? asTlv(x.served[id]) : x.signed[id];
}

function same(a: Uint8Array, b: Uint8Array | undefined): boolean {
  return !!b && a.length === b.length && differing(a, b) === 0;
}

export function judgeRead(messages: Message[], x: ReadExpectations): ReadVerdict {
  const v: ReadVerdict = { outcome: 'no-final', dataLost: 0, duplicated: 0, wrongVerdicts: 0, extraFinals: 0, notes: [] };
  const files = new Map<number, Assembly>();
  let final: Message | null = null;
  for (const m of messages) {
    if (m.type === 'file-begin') {
      if (files.has(m.fileId)) v.notes.push('file-begin twice for ' + m.fileId);
      files.set(m.fileId, { length: m.length, bytes: new Uint8Array(m.length), got: new Uint8Array(m.length), received: 0, ended: false, verdict: '' });
    } else if (m.type === 'file-chunk') {
      const f = files.get(m.fileId);
      if (!f) {
        v.dataLost += m.data.length;
        v.notes.push('chunk of ' + m.fileId + ' before its file-begin');
        continue;
      }
      if (m.offset < f.received) v.duplicated += Math.min(f.received, m.offset + m.data.length) - m.offset;
      if (m.offset > f.received) v.notes.push(`file ${m.fileId}: hole ${f.received}..${m.offset}`);
      if (m.offset + m.data.length > f.length) {
        v.notes.push(`file ${m.fileId}: chunk past its length`);
        v.dataLost += m.offset + m.data.length - f.length;
        continue;
      }
      f.bytes.set(m.data, m.offset);
      f.got.fill(1, m.offset, m.offset + m.data.length);
      f.received = Math.max(f.received, m.offset + m.data.length);
    } else if (m.type === 'file-end') {
      const f = files.get(m.fileId);
      if (!f) {
        v.notes.push('file-end without file-begin: ' + m.fileId);
        continue;
      }
      f.ended = true;
      f.verdict = m.verdict;
      // Complete by the device's word: must be every byte the chip holds.
      const got = f.bytes.subarray(0, f.received);
      const chip = asTlv(x.served[m.fileId]);
      const holes = f.got.subarray(0, f.received).reduce((n, b) => n + (b ? 0 : 1), 0);
      if (holes || f.received !== f.length || m.length !== f.length || !same(got, chip)) {
        v.dataLost += Math.max(differing(got, chip), holes);
        v.notes.push(`file ${m.fileId} ended with ${f.received}/${f.length} bytes${same(got, chip) ? '' : ', not the chip\'s'}`);
      }
      if (m.verdict === 'match' && !same(got, x.signed[m.fileId])) {
        v.wrongVerdicts++;
        v.notes.push(`file ${m.fileId}: 'match' on bytes that are not the signed ones`);
      }
    } else if (m.type === 'result' || m.type === 'error') {
      if (m.type === 'error' && m.code === 'busy') continue;
      if (final) v.extraFinals++;
      else final = m;
    }
  }
  if (!final) return v;
  if (final.type === 'error') {
    v.outcome = final.code !== 'internal' && ERROR_CODES.indexOf(final.code) >= 0 ? final.code : 'untyped';
    if (v.outcome === 'untyped') v.notes.push(`error ${final.code}: ${final.message}`);
    return v;
  }
  // A result: every listed file complete and the chip's; the verdict the host computes.
  const dataGroups = new Map<number, Uint8Array>();
  let allSigned = true;
  for (const id of final.files) {
    const f = files.get(id);
    if (!f || !f.ended) {
      v.dataLost += x.served[id] ? x.served[id].length : 0;
      v.notes.push('result lists file ' + id + ' that never ended');
      continue;
    }
    const got = f.bytes.subarray(0, f.received);
    if (!same(got, signedOrServed(x, id))) allSigned = false;
    if (id >= 1 && id <= 16) dataGroups.set(id, got);
  }
  for (const id of x.required ?? []) {
    if (final.files.indexOf(id) < 0) {
      v.dataLost += x.served[id] ? x.served[id].length : 0;
      v.notes.push('result without file ' + id);
    }
  }
  for (const [id, f] of files) if (!f.ended) v.notes.push('file ' + id + ' begun but never ended before result');
  if (x.passiveAuthentication === false) {
    if (final.ok && !allSigned) v.wrongVerdicts++;
    v.outcome = allSigned && final.ok ? 'verified' : 'unverified';
    return v;
  }
  const report = passiveAuthentication({ sod: files.get(FILE.SOD)?.bytes, dataGroups, trustStore: x.trust });
  if (report.verified && !allSigned) {
    v.wrongVerdicts++;
    v.notes.push('passive authentication verified bytes that are not the signed ones');
  }
  if (final.ok && !allSigned) {
    v.wrongVerdicts++;
    v.notes.push('result ok over bytes that are not the signed ones');
  }
  v.outcome = report.verified && allSigned ? 'verified' : 'unverified';
  if (v.outcome === 'unverified') v.notes.push('not verified: ' + report.problems.join('; '));
  return v;
}
