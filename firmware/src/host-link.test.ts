import { describe, expect, it } from 'vitest';
import { encodeFrame, encodePayload, MAX_PAYLOAD, messageCode, PROTOCOL_VERSION, ReliableLink, type Message, type ReadMessage } from '@epassport/protocol';
import { VirtualClock } from '@epassport/hardware/sim/clock';
import { HostLink, LINK_MAX_RECEIVE } from './host-link';

/** A HostLink with a host-side ReliableLink wired to it through the virtual clock (1 ms each way). */
function wired() {
  const clock = new VirtualClock();
  const reads: ReadMessage[] = [];
  const toHost: Message[] = [];
  let device: HostLink | null = null;
  const host = new ReliableLink((b) => {
    const c = b.slice();
    clock.setTimeout(() => device!.receive(c), 1);
  }, clock, { onMessage: (m) => toHost.push(m) });
  device = new HostLink((b) => {
    const c = b.slice();
    clock.setTimeout(() => host.receive(c), 1);
  }, clock, {
    firmwareVersion: 't', board: 'test', capabilities: 0, nfcFirmware: () => 0, whenReady: (fn) => fn(),
  }, { onRead: (r) => reads.push(r), onCancel: () => {}, onReset: () => {} });
  host.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
  clock.runUntil(() => toHost.some((m) => m.type === 'hello-reply'));
  return { clock, host, device, reads };
}

describe('HostLink receive limit', () => {
  // The largest read the firmware accepts (mrz-key.ts: a document number of up to 22 characters,
  // three check digits) with an Active Authentication challenge.
  const largest: ReadMessage = {
    type: 'read', documentNumber: 'A'.repeat(22), dateOfBirth: '880315', dateOfExpiry: '330921', checkDigits: '000',
    dataGroups: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], cardTimeoutMs: 0xffffffff, challenge: new Uint8Array(8).fill(0xff),
  };

  it('takes the largest valid read (within LINK_MAX_RECEIVE bytes)', () => {
    expect(encodePayload(largest, new Uint8Array(MAX_PAYLOAD)).length).toBeLessThanOrEqual(LINK_MAX_RECEIVE);
    const { clock, host, reads } = wired();
    host.send(largest);
    clock.runUntil(() => reads.length === 1 && host.idle);
    expect(reads[0]).toEqual(largest);
  });

  it('drops a frame whose payload is one byte over the limit as damaged', () => {
    const { clock, device } = wired();
    const over = { ...largest, documentNumber: 'A'.repeat(22 + LINK_MAX_RECEIVE + 1 - encodePayload(largest, new Uint8Array(MAX_PAYLOAD)).length) };
    const payload = encodePayload(over, new Uint8Array(MAX_PAYLOAD)).slice();
    expect(payload.length).toBe(LINK_MAX_RECEIVE + 1);
    const before = device.link.damagedFrames;
    device.receive(encodeFrame(messageCode(over), 1, payload));
    clock.advance(10);
    expect(device.link.damagedFrames).toBe(before + 1);
  });
});
