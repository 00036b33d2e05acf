// Finding the reader: serial ports by USB identity. Espruino boards (Pico, WiFi) enumerate as
// STMicroelectronics 0483:5740 (virtual COM port) with manufacturer "Espruino" or
// "STMicroelectronics". Ports come from sysfs on Linux and from serialport's list() (which
// on Linux needs udevadm and may fail: then sysfs alone answers).

import { SerialPort } from 'serialport';
import type { BindingInterface } from './binding.js';
import { ReaderError } from '../reader-error.js';
import { listSysfsPorts, type SerialPortInfo } from './sysfs-ports.js';

/** USB identities of reader boards. */
export const READER_USB_IDS = [{ vendorId: '0483', productId: '5740', board: 'Espruino (STM32 virtual COM port)' }];
export const READER_MANUFACTURERS = [/espruino/i];

export interface ReaderPortInfo extends SerialPortInfo {
  /** The port looks like a reader board (USB id or manufacturer). */
  isReader: boolean;
}

export interface DiscoveryOptions {
  binding?: BindingInterface;
  /** sysfs tty class folder (tests point it at a fake tree); null to skip sysfs. */
  sysfsRoot?: string | null;
}

export function looksLikeReader(p: SerialPortInfo): boolean {
  const vid = p.vendorId?.toLowerCase();
  const pid = p.productId?.toLowerCase();
  if (READER_USB_IDS.some((id) => id.vendorId === vid && id.productId === pid)) return true;
  return READER_MANUFACTURERS.some((re) => re.test(p.manufacturer ?? '') || re.test(p.product ?? ''));
}

function merge(a: SerialPortInfo, b: SerialPortInfo): SerialPortInfo {
  return {
    path: a.path,
    vendorId: a.vendorId ?? b.vendorId,
    productId: a.productId ?? b.productId,
    manufacturer: a.manufacturer ?? b.manufacturer,
    product: a.product ?? b.product,
    serialNumber: a.serialNumber ?? b.serialNumber,
  };
}

/** Every serial port with what is known about it; readers first. */
export async function listPorts(options: DiscoveryOptions = {}): Promise<ReaderPortInfo[]> {
  const byPath = new Map<string, SerialPortInfo>();
  const sysfsRoot = options.sysfsRoot === undefined ? (options.binding ? null : '/sys/class/tty') : options.sysfsRoot;
  if (sysfsRoot && process.platform === 'linux') {
    for (const p of await listSysfsPorts(sysfsRoot)) byPath.set(p.path, p);
  }
  let listed: { path: string; vendorId?: string; productId?: string; manufacturer?: string; serialNumber?: string }[] = [];
  try {
    listed = options.binding ? await options.binding.list() : await SerialPort.list();
  } catch {
    // udevadm missing or failing: sysfs has answered already.
  }
  for (const p of listed) {
    const info: SerialPortInfo = {
      path: p.path,
      vendorId: p.vendorId?.toLowerCase(),
      productId: p.productId?.toLowerCase(),
      manufacturer: p.manufacturer,
      serialNumber: p.serialNumber,
    };
    const known = byPath.get(p.path);
    byPath.set(p.path, known ? merge(known, info) : info);
  }
  const ports = [...byPath.values()].map((p) => ({ ...p, isReader: looksLikeReader(p) }));
  return ports.sort((a, b) => Number(b.isReader) - Number(a.isReader) || a.path.localeCompare(b.path));
}

/** The readers attached; throws not-found when there is none. */
export async function findReaders(options: DiscoveryOptions = {}): Promise<ReaderPortInfo[]> {
  const readers = (await listPorts(options)).filter((p) => p.isReader);
  if (readers.length === 0) {
    throw new ReaderError('not-found', 'no reader found: no serial port with USB id 0483:5740 or an Espruino manufacturer string (plug it in, or give its path)');
  }
  return readers;
}
