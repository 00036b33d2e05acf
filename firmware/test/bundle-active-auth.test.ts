// Active Authentication on the BUNDLE: with a challenge in the read, the device sends INTERNAL
// AUTHENTICATE under secure messaging after DG15 and streams the chip's answer as file
// AA_SIGNATURE; the host's check (host-sdk/src/aa) passes it for the RSA and EC samples and fails
// it for a clone. A refusal is an empty answer, a lost card repeats the command after resume.
import { describe, expect, it } from 'vitest';
import { CAP, FILE, type Message } from '@epassport/protocol';
import type { Card, CardReply } from '@epassport/hardware/sim/card';
import { checkActiveAuthentication } from '@epassport/host-sdk/aa/active-authentication';
import { createDocument } from '@epassport/hardware/sim/document/index';
import { VirtualPassport } from '@epassport/hardware/sim/passport/virtual-passport';
import { loadBoard } from '@epassport/hardware/boards/index';
import { filesOf, rig, type Rig } from './device-host';

const CHALLENGE = Uint8Array.of(0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88);
const INS_INTERNAL_AUTHENTICATE = 0x88;
const PERSON = {
  issuingState: 'UTO', surname: 'RSA', givenNames: 'LONG KEY', documentNumber: 'UR2048001',
  nationality: 'UTO', dateOfBirth: '800101', sex: 'M' as const, dateOfExpiry: '350101',
};
const BAC = { documentNumber: PERSON.documentNumber, dateOfBirth: PERSON.dateOfBirth, dateOfExpiry: PERSON.dateOfExpiry };

function readWithChallenge(r: Rig, dataGroups = [1, 15, 14]): { messages: Message[]; files: Map<number, Uint8Array> } {
  const messages = r.host.read({ ...r.bac, dataGroups, challenge: CHALLENGE });
  return { messages, files: filesOf(messages) };
}

function check(r: Rig, files: Map<number, Uint8Array>) {
  return checkActiveAuthentication({ dg15: files.get(15), dg14: files.get(14), challenge: CHALLENGE, signature: files.get(FILE.AA_SIGNATURE) });
}

describe('Active Authentication through the bundle', () => {
  it('RSA sample: the signature streams after DG15 and verifies; the device advertises it', async () => {
    const r = await rig('pico', 'utopia-anna');
    r.passport.configure({ activeAuthKey: r.fixture.activeAuthPrivateKey });
    expect(r.host.hello().capabilities & CAP.ACTIVE_AUTH).toBeTruthy();
    const { messages, files } = readWithChallenge(r);
    expect(messages[messages.length - 1]).toMatchObject({ type: 'result', ok: true, files: [1, 15, FILE.SOD, FILE.COM] });
    expect(messages.filter((m) => m.type === 'file-begin').map((m) => m.type === 'file-begin' && m.fileId)).toEqual([FILE.COM, FILE.SOD, 1, 15, FILE.AA_SIGNATURE]);
    expect(files.get(FILE.AA_SIGNATURE)!.length).toBe(128);
    expect(check(r, files)).toMatchObject({ status: 'active-authentication', algorithm: 'ISO/IEC 9796-2 scheme 1 (sha1)' });
    expect(r.device.errors).toEqual([]);
    r.device.stop();
  });

  it('EC sample: DG14 and DG15 read, ECDSA plain with the hash DG14 names', async () => {
    const r = await rig('pico', 'utopia-ec');
    r.passport.configure({ activeAuthKey: r.fixture.activeAuthPrivateKey });
    const { files } = readWithChallenge(r);
    expect(files.get(FILE.AA_SIGNATURE)!.length).toBe(64);
    expect(check(r, files)).toMatchObject({ status: 'active-authentication', algorithm: 'ECDSA plain (sha256, prime256v1)' });
    r.device.stop();
  });

  it('a clone (wrong signature) fails; a refusing chip gives an empty answer, and the read still ends in result', async () => {
    const r = await rig('pico', 'utopia-anna');
    r.passport.configure({ activeAuthKey: r.fixture.activeAuthPrivateKey, activeAuthFault: 'wrong-signature' });
    expect(check(r, readWithChallenge(r).files).status).toBe('failed');
    r.passport.configure({ activeAuthFault: 'refuse', activeAuthRefusalSw: 0x6982 });
    const refused = readWithChallenge(r);
    expect(refused.messages[refused.messages.length - 1]).toMatchObject({ type: 'result', ok: true });
    expect(refused.files.get(FILE.AA_SIGNATURE)).toEqual(new Uint8Array(0));
    expect(check(r, refused.files)).toMatchObject({ status: 'failed', problem: expect.stringMatching(/refused/) });
    r.device.stop();
  });

  it('RSA-2048: extended INTERNAL AUTHENTICATE once the chip has read extended; after a resume (not known yet) short, 6700, then extended', async () => {
    const doc = await createDocument(PERSON, { dataGroups: [1, 15], activeAuthBits: 2048 });
    // The Pico's wiring with 2 KB blocks, as written for (pico.json's maxRead is 1,024).
    const r = await rig({ ...loadBoard('pico'), maxRead: 2048 }, 'utopia-anna');
    const commands: boolean[] = [];
    let removeAtAa = false;
    const passport = new VirtualPassport(doc.files, BAC, { activeAuthKey: doc.activeAuthPrivateKey, extendedLength: true });
    r.device.setCard({
      get identity() { return passport.identity; },
      isPresent: () => passport.isPresent(),
      reset: () => passport.reset(),
      transceive: (apdu: Uint8Array): CardReply | null => {
        if (apdu[1] === INS_INTERNAL_AUTHENTICATE && passport.isPresent()) {
          commands.push(apdu[4] === 0); // extended?
          if (removeAtAa) {
            removeAtAa = false;
            passport.remove();
            r.clock.setTimeout(() => passport.insert(), 1000);
          }
        }
        return passport.transceive(apdu);
      },
    } as Card);
    const read = () => {
      const messages = r.host.read({ ...BAC, dataGroups: [1, 15], challenge: CHALLENGE });
      expect(JSON.stringify(messages[messages.length - 1])).toContain('"result"');
      return filesOf(messages);
    };
    let files = read();
    expect(commands).toEqual([true]); // DG15 (294 bytes) was read extended: the chip can
    expect(files.get(FILE.AA_SIGNATURE)!.length).toBe(256);
    expect(check(r, files)).toMatchObject({ status: 'active-authentication' });
    commands.length = 0;
    removeAtAa = true;
    files = read();
    expect(commands).toEqual([true, false, true]); // lost; after the resume short, refused 6700, extended
    expect(check(r, files)).toMatchObject({ status: 'active-authentication' });
    r.device.stop();
  });

  it('no challenge, or no DG15: no INTERNAL AUTHENTICATE at all', async () => {
    const r = await rig('pico', 'utopia-anna');
    let sent = 0;
    const passport = r.passport;
    const counting: Card = {
      get identity() { return passport.identity; },
      isPresent: () => passport.isPresent(),
      reset: () => passport.reset(),
      transceive: (apdu: Uint8Array): CardReply | null => {
        if (apdu[1] === INS_INTERNAL_AUTHENTICATE) sent++;
        return passport.transceive(apdu);
      },
    } as Card;
    r.device.setCard(counting);
    expect(filesOf(r.host.read({ ...r.bac, dataGroups: [1, 15] })).has(FILE.AA_SIGNATURE)).toBe(false);
    expect(filesOf(r.host.read({ ...r.bac, dataGroups: [1], challenge: CHALLENGE })).has(FILE.AA_SIGNATURE)).toBe(false);
    expect(sent).toBe(0);
    r.device.stop();
  });

  it('the card leaves at INTERNAL AUTHENTICATE: after resume the device asks again and the answer verifies', async () => {
    const r = await rig('pico', 'utopia-anna');
    const passport = r.passport;
    passport.configure({ activeAuthKey: r.fixture.activeAuthPrivateKey });
    let removed = 0;
    const hand: Card = {
      get identity() { return passport.identity; },
      isPresent: () => passport.isPresent(),
      reset: () => passport.reset(),
      transceive: (apdu: Uint8Array): CardReply | null => {
        if (apdu[1] === INS_INTERNAL_AUTHENTICATE && removed === 0 && passport.isPresent()) {
          removed++;
          passport.remove();
          r.clock.setTimeout(() => passport.insert(), 1000);
        }
        return passport.transceive(apdu);
      },
    } as Card;
    r.device.setCard(hand);
    const { messages, files } = readWithChallenge(r);
    expect(removed).toBe(1);
    const phases = messages.filter((m) => m.type === 'progress').map((m) => m.type === 'progress' && m.phase);
    expect(phases).toContain('card-lost');
    expect(phases).toContain('resumed');
    expect(messages[messages.length - 1]).toMatchObject({ type: 'result', ok: true });
    expect(check(r, files).status).toBe('active-authentication');
    r.device.stop();
  });
});
