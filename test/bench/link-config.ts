// The link configurations the bench compares: a board file, the HSU speed the firmware switches
// to (a BoardConfig variant with another fastBaud), and the RF rate the passport's ATS allows.

import type { BoardConfig } from '@epassport/firmware/board-config';
import { loadBoard } from '@epassport/hardware/boards/index';

export interface LinkConfig {
  /** Short label for the table. */
  name: string;
  board: BoardConfig;
  /** Highest RF rate the passport offers in its ATS (the firmware negotiates it with InPSL). */
  rf: 106 | 424;
}

/** ATS TL T0 TA TB TC: FSCI 8 (256 bytes), FWI 9, CID supported. TA 77 offers 212/424/848 both
 * ways (the virtual passport's default); TA 00 offers 106 only. */
export const ATS_424 = Uint8Array.of(0x05, 0x78, 0x77, 0x94, 0x02);
export const ATS_106 = Uint8Array.of(0x05, 0x78, 0x00, 0x94, 0x02);

/** The board `name` with its HSU `fastBaud` replaced (HSU boards only). */
export function withFastBaud(name: string, fastBaud: number): BoardConfig {
  const b = loadBoard(name);
  if (b.nfc.bus !== 'hsu') throw new Error(`${name} is not an HSU board`);
  return { ...b, nfc: { ...b.nfc, fastBaud } };
}

/** What one configuration carries per byte on its host bus, for the link limit (µs per byte). */
export function busMicrosPerByte(board: BoardConfig): { bus: string; rate: number; micros: number } {
  const nfc = board.nfc;
  if (nfc.bus === 'hsu') {
    const baud = nfc.fastBaud || nfc.baud;
    return { bus: 'HSU', rate: baud, micros: 10e6 / baud }; // 8N1: 10 bits a byte
  }
  if (nfc.bus === 'i2c') return { bus: 'I2C', rate: nfc.bitrate, micros: 9e6 / nfc.bitrate }; // 8 bits + ACK
  return { bus: 'SPI', rate: nfc.baud, micros: 8e6 / nfc.baud };
}

/** The standard set: HSU at 115200/106, 921600/424, the fastest the board allows/424; I2C and SPI
 * at their board rates, 424. `hsuBoard` names the HSU board whose fastBaud is the fastest (or
 * `fastBaudOverride`). */
export function standardConfigs(hsuBoard = 'pico', i2cBoard = 'pico-i2c', spiBoard = 'pico-spi', fastBaudOverride = 0): LinkConfig[] {
  const fastest = loadBoard(hsuBoard);
  const fastBaud = fastBaudOverride || (fastest.nfc.bus === 'hsu' ? fastest.nfc.fastBaud || fastest.nfc.baud : 115200);
  const list: LinkConfig[] = [
    { name: 'HSU 115200 / 106', board: withFastBaud(hsuBoard, 115200), rf: 106 },
    { name: 'HSU 921600 / 424', board: withFastBaud(hsuBoard, 921600), rf: 424 },
  ];
  if (fastBaud !== 921600) list.push({ name: `HSU ${fastBaud} / 424`, board: withFastBaud(hsuBoard, fastBaud), rf: 424 });
  const i2c = loadBoard(i2cBoard);
  const spi = loadBoard(spiBoard);
  list.push({ name: `I2C ${busMicrosPerByte(i2c).rate / 1000}k / 424`, board: i2c, rf: 424 });
  list.push({ name: `SPI ${busMicrosPerByte(spi).rate / 1e6}M / 424`, board: spi, rf: 424 });
  return list;
}
