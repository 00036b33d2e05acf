// Resume, host side: the device reports the passport lost ('card-lost' heartbeats), then
// 'resumed', and continues the file at the byte where it stopped. The SDK must assemble the
// document from the continuation (it verifies), surface both phases as progress events, refuse
// a device that repeats bytes, and end cleanly when the passport does not come back.

import { beforeAll, describe, expect, it } from 'vitest';
import { createCsca, createDocument, type GeneratedDocument } from '@epassport/hardware/sim/document/index';
import { PassportReader } from '../passport-reader';
import { TrustStore } from '../pa/trust-store';
import { ReaderError } from '../reader-error';
import { FakeBinding, FakeDevice, type FakeDeviceOptions } from '../../test/support/fake-device';
import type { ReadEvent } from './read-stream';

const person = {
  issuingState: 'UTO', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', documentNumber: 'L898902C3',
  nationality: 'UTO', dateOfBirth: '740812', sex: 'F' as const, dateOfExpiry: '320415',
};
const MRZ = { mrz: 'L898902C3 740812 320415' };

let doc: GeneratedDocument;
let trust: TrustStore;
beforeAll(async () => {
  const csca = await createCsca({ signature: 'ecdsa' });
  doc = await createDocument(person, { signature: 'ecdsa', csca, dataGroups: [1, 2, 15] });
  trust = new TrustStore();
  trust.add(csca.certificate);
});

async function open(extra: Partial<FakeDeviceOptions>) {
  const device = new FakeDevice({ files: doc.files, documentNumber: person.documentNumber, dateOfBirth: person.dateOfBirth, dateOfExpiry: person.dateOfExpiry, chunkSize: 500, ...extra });
  return PassportReader.open({ binding: new FakeBinding(device) });
}

async function rejection(p: Promise<unknown>): Promise<ReaderError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ReaderError);
    return e as ReaderError;
  }
  throw new Error('did not reject');
}

/** Chunks of EF.COM, EF.SOD, DG1 and the first ones of DG2 (the fake's chunks are 500 bytes). */
function chunksBeforeDg2Half(): number {
  const before = [0x1e, 0x1d, 1].reduce((n, id) => n + Math.ceil(doc.files[id].length / 500), 0);
  return before + Math.floor(doc.files[2].length / 2 / 500);
}

describe('resume after a card loss (host SDK)', () => {
  it('assembles and verifies the document across a resume; card-lost and resumed are progress events', async () => {
    const reader = await open({ loseCard: { afterChunks: chunksBeforeDg2Half(), backAfterMs: 300 } });
    const events: ReadEvent[] = [];
    const document = await reader.read(MRZ, { dataGroups: [2, 15], trust, onProgress: (e) => events.push(e) });
    expect(document.verified).toBe(true);
    for (const [id, f] of document.files) expect(Buffer.from(f.bytes).equals(Buffer.from(doc.files[id])), 'file ' + id).toBe(true);
    expect(document.passiveAuthentication.hashes.groups.every((g) => g.verdict === 'match')).toBe(true);
    expect(document.faces).toHaveLength(1);

    const lost = events.filter((e) => e.type === 'progress' && e.phase === 'card-lost');
    const resumed = events.filter((e) => e.type === 'progress' && e.phase === 'resumed');
    expect(lost.length).toBeGreaterThanOrEqual(1);
    expect(resumed).toHaveLength(1);
    const at = (resumed[0] as { done: number }).done;
    expect(lost[0]).toMatchObject({ fileId: 2, done: at, total: doc.files[2].length });
    expect(at).toBeGreaterThan(0);
    // The chunk events of DG2 tile the file: each byte once, the resume continues at `at`.
    const dg2 = events.filter((e): e is Extract<ReadEvent, { type: 'chunk' }> => e.type === 'chunk' && e.fileId === 2);
    let next = 0;
    for (const c of dg2) {
      expect(c.offset).toBe(next);
      next += c.length;
    }
    expect(next).toBe(doc.files[2].length);
    expect(dg2.some((c) => c.offset === at)).toBe(true);
    expect(events.filter((e) => e.type === 'file-begin' && e.fileId === 2)).toHaveLength(1);
    await reader.close();
  });

  it('refuses a device that repeats bytes when it resumes: malformed-data on the file', async () => {
    const reader = await open({ loseCard: { afterChunks: chunksBeforeDg2Half(), backAfterMs: 100, resendBytes: 100 } });
    const e = await rejection(reader.read(MRZ, { dataGroups: [2, 15], trust }));
    expect(e.code).toBe('malformed-data');
    expect(e.fileId).toBe(2);
    await reader.close();
  });

  it('the passport does not come back within the window: card-lost, on the lost file', async () => {
    const reader = await open({ loseCard: { afterChunks: chunksBeforeDg2Half(), backAfterMs: null, windowMs: 1200 } });
    const events: ReadEvent[] = [];
    const e = await rejection(reader.read(MRZ, { dataGroups: [2, 15], trust, onProgress: (ev) => events.push(ev) }));
    expect(e.code).toBe('card-lost');
    expect(e.fileId).toBe(2);
    // Heartbeats kept the link alive meanwhile: the error is the device's, not a timeout.
    expect(events.filter((ev) => ev.type === 'progress' && ev.phase === 'card-lost').length).toBeGreaterThanOrEqual(3);
    await reader.close();
  });

  it('cancel while the device waits for the passport: cancelled', async () => {
    const reader = await open({ loseCard: { afterChunks: 3, backAfterMs: null } });
    const controller = new AbortController();
    const read = reader.read(MRZ, {
      dataGroups: [2], trust, signal: controller.signal,
      onProgress: (ev) => {
        if (ev.type === 'progress' && ev.phase === 'card-lost') controller.abort();
      },
    });
    const e = await rejection(read);
    expect(e.code).toBe('cancelled');
    await reader.close();
  });
});
