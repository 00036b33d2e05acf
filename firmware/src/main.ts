// Firmware entry: the only module that holds global state. Placeholder wiring until the read
// pipeline lands (issue 5): answers HELLO over USB with the protocol so the chain can be probed.
import { MessageDecoder, MessageEncoder, PROTOCOL_VERSION, MAX_PAYLOAD, CAP } from '@epassport/protocol';

const FIRMWARE_VERSION = '0.1.0';
const decoder = new MessageDecoder();
const encoder = new MessageEncoder();
let seq = 0;

function onUsbData(data: string): void {
  const received = decoder.push(E.toUint8Array(data));
  for (let i = 0; i < received.length; i++) {
    const m = received[i].message;
    if (m.type === 'hello') {
      USB.write(encoder.encode({
        type: 'hello-reply', protocolVersion: PROTOCOL_VERSION, firmwareVersion: FIRMWARE_VERSION,
        board: 'unknown', capabilities: CAP.BAC, maxPayload: MAX_PAYLOAD, nfcFirmware: 0,
      }, seq++ & 0xff));
    }
  }
}

function start(): void {
  LoopbackA.setConsole(true);
  USB.on('data', onUsbData);
}

E.on('init', start);
