// Serial ports from Linux sysfs, with their USB identity, without udevadm (which serialport's
// list() runs on Linux and which a fresh machine or CI may lack):
//   /sys/class/tty/ttyACM0/device -> .../usb1/1-1/1-1:1.0   (the USB interface)
//   .../usb1/1-1/{idVendor,idProduct,manufacturer,product,serial}   (the USB device, a parent)

import { readdir, readFile, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface SerialPortInfo {
  path: string;
  vendorId?: string;
  productId?: string;
  manufacturer?: string;
  product?: string;
  serialNumber?: string;
}

async function readAttribute(dir: string, name: string): Promise<string | undefined> {
  try {
    const v = (await readFile(join(dir, name), 'utf8')).trim();
    return v === '' ? undefined : v;
  } catch {
    return undefined;
  }
}

/** The USB device directory above a tty's device: the first ancestor holding idVendor. */
async function usbDeviceDir(deviceDir: string, maxDepth = 6): Promise<string | null> {
  let dir = deviceDir;
  for (let i = 0; i < maxDepth; i++) {
    if (await readAttribute(dir, 'idVendor')) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

/** Ports under `root` (default /sys/class/tty) that have a device behind them. USB ports carry
 * their vendor/product ids (lower-case hex, as serialport reports them), strings and serial. */
export async function listSysfsPorts(root = '/sys/class/tty', devDir = '/dev'): Promise<SerialPortInfo[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return [];
  }
  const ports: SerialPortInfo[] = [];
  for (const name of names.sort()) {
    let deviceDir: string;
    try {
      deviceDir = await realpath(join(root, name, 'device'));
    } catch {
      continue; // virtual consoles, ptys: no device link
    }
    const info: SerialPortInfo = { path: join(devDir, name) };
    const usb = await usbDeviceDir(deviceDir);
    if (usb) {
      info.vendorId = (await readAttribute(usb, 'idVendor'))?.toLowerCase();
      info.productId = (await readAttribute(usb, 'idProduct'))?.toLowerCase();
      info.manufacturer = await readAttribute(usb, 'manufacturer');
      info.product = await readAttribute(usb, 'product');
      info.serialNumber = await readAttribute(usb, 'serial');
    }
    ports.push(info);
  }
  return ports;
}
