// serialport's own binding, except that a tty which hangs up closes the port.
//
// When a Unix tty hangs up (a USB CDC device unplugged, the master side of a pty closed), read()
// returns 0 bytes from then on. @serialport/bindings-cpp 13 reads again at once when it gets 0
// (unix-read.ts; serialport/bindings-cpp#162), so a read that was under way at the hang-up spins
// forever: the port never closes, and a read in progress ended as `timeout` instead of
// `disconnected`. (A read waiting in poll() at that moment gets an error instead; which of the two
// happens depends on timing.) Here a read of 0 bytes is an error the stream takes as a disconnect.

import { read } from 'node:fs';
import { promisify } from 'node:util';
import { autoDetect, type AutoDetectTypes, type LinuxBindingInterface, type LinuxOpenOptions, type LinuxPortBinding } from '@serialport/bindings-cpp';
import { unixRead } from '@serialport/bindings-cpp/dist/unix-read.js';

const readAsync = promisify(read);

/** fs.read that turns end-of-file (the tty hung up) into an error. */
export const readOrHangUp: typeof readAsync = (async (...args: Parameters<typeof readAsync>) => {
  const result = await readAsync(...args);
  if (result.bytesRead === 0) throw Object.assign(new Error('the serial device hung up (end of file)'), { code: 'EOF' });
  return result;
}) as typeof readAsync;

/** The platform's binding; on Linux and macOS a port's read() fails once the tty has hung up.
 * (Only with the default VMIN=1: with VMIN=0 a read of 0 bytes means "nothing yet".) */
export function hangUpAwareBinding(base: AutoDetectTypes = autoDetect()): AutoDetectTypes {
  if (process.platform === 'win32') return base;
  const unix = base as LinuxBindingInterface; // the Darwin binding's ports have the same read()
  const binding: LinuxBindingInterface = {
    list: () => unix.list(),
    open: async (options: LinuxOpenOptions) => {
      const port: LinuxPortBinding = await unix.open(options);
      port.read = (buffer: Buffer, offset: number, length: number) => unixRead({ binding: port, buffer, offset, length, fsReadAsync: readOrHangUp });
      return port;
    },
  };
  return binding;
}
