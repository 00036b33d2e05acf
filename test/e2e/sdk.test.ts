// The SDK in this process (`PassportReader.open({ path })`) against the virtual reader built in
// this process on a RealClock (the real firmware bundle in the Espruino shim, the PN532
// simulator, the fixture's passport), its USB side on a real pseudo-terminal: serialport's own
// binding talks to /dev/pts/N. Building the reader here lets a test take the passport away at an
// exact point of a read.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isReaderError, PassportReader, type PassportDocument, type ReadEvent, type ReaderError } from '@epassport/host-sdk';
import { VirtualPassport } from '@epassport/hardware/sim/passport/virtual-passport';
import { loadFixture } from '@epassport/hardware/fixtures/index';
import { expectVerifiedDocument } from '../support/expect-read';
import { requireTool } from '../support/requires-tool';
import { closeInProcessReaders, cscaPath, READ_TIMEOUT_MS, startInProcessReader, type InProcessReader } from '../support/virtual-reader';

const DOCUMENT = 'utopia-anna';
const anna = loadFixture(DOCUMENT);
const TRUST = cscaPath(DOCUMENT);

/** The read's rejection, which must be a ReaderError. */
async function rejection(p: Promise<unknown>): Promise<ReaderError> {
  const e = await p.then(
    () => {
      throw new Error('the read succeeded but should have failed');
    },
    (err: unknown) => err,
  );
  if (!isReaderError(e)) throw new Error('not a ReaderError: ' + String(e));
  return e;
}

async function verifiedRead(reader: PassportReader, onProgress?: (e: ReadEvent) => void): Promise<PassportDocument> {
  const doc = await reader.read({ mrz: anna.mrz }, { trust: TRUST, onProgress });
  expectVerifiedDocument(doc, DOCUMENT);
  return doc;
}

describe.skipIf(!requireTool(['pty', 'openssl'], 'e2e: the SDK against the in-process reader'))('PassportReader against the in-process virtual reader on a pty', () => {
  afterAll(closeInProcessReaders); // whatever a failed test left open
  // The two groups run at the same time (vitest runs files one after another on 2 cores, and a
  // read mostly waits on the pty); the first group's tests share one reader, one after another.
  describe.concurrent('one reader (pico, HSU), many reads', () => {
    let virtual: InProcessReader;
    let reader: PassportReader;
    beforeAll(async () => {
      virtual = await startInProcessReader(DOCUMENT, 'pico');
      reader = await PassportReader.open({ path: virtual.path });
    });
    afterAll(async () => {
      await reader?.close();
      await virtual?.close();
    });
    afterEach(() => {
      // A test that swapped the card leaves the fixture's passport on the reader for the next.
      virtual.device.setCard(virtual.passport);
      expect(virtual.device.errors, 'uncaught firmware errors').toEqual([]);
    });

    it.sequential('says hello with the board and capabilities', () => {
      expect(reader.info.board).toBe('PICO');
      expect(reader.info.capabilityNames).toEqual(expect.arrayContaining(['bac', 'sha256']));
    });

    it.sequential('reads twice in a row on one open reader, each read complete and verified', async () => {
      const phases: string[] = [];
      const first = await verifiedRead(reader, (e) => {
        if (e.type === 'progress' && phases.at(-1) !== e.phase) phases.push(e.phase);
      });
      expect(phases).toEqual(expect.arrayContaining(['connecting', 'authenticating']));
      expect(first.dg1?.documentNumber).toBe(anna.bac.documentNumber);
      expect(first.faces[0]?.mime).toBe('image/jpeg');
      const second = await verifiedRead(reader);
      // The second read is a new BAC session: the same bytes arrive again.
      expect([...second.files.keys()]).toEqual([...first.files.keys()]);
      expect(reader.connected).toBe(true);
    }, 2 * READ_TIMEOUT_MS);

    it.sequential("rejects a wrong MRZ with 'access-denied', then reads with the right one", async () => {
      // A well-formed MRZ (check digits right) for another document number: BAC fails on the chip.
      const e = await rejection(reader.read({ documentNumber: 'UA7654321', dateOfBirth: anna.bac.dateOfBirth, dateOfExpiry: anna.bac.dateOfExpiry }, { trust: TRUST }));
      expect(e.code).toBe('access-denied');
      expect(e.message).not.toContain('UA7654321');
      await verifiedRead(reader);
    }, 2 * READ_TIMEOUT_MS);

    it.sequential("cancels with an AbortSignal mid-read ('cancelled', no hang), then reads", async () => {
      const abort = new AbortController();
      let dg2Chunks = 0;
      const e = await rejection(
        reader.read({ mrz: anna.mrz }, {
          trust: TRUST,
          signal: abort.signal,
          onProgress: (ev) => {
            if (ev.type === 'chunk' && ev.fileId === 2 && ++dg2Chunks === 2) abort.abort();
          },
        }),
      );
      expect(e.code).toBe('cancelled');
      expect(dg2Chunks).toBeGreaterThanOrEqual(2);
      expect(reader.busy).toBe(false);
      await verifiedRead(reader);
    }, 2 * READ_TIMEOUT_MS);

    it.sequential("fails with 'card-lost' when the passport leaves mid-read (another one comes back), then reads", async () => {
      // The passport leaves during DG2. A firmware without resume fails the read at once; one with
      // resume waits for a passport and refuses another document. Either way the read must end
      // with a typed 'card-lost', not hang, and the next read must work.
      const other = loadFixture('utopia-long-name');
      let removedAt = -1;
      let swapped = false;
      let waitedForIt = false;
      const placeOther = () => {
        if (swapped) return;
        swapped = true;
        virtual.device.setCard(new VirtualPassport(other.files, other.bac));
      };
      const read = reader.read({ mrz: anna.mrz }, {
        trust: TRUST,
        onProgress: (ev) => {
          if (ev.type === 'chunk' && ev.fileId === 2 && removedAt < 0) {
            removedAt = ev.received;
            virtual.device.setCard(null);
          } else if (ev.type === 'progress' && ev.phase === 'card-lost') {
            waitedForIt = true;
            placeOther(); // the device noticed and waits for the passport to come back
          }
        },
      });
      const e = await rejection(read);
      placeOther(); // (no-resume firmware: the read is already over)
      expect(removedAt).toBeGreaterThan(0);
      expect(e.code).toBe('card-lost');
      // A reader that can resume says so in its hello, and must have waited for the passport.
      expect(waitedForIt).toBe(reader.info.capabilityNames.includes('resume'));
      expect(e.message).not.toMatch(new RegExp(anna.bac.documentNumber + '|' + anna.person.surname, 'i'));
      virtual.device.setCard(virtual.passport);
      await verifiedRead(reader);
    }, 3 * READ_TIMEOUT_MS);

    it.sequential("reports 'no-card' when no passport comes within the card timeout, then reads", async () => {
      virtual.device.setCard(null);
      const e = await rejection(reader.read({ mrz: anna.mrz }, { trust: TRUST, cardTimeoutMs: 1500 }));
      expect(e.code).toBe('no-card');
      virtual.device.setCard(virtual.passport);
      await verifiedRead(reader);
    }, 2 * READ_TIMEOUT_MS);
  });

  describe.concurrent('each PN532 wiring', () => {
    for (const board of ['pico-i2c', 'pico-spi']) {
      it(`reads and verifies over ${board}`, async () => {
        const virtual = await startInProcessReader(DOCUMENT, board);
        const reader = await PassportReader.open({ path: virtual.path });
        try {
          expect(reader.info.board).toBe('PICO');
          await verifiedRead(reader);
          expect(virtual.device.errors).toEqual([]);
        } finally {
          await reader.close();
          await virtual.close();
        }
      }, READ_TIMEOUT_MS);
    }
  });
});
