// E.getAddressOf, E.nativeCall and require('Storage') as seen from inside the shim's vm context
// (evaluated there, after espruino-api.js and before the lockdown: WeakMap and WeakRef are
// captured now, the firmware cannot reach them). The host side is native-call.ts.
//
// Memory model, stricter than a board:
// - An ArrayBuffer of 32 bytes or more is "flat" and gets a fixed, 4-byte aligned fake RAM
//   address the first time its address is taken (a view adds its byteOffset); smaller ones give 0,
//   as small typed arrays on Espruino are not flat (measured on ../shared/espruino/espruino).
// - A Storage file's string has a fake flash address; E.nativeCall runs only such a string.
// - A native call sends the buffers its arguments point into to the host, which copies them into
//   the emulator, runs the call there and copies them back.
/* eslint-disable @typescript-eslint/no-unused-expressions -- the file is one function expression, evaluated for its value */
(function (g, host) {
  var WeakMapC = WeakMap;
  var WeakRefC = WeakRef;
  // Captured now: the lockdown removes what Espruino lacks (ArrayBuffer.isView among them).
  var isView = ArrayBuffer.isView;
  var FLAT_MIN = 32;
  var RAM_BASE = 0x20000000;
  var FLASH_BASE = 0x08010000;
  var define = function (o, name, value) {
    Object.defineProperty(o, name, { value: value, writable: true, configurable: true, enumerable: false });
  };

  // ---- fake RAM addresses for flat ArrayBuffers ----
  var addressOf = new WeakMapC();
  /** Ascending by base: { base, end, ref } (ref: WeakRef of the ArrayBuffer). */
  var regions = [];
  var nextRam = RAM_BASE;
  function bufferAddress(buf) {
    var a = addressOf.get(buf);
    if (a !== undefined) return a;
    a = nextRam;
    // A 16-byte gap: a pointer that runs past one buffer never lands in the next.
    nextRam = (a + buf.byteLength + 16 + 3) & ~3;
    addressOf.set(buf, a);
    regions.push({ base: a, end: a + buf.byteLength, ref: new WeakRefC(buf) });
    if (regions.length % 256 === 0) regions = regions.filter(function (r) { return r.ref.deref() !== undefined; });
    return a;
  }
  /** The region whose [base, end] holds `addr` (end included: a zero-length pointer at the end). */
  function regionAt(addr) {
    var lo = 0, hi = regions.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      var r = regions[mid];
      if (addr < r.base) hi = mid - 1;
      else if (addr > r.end) lo = mid + 1;
      else return r.ref.deref() ? r : null;
    }
    return null;
  }

  // ---- Storage: an in-memory map of files (strings of bytes) with fake flash addresses ----
  var files = {};
  var nextFlash = FLASH_BASE;
  function fileAddress(s) {
    for (var name in files) if (Object.prototype.hasOwnProperty.call(files, name) && files[name].data === s) return files[name];
    return null;
  }
  function writeFile(name, data) {
    files[name] = { data: data, address: nextFlash, name: name };
    nextFlash = (nextFlash + data.length + 4095) & ~4095;
  }
  var storage = {};
  define(storage, 'read', function (name, offset, length) {
    var f = files[String(name)];
    if (!f || !Object.prototype.hasOwnProperty.call(files, String(name))) return undefined;
    var o = offset || 0;
    return o || length !== undefined ? f.data.substr(o, length === undefined ? f.data.length - o : length) : f.data;
  });
  define(storage, 'readArrayBuffer', function (name) {
    var s = storage.read(name);
    if (s === undefined) return undefined;
    var u = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) u[i] = s.charCodeAt(i) & 255;
    return u.buffer;
  });
  // write(name, data, offset, size): `size` creates the file for writes in pieces, as on a board.
  define(storage, 'write', function (name, data, offset, size) {
    var n = String(name);
    var d = typeof data === 'string' ? data : g.E.toString(data);
    var o = offset || 0;
    var f = files[n];
    var old = f && Object.prototype.hasOwnProperty.call(files, n) ? f.data : '';
    if (size !== undefined) old = new Array(size + 1).join('\xff');
    else if (!o) old = '';
    if ((size !== undefined || o) && o + d.length > old.length) throw new Error('Storage.write: past the end of the file');
    writeFile(n, old.substr(0, o) + d + old.substr(o + d.length));
    host.storageChanged(n);
    return true;
  });
  define(storage, 'erase', function (name) {
    delete files[String(name)];
    host.storageChanged(String(name));
  });
  define(storage, 'list', function () {
    return Object.keys(files);
  });
  var initial = host.initialFiles();
  for (var fi = 0; fi < initial.length; fi += 2) writeFile(initial[fi], initial[fi + 1]);
  var baseRequire = g.require;
  define(g, 'require', function (name) {
    if (name === 'Storage') return storage;
    return baseRequire(name);
  });

  // ---- E.getAddressOf ----
  define(g.E, 'getAddressOf', function (v, flatAddress) {
    if (!flatAddress) return 0; // a variable's own address: not modelled (the firmware never asks)
    if (typeof v === 'string') {
      var f = fileAddress(v);
      return f ? f.address : 0;
    }
    var buf = v instanceof ArrayBuffer ? v : isView(v) ? v.buffer : null;
    if (!buf || buf.byteLength < FLAT_MIN || buf.byteLength > host.flatLimit()) return 0;
    return bufferAddress(buf) + (isView(v) ? v.byteOffset : 0);
  });

  // ---- E.nativeCall ----
  var TYPES = { void: 1, bool: 1, int: 1, float: 1, double: 1, JsVar: 1 };
  /** Espruino packs a signature in 16 bits, 3 per type: return value + at most 4 arguments. */
  function argumentCount(signature) {
    var m = /^(\w+)\((.*)\)$/.exec(String(signature));
    if (!m || !TYPES[m[1]]) throw new Error('Error Parsing signature at argument number 0');
    var args = m[2] ? m[2].split(',') : [];
    for (var i = 0; i < args.length; i++) {
      if (!TYPES[args[i]] || args[i] === 'void' || i >= 4) throw new Error('Error Parsing signature at argument number ' + (i + 2));
    }
    if (m[1] !== 'int' || args.join() !== 'int,int,int,int') throw new Error('the shim runs only ' + 'int(int,int,int,int) (ABI.md)');
    return args.length;
  }
  define(g.E, 'nativeCall', function (offset, signature, data) {
    argumentCount(signature);
    var f = typeof data === 'string' ? fileAddress(data) : null;
    if (!f) throw new Error('E.nativeCall: data must be a flat string (a Storage file)');
    if (!(offset & 1)) throw new Error('E.nativeCall: offset ' + offset + ' has no Thumb bit: a Cortex-M4 faults');
    if ((f.address & 3) || ((offset - 1) & 3)) throw new Error('E.nativeCall: code not 4-byte aligned');
    var handle = host.codeHandle(f.name, offset - 1, data);
    return function () {
      if (arguments.length > 4) throw new Error('E.nativeCall: more than 4 arguments');
      var args = [0, 0, 0, 0];
      var bufs = [null, null, null, null];
      var bases = [0, 0, 0, 0];
      for (var i = 0; i < arguments.length; i++) {
        var a = arguments[i];
        if (typeof a !== 'number' || a !== Math.floor(a)) throw new Error('E.nativeCall: argument ' + i + ' is not an int');
        args[i] = a | 0;
        var r = a >= RAM_BASE ? regionAt(a) : null;
        if (r) {
          bufs[i] = r.ref.deref();
          bases[i] = r.base;
        }
      }
      return host.call(handle, args, bufs, bases);
    };
  });
});
