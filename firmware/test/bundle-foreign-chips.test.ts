// Chips that are not ours (issue #15 section 2), through the bundled firmware: each crafted
// virtual chip mode either reads to the end or ends naming the file and step.
import { describe, expect, it } from 'vitest';
import { VirtualPassport } from '@epassport/hardware/sim/passport/virtual-passport';
import type { PassportOptions } from '@epassport/hardware/sim/passport/passport-options';
import type { Message } from '@epassport/protocol';
import { filesOf, rig, type Rig } from './device-host';

function last(messages: Message[]): Message {
  return messages[messages.length - 1];
}

async function readWith(options: PassportOptions, files?: (f: { [id: number]: Uint8Array }) => void): Promise<{ r: Rig; messages: Message[] }> {
  const r = await rig('pico');
  const copy = { ...r.fixture.files };
  if (files) files(copy);
  r.device.setCard(new VirtualPassport(copy, r.fixture.bac, options));
  r.host.hello();
  return { r, messages: r.host.read({ ...r.bac, dataGroups: [1, 2] }) };
}

function groupsRead(r: Rig, messages: Message[]): void {
  const got = filesOf(messages);
  expect(got.get(1)).toEqual(r.fixture.files[1]);
  expect(got.get(2)).toEqual(r.fixture.files[2]);
}

describe('chips that are not ours', () => {
  it('files without short EF identifiers, errors in plain: BAC again, SELECT, read verified', async () => {
    const { r, messages } = await readWith({ noShortFileIds: true, plainErrors: true });
    expect(last(messages)).toMatchObject({ type: 'result', ok: true });
    groupsRead(r, messages);
  });

  it('the same chip answering 6A82 in SM and other errors plain reads the same', async () => {
    const { r, messages } = await readWith({ noShortFileIds: true, plainErrors: [0x6b00, 0x6700] });
    expect(last(messages)).toMatchObject({ type: 'result', ok: true });
    groupsRead(r, messages);
  });

  it('a protected 9000 without DO99 is read', async () => {
    const { r, messages } = await readWith({ omitDo99: true });
    expect(last(messages)).toMatchObject({ type: 'result', ok: true });
    groupsRead(r, messages);
  });

  it('an EF.COM that does not parse: DG1 and DG2 read all the same', async () => {
    const { r, messages } = await readWith({}, (f) => { f[0x1e] = Uint8Array.of(0x61, 0x02, 0x00, 0x00); });
    expect(last(messages)).toMatchObject({ type: 'result', ok: true });
    groupsRead(r, messages);
  });

  it('no EF.SOD: groups read, result not verified', async () => {
    const { r, messages } = await readWith({}, (f) => { delete f[0x1d]; });
    expect(last(messages)).toMatchObject({ type: 'result', ok: false });
    groupsRead(r, messages);
  });

  it('an empty EF.SOD answered 6282: groups read, result not verified', async () => {
    const { r, messages } = await readWith({ shortReadSw: 0x6282 }, (f) => { f[0x1d] = new Uint8Array(0); });
    expect(last(messages)).toMatchObject({ type: 'result', ok: false });
    expect(filesOf(messages).get(0x1d)).toEqual(new Uint8Array(0));
    groupsRead(r, messages);
  });

  it('a plain 6A82 in the middle of DG2 ends naming DG2 and its offset', async () => {
    // P1 P2 stay plain under SM: the read at offset 4096 is DG2's (EF.SOD and DG1 are shorter).
    const { r, messages } = await readWith({
      plainErrors: true,
      mutateResponse: (apdu, response) => (apdu[1] === 0xb0 && ((apdu[2] << 8) | apdu[3]) >= 4096 ? Uint8Array.of(0x6a, 0x82) : response),
    });
    expect(r.fixture.files[0x1d].length).toBeLessThan(4096);
    const end = last(messages);
    expect(end).toMatchObject({ type: 'error', sw: 0x6a82, fileId: 2 });
    expect((end as { message: string }).message).toMatch(/^@[1-9]\d* /);
  });
});
