// The SDK against a fake reader that speaks the real protocol (ReliableLink both ends) through a
// serialport binding: full reads, unplug and reconnect, garbage, busy, cancel, timeouts, versions.

import { beforeAll, describe, expect, it } from 'vitest';
import { createCsca, createDocument, tamper, type Csca, type GeneratedDocument } from '@epassport/hardware/sim/document/index';
import { PassportReader } from './passport-reader';
import { TrustStore } from './pa/trust-store';
import { FakeBinding, FakeDevice, type FakeDeviceOptions } from '../test/support/fake-device';
import type { ReadEvent } from './session/read-stream';
import { ReaderError } from './reader-error';
import { UnverifiedDocumentError } from './unverified-document-error';
import { PROTOCOL_VERSION } from '@epassport/protocol';
import { SAMPLE_PERSON as person } from '../test/support/pa-documents';

const MRZ = { mrz: 'L898902C3 740812 320415' };

let csca: Csca;
let doc: GeneratedDocument;
let trust: TrustStore;
beforeAll(async () => {
  csca = await createCsca({ signature: 'ecdsa' });
  doc = await createDocument(person, { signature: 'ecdsa', csca, dataGroups: [1, 2, 11, 15] });
  trust = new TrustStore();
  trust.add(csca.certificate);
});

function fake(extra: Partial<FakeDeviceOptions> = {}, files = doc.files) {
  const device = new FakeDevice({ files, documentNumber: person.documentNumber, dateOfBirth: person.dateOfBirth, dateOfExpiry: person.dateOfExpiry, ...extra });
  return { device, binding: new FakeBinding(device) };
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

describe('PassportReader over the protocol', () => {
  it('finds the reader, says hello and exposes what the device said', async () => {
    const { binding } = fake();
    const reader = await PassportReader.open({ binding });
    expect(reader.info).toMatchObject({
      protocolVersion: PROTOCOL_VERSION, firmware: '0.3.1-fake', board: 'PICO_R1_3', nfcModule: 'PN532 v1.6', path: '/dev/ttyACM7',
    });
    expect(reader.info.capabilityNames).toEqual(['bac', 'type-a', 'sha1', 'sha256', 'resume']);
    expect(reader.connected).toBe(true);
    await reader.close();
    expect(reader.connected).toBe(false);
  });

  it('reads a whole document: files byte for byte, DG1, face, verdicts, verified', async () => {
    const { binding, device } = fake();
    const reader = await PassportReader.open({ binding });
    const events: ReadEvent[] = [];
    const document = await reader.read(MRZ, { dataGroups: [2, 11, 15], trust, onProgress: (e) => events.push(e) });
    expect(document.verified).toBe(true);
    expect([...document.files.keys()]).toEqual([0x1e, 0x1d, 1, 2, 11, 15]);
    for (const [id, f] of document.files) expect(Buffer.from(f.bytes).equals(Buffer.from(doc.files[id]))).toBe(true);
    expect(document.dg1).toMatchObject({ primaryIdentifier: 'ERIKSSON', secondaryIdentifier: 'ANNA MARIA', documentNumber: 'L898902C3', valid: true });
    expect(document.faces).toHaveLength(1);
    expect(document.faces[0].mime).toBe('image/jpeg');
    expect(document.faces[0].viewable?.mime).toBe('image/jpeg');
    expect(document.files.get(2)?.deviceVerdict).toBe('match');
    expect(document.passiveAuthentication.hashes.groups.every((g) => g.verdict === 'match' && g.device === 'match')).toBe(true);
    expect(document.com?.dataGroups).toEqual([1, 2, 11, 15]);
    expect(document.stats.bytesRead).toBe(Object.values(doc.files).reduce((n, f) => n + f.length, 0));

    // Events: in protocol order, DG1 parsed right after DG1 ends, the face right after DG2.
    const kinds = events.filter((e) => e.type !== 'chunk' && e.type !== 'progress').map((e) => e.type + ('fileId' in e ? ':' + e.fileId : ''));
    expect(kinds).toEqual(['file-begin:30', 'file-end:30', 'file-begin:29', 'file-end:29', 'file-begin:1', 'file-end:1', 'dg1',
      'file-begin:2', 'file-end:2', 'face', 'file-begin:11', 'file-end:11', 'file-begin:15', 'file-end:15', 'result']);
    const dg2End = events.find((e) => e.type === 'file-end' && e.fileId === 2);
    expect(dg2End).toMatchObject({ verdict: 'match', hostVerdict: 'match' });
    expect(events.find((e) => e.type === 'progress')).toMatchObject({ phase: 'waiting-for-card' });
    const read = device.received.find((m) => m.type === 'read');
    expect(read).toMatchObject({ documentNumber: 'L898902C3', dateOfBirth: '740812', dateOfExpiry: '320415', dataGroups: [1, 2, 11, 15] });
    await reader.close();
  });

  it('streams events through an async iterator', async () => {
    const { binding } = fake();
    const reader = await PassportReader.open({ binding });
    const stream = reader.stream({ documentNumber: 'L898902C3', dateOfBirth: '740812', dateOfExpiry: '320415' }, { dataGroups: [1] });
    const seen: string[] = [];
    for await (const e of stream) seen.push(e.type);
    expect(seen[seen.length - 1]).toBe('result');
    expect(seen).toContain('dg1');
    expect((await stream.document).dataGroups).toEqual([1]);
    expect((await stream.document).passiveAuthentication.chain.status).toBe('no-trust-store');
    await reader.close();
  });

  it('converts a JPEG 2000 face to PNG', async () => {
    const jp2Doc = await createDocument(person, { signature: 'ecdsa', csca, face: 'jpeg2000' });
    const { binding } = fake({}, jp2Doc.files);
    const reader = await PassportReader.open({ binding });
    const document = await reader.read(MRZ, { trust });
    expect(document.faces[0].mime).toBe('image/jp2');
    expect(document.faces[0].viewable?.mime).toBe('image/png');
    expect(document.faces[0].viewable?.width).toBeGreaterThan(0);
    expect(document.verified).toBe(true);
    await reader.close();
  });

  it('survives garbage on the line', async () => {
    const { binding } = fake({ garbage: { every: 3, bytes: new Uint8Array([0x41, 0x00, 0x99, 0x17, 0x00, 0x05, 0x03]) } });
    const reader = await PassportReader.open({ binding });
    const document = await reader.read(MRZ, { trust });
    expect(document.verified).toBe(true);
    expect(document.stats.damagedFrames).toBeGreaterThan(0);
    await reader.close();
  });

  it('says disconnected when unplugged mid-read, then reconnects and reads again', async () => {
    const { binding, device } = fake({ unplugAfterChunks: 20 });
    const reader = await PassportReader.open({ binding });
    const e = await rejection(reader.read(MRZ, { trust }));
    expect(e.code).toBe('disconnected');
    expect(e.message).toMatch(/went away/);
    expect(reader.connected).toBe(false);
    // Still unplugged: the next read cannot reopen the port.
    expect((await rejection(reader.read(MRZ))).code).toBe('not-found');
    binding.replug();
    device.options.unplugAfterChunks = undefined;
    const document = await reader.read(MRZ, { trust });
    expect(document.verified).toBe(true);
    expect(binding.opens).toBe(2);
    // An explicit reconnect opens the port again too.
    await reader.reconnect();
    expect(binding.opens).toBe(3);
    expect(reader.connected).toBe(true);
    await reader.close();
  });

  it('refuses a second read while one runs, and the first goes on', async () => {
    const { binding, device } = fake({ cardAfterMs: 300 });
    const reader = await PassportReader.open({ binding });
    const first = reader.read(MRZ, { trust });
    expect(reader.busy).toBe(true);
    const e = await rejection(reader.read(MRZ));
    expect(e.code).toBe('busy');
    expect((await first).verified).toBe(true);
    expect(device.readsStarted).toBe(1);
    expect(reader.busy).toBe(false);
    await reader.close();
  });

  it('cancels through an AbortSignal: sends cancel, rejects cancelled, stays usable', async () => {
    const { binding, device } = fake({ cardAfterMs: -1 });
    const reader = await PassportReader.open({ binding });
    const abort = new AbortController();
    const e = await rejection(reader.read(MRZ, { signal: abort.signal, onProgress: (ev) => ev.type === 'progress' && abort.abort() }));
    expect(e.code).toBe('cancelled');
    expect(device.received.some((m) => m.type === 'cancel')).toBe(true);
    device.options.cardAfterMs = 0;
    expect((await reader.read(MRZ, { trust })).verified).toBe(true);
    const pre = new AbortController();
    pre.abort();
    expect((await rejection(reader.read(MRZ, { signal: pre.signal }))).code).toBe('cancelled');
    await reader.close();
  });

  it('times out when the device goes silent during a read', async () => {
    const { binding } = fake({ stallAfterChunks: 3 });
    const reader = await PassportReader.open({ binding });
    const e = await rejection(reader.read(MRZ, { silenceTimeoutMs: 400 }));
    expect(e.code).toBe('timeout');
    expect(e.message).toBe('the reader sent nothing for 0.4 s during the read');
    // The wedged session is dropped; the next read opens the port again and works.
    binding.device.options.stallAfterChunks = undefined;
    expect((await reader.read(MRZ, { trust })).verified).toBe(true);
    expect(binding.opens).toBe(2);
    await reader.close();
  });

  it('times out a handshake with a silent device', async () => {
    const { binding } = fake({ silent: true });
    const e = await rejection(PassportReader.open({ binding, handshakeTimeoutMs: 300 }));
    expect(e.code).toBe('timeout');
    expect(e.message).toMatch(/no answer to hello from \/dev\/ttyACM7 within 0.3 s/);
  });

  it('refuses a device of another protocol version, naming both', async () => {
    const { binding } = fake({ protocolVersion: PROTOCOL_VERSION + 1 });
    const e = await rejection(PassportReader.open({ binding }));
    expect(e.code).toBe('protocol-version');
    expect(e.message).toBe(`the reader speaks protocol version ${PROTOCOL_VERSION + 1}, this SDK speaks version ${PROTOCOL_VERSION}: update the SDK`);
  });

  it('checks the MRZ on the host before any radio traffic', async () => {
    const { binding, device } = fake();
    const reader = await PassportReader.open({ binding });
    const e = await rejection(reader.read({ mrz: 'L898902C3 741312 320415' }));
    expect(e).toMatchObject({ code: 'invalid-mrz', field: 'dateOfBirth' });
    expect(device.received.some((m) => m.type === 'read')).toBe(false);
    expect((await rejection(reader.read(MRZ, { dataGroups: [17] }))).code).toBe('invalid-argument');
    await reader.close();
  });

  it('passes the device errors on by code: access denied, no card', async () => {
    const { binding } = fake();
    const reader = await PassportReader.open({ binding });
    const denied = await rejection(reader.read({ mrz: 'X12345678 740812 320415' }));
    expect(denied.code).toBe('access-denied');
    expect(denied.message).not.toMatch(/X12345678/);
    binding.device.options.cardAfterMs = -1;
    expect((await rejection(reader.read(MRZ, { cardTimeoutMs: 600 }))).code).toBe('no-card');
    await reader.close();
  });

  it('rejects a hash mismatch with the document attached', async () => {
    const { binding } = fake({}, tamper(doc, 2).files);
    const reader = await PassportReader.open({ binding });
    const e = await rejection(reader.read(MRZ, { trust }));
    expect(e.code).toBe('hash-mismatch');
    expect(e.fileId).toBe(2);
    expect(e.message).toBe('DG2 does not match its hash in EF.SOD: the chip data was altered');
    expect(e).toBeInstanceOf(UnverifiedDocumentError);
    const { document } = e as UnverifiedDocumentError;
    expect(document.passiveAuthentication.hashes.mismatched).toEqual([2]);
    expect(document.dg1?.primaryIdentifier).toBe('ERIKSSON');
    expect(document.verified).toBe(false);
    await reader.close();
  });

  it('rejects untrusted documents when asked to', async () => {
    const { binding } = fake();
    const reader = await PassportReader.open({ binding });
    const e = await rejection(reader.read(MRZ, { requireVerified: true }));
    expect(e.code).toBe('untrusted');
    expect((e as UnverifiedDocumentError).document.passiveAuthentication.chain.status).toBe('no-trust-store');
    await reader.close();
  });
});
