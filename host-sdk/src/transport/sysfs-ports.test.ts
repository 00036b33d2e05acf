import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSysfsPorts } from './sysfs-ports';
import { findReaders, listPorts, looksLikeReader } from './discovery';

/** A fake /sys: class/tty entries linking into a devices tree. */
async function fakeSysfs() {
  const root = await mkdtemp(join(tmpdir(), 'sysfs-'));
  const usbDevice = join(root, 'devices/pci0000:00/usb1/1-2');
  await mkdir(join(usbDevice, '1-2:1.0/tty/ttyACM0'), { recursive: true });
  await writeFile(join(usbDevice, 'idVendor'), '0483\n');
  await writeFile(join(usbDevice, 'idProduct'), '5740\n');
  await writeFile(join(usbDevice, 'manufacturer'), 'Espruino\n');
  await writeFile(join(usbDevice, 'product'), 'Espruino Pico\n');
  await writeFile(join(usbDevice, 'serial'), '3280364E3233\n');
  const other = join(root, 'devices/pci0000:00/usb1/1-3');
  await mkdir(join(other, '1-3:1.0/ttyUSB0'), { recursive: true });
  await writeFile(join(other, 'idVendor'), '1A86\n');
  await writeFile(join(other, 'idProduct'), '7523\n');
  const serial8250 = join(root, 'devices/platform/serial8250');
  await mkdir(serial8250, { recursive: true });
  const cls = join(root, 'class/tty');
  for (const [name, target] of [['ttyACM0', join(usbDevice, '1-2:1.0')], ['ttyUSB0', join(other, '1-3:1.0')], ['ttyS0', serial8250]]) {
    await mkdir(join(cls, name), { recursive: true });
    await symlink(target, join(cls, name, 'device'));
  }
  await mkdir(join(cls, 'tty0'), { recursive: true }); // no device link: skipped
  return cls;
}

describe('sysfs discovery', () => {
  it('reads USB identity from the parent USB device of each tty', async () => {
    const ports = await listSysfsPorts(await fakeSysfs());
    expect(ports).toEqual([
      { path: '/dev/ttyACM0', vendorId: '0483', productId: '5740', manufacturer: 'Espruino', product: 'Espruino Pico', serialNumber: '3280364E3233' },
      { path: '/dev/ttyS0' },
      { path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523', manufacturer: undefined, product: undefined, serialNumber: undefined },
    ]);
  });

  it('answers with nothing for a missing tree', async () => {
    expect(await listSysfsPorts('/nonexistent/class/tty')).toEqual([]);
  });

  it.runIf(process.platform === 'linux')('finds the reader among the ports, readers first', async () => {
    const binding = { list: async () => [], open: async () => { throw new Error('unused'); } };
    const ports = await listPorts({ sysfsRoot: await fakeSysfs(), binding: binding as never });
    expect(ports.map((p) => [p.path, p.isReader])).toEqual([['/dev/ttyACM0', true], ['/dev/ttyS0', false], ['/dev/ttyUSB0', false]]);
    expect((await findReaders({ sysfsRoot: await fakeSysfs(), binding: binding as never })).map((p) => p.path)).toEqual(['/dev/ttyACM0']);
  });

  it('merges the binding\'s list and says not-found when no reader is there', async () => {
    const binding = { list: async () => [{ path: '/dev/ttyX', manufacturer: 'Espruino', vendorId: undefined, productId: undefined }], open: async () => { throw new Error('unused'); } };
    expect((await findReaders({ binding: binding as never, sysfsRoot: null }))[0].path).toBe('/dev/ttyX');
    const empty = { list: async () => { throw new Error('udevadm: not found'); }, open: async () => { throw new Error('unused'); } };
    await expect(findReaders({ binding: empty as never, sysfsRoot: null })).rejects.toMatchObject({ code: 'not-found' });
    expect(looksLikeReader({ path: 'x', vendorId: '0483', productId: '5740' })).toBe(true);
    expect(looksLikeReader({ path: 'x', vendorId: '0483', productId: '5741' })).toBe(false);
  });
});
