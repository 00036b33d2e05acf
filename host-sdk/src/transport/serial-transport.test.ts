// The real serialport binding on a real pseudo-terminal (socat), with the fake device on the
// other end: the path a USB CDC reader takes, minus the USB.

import { describe, expect, it, beforeAll } from 'vitest';
import { openPseudoTerminal } from '@epassport/hardware/sim/pty';
import { createCsca, createDocument, type GeneratedDocument } from '@epassport/hardware/sim/document/index';
import { PassportReader } from '../passport-reader';
import { TrustStore } from '../pa/trust-store';
import { FakeDevice } from '../../test/support/fake-device';
import { requireTool } from '../../../test/support/requires-tool';
import { SAMPLE_PERSON as person } from '../../test/support/pa-documents';


let doc: GeneratedDocument;
let trust: TrustStore;
beforeAll(async () => {
  const csca = await createCsca({ signature: 'ecdsa-brainpool' });
  doc = await createDocument(person, { signature: 'ecdsa-brainpool', csca });
  trust = new TrustStore();
  trust.add(csca.certificate);
});

async function deviceOnPty(options: Partial<ConstructorParameters<typeof FakeDevice>[0]> = {}) {
  const pty = await openPseudoTerminal();
  const device = new FakeDevice({ files: doc.files, ...options });
  device.attach((bytes) => pty.write(bytes));
  pty.onData((bytes) => device.receive(bytes));
  return { pty, device };
}

describe.skipIf(!requireTool('pty', 'the SDK on serialport\'s own binding over a pty'))('serial transport on a pseudo-terminal', () => {
  it('reads and verifies a document through serialport\'s own binding', async () => {
    const { pty } = await deviceOnPty();
    try {
      const reader = await PassportReader.open({ path: pty.path });
      expect(reader.info.path).toBe(pty.path);
      const document = await reader.read({ mrz: 'L898902C3 740812 320415' }, { trust });
      expect(document.verified).toBe(true);
      expect(document.passiveAuthentication.signature.algorithm).toMatch(/brainpoolP256r1/);
      await reader.close();
    } finally {
      await pty.close();
    }
  });

  it('reports disconnected when the other end goes away mid-read', async () => {
    const { pty, device } = await deviceOnPty({ unplugAfterChunks: 10 });
    device.onUnplug = () => void pty.close();
    const reader = await PassportReader.open({ path: pty.path });
    const error = await reader.read({ mrz: 'L898902C3 740812 320415' }, { silenceTimeoutMs: 4000 }).catch((e) => e);
    expect(error.code).toBe('disconnected');
    expect(reader.connected).toBe(false);
    await reader.close();
  });

  it('says not-found for a port that does not exist', async () => {
    await expect(PassportReader.open({ path: '/dev/pts/does-not-exist' })).rejects.toMatchObject({ code: 'not-found' });
  });
});
