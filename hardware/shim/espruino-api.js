// The Espruino API as seen from inside the shim's vm context. This file is evaluated INSIDE the
// context (so every object, array and error it makes belongs to the context's realm, and
// `instanceof Uint8Array` holds for the firmware). It talks to the host only through `native`,
// whose functions take and return primitives (numbers and 8-bit strings). Written in the same
// JavaScript subset the firmware uses. See espruino-runtime.ts for the host side.
/* eslint-disable @typescript-eslint/no-unused-expressions -- the file is one function expression, evaluated for its value */
(function (g, native) {
  // Taken now: the lockdown (strict-context.ts) removes what Espruino lacks, ArrayBuffer.isView too.
  var isView = ArrayBuffer.isView;
  var hasOwn = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };
  var define = function (o, name, value) {
    Object.defineProperty(o, name, { value: value, writable: true, configurable: true, enumerable: false });
  };

  // ---- bytes <-> 8-bit strings (E.toString / E.toUint8Array / Serial.write argument rules) ----
  function appendBytes(out, v) {
    if (v === undefined || v === null) return;
    if (typeof v === 'number') { out.push(v & 255); return; }
    if (typeof v === 'boolean') { out.push(v ? 1 : 0); return; }
    if (typeof v === 'string') {
      for (var i = 0; i < v.length; i++) out.push(v.charCodeAt(i) & 255);
      return;
    }
    if (v instanceof ArrayBuffer) v = new Uint8Array(v);
    if (Array.isArray(v) || isView(v)) {
      for (var j = 0; j < v.length; j++) appendBytes(out, v[j]);
      return;
    }
    if (typeof v === 'object' && hasOwn(v, 'data')) {
      var count = hasOwn(v, 'count') ? v.count : 1;
      for (var k = 0; k < count; k++) appendBytes(out, v.data);
      return;
    }
    throw new TypeError('Expecting a number or something iterable, got ' + typeof v);
  }
  function bytesOf(args, from) {
    var out = [];
    for (var i = from || 0; i < args.length; i++) appendBytes(out, args[i]);
    return out;
  }
  var CHUNK = 4096;
  function byteString(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i += CHUNK) s += String.fromCharCode.apply(null, bytes.slice(i, i + CHUNK));
    return s;
  }
  function stringBytes(s) {
    var u = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) u[i] = s.charCodeAt(i) & 255;
    return u;
  }

  // ---- event emitters (Espruino keeps listeners on the object; several per event) ----
  function addEmitter(o) {
    var listeners = {};
    define(o, 'on', function (event, fn) {
      if (typeof fn !== 'function') throw new TypeError('Expecting a function');
      (listeners[event] = listeners[event] || []).push(fn);
      if (o.__onListener) o.__onListener(event);
    });
    define(o, 'addListener', o.on);
    define(o, 'emit', function (event) {
      var list = listeners[event];
      if (!list) return;
      var args = Array.prototype.slice.call(arguments, 1);
      list = list.slice();
      for (var i = 0; i < list.length; i++) list[i].apply(o, args);
    });
    define(o, 'removeListener', function (event, fn) {
      var list = listeners[event];
      if (!list) return;
      var i = list.indexOf(fn);
      if (i >= 0) list.splice(i, 1);
    });
    define(o, 'removeAllListeners', function (event) {
      if (event === undefined) listeners = {};
      else delete listeners[event];
    });
    define(o, '__hasListeners', function (event) {
      return !!(listeners[event] && listeners[event].length);
    });
    return o;
  }

  // ---- pins ----
  var PIN_NAMES = native.pinNames().split(',');
  var pinObjects = {};
  function PinClass(value) {
    return resolvePin(value);
  }
  function makePin(name, index) {
    var p = Object.create(PinClass.prototype);
    define(p, '__name', name);
    define(p, '__index', index);
    return p;
  }
  define(PinClass.prototype, 'toString', function () { return this.__name; });
  define(PinClass.prototype, 'valueOf', function () { return this.__index; });
  define(PinClass.prototype, 'read', function () { return !!digitalRead(this); });
  define(PinClass.prototype, 'write', function (v) { digitalWrite(this, v); });
  define(PinClass.prototype, 'set', function () { digitalWrite(this, 1); });
  define(PinClass.prototype, 'reset', function () { digitalWrite(this, 0); });
  define(PinClass.prototype, 'toggle', function () { var v = !digitalRead(this); digitalWrite(this, v); return v; });
  define(PinClass.prototype, 'mode', function (m) { pinMode(this, m); });
  define(PinClass.prototype, 'getMode', function () { return native.pinMode(this.__name, ''); });
  define(PinClass.prototype, 'getInfo', function () { return { port: this.__name[0], num: parseInt(this.__name.slice(1), 10) }; });
  for (var pi = 0; pi < PIN_NAMES.length; pi++) {
    pinObjects[PIN_NAMES[pi]] = makePin(PIN_NAMES[pi], pi);
    define(g, PIN_NAMES[pi], pinObjects[PIN_NAMES[pi]]);
  }
  function resolvePin(v) {
    if (v instanceof PinClass) return v;
    if (typeof v === 'number' && v >= 0 && v < PIN_NAMES.length && Math.floor(v) === v) return pinObjects[PIN_NAMES[v]];
    if (typeof v === 'string') {
      if (hasOwn(pinObjects, v)) return pinObjects[v];
      var alias = native.pinAlias(v);
      if (alias) return pinObjects[alias];
    }
    throw new TypeError('Invalid pin: ' + v);
  }
  function pinName(v) { return resolvePin(v).__name; }
  define(g, 'Pin', PinClass);
  define(g, 'LED1', pinObjects[native.pinAlias('LED1')]);
  define(g, 'LED2', pinObjects[native.pinAlias('LED2')]);
  define(g, 'BTN', pinObjects[native.pinAlias('BTN1')]);
  define(g, 'BTN1', pinObjects[native.pinAlias('BTN1')]);

  function digitalWrite(pin, value) {
    if (Array.isArray(pin)) {
      for (var i = 0; i < pin.length; i++) digitalWrite(pin[i], (value >> (pin.length - 1 - i)) & 1);
      return;
    }
    native.digitalWrite(pinName(pin), value ? 1 : 0);
  }
  function digitalRead(pin) {
    if (Array.isArray(pin)) {
      var v = 0;
      for (var i = 0; i < pin.length; i++) v = (v << 1) | digitalRead(pin[i]);
      return v;
    }
    return native.digitalRead(pinName(pin));
  }
  function pinMode(pin, mode) {
    if (mode === undefined || mode === 'auto') return native.pinMode(pinName(pin), 'auto');
    var MODES = ['analog', 'input', 'input_pullup', 'input_pulldown', 'output', 'opendrain', 'af_output', 'af_opendrain', 'opendrain_pullup'];
    if (MODES.indexOf(mode) < 0) throw new Error('Unknown pin mode ' + mode);
    return native.pinMode(pinName(pin), mode);
  }
  define(g, 'digitalWrite', digitalWrite);
  define(g, 'digitalRead', digitalRead);
  define(g, 'pinMode', pinMode);
  define(g, 'digitalPulse', function (pin, value, time) {
    // Approximation: the pulse happens, its length is not modelled as pin activity.
    digitalWrite(pin, value);
    var total = 0;
    if (Array.isArray(time)) for (var i = 0; i < time.length; i++) total += time[i];
    else total = +time || 0;
    native.busy(total);
    digitalWrite(pin, !value);
  });

  // ---- events from the host: one call per idle-loop event ----
  var timers = {};
  var watches = {};
  var devices = {};
  var initHandlers = [];
  var killHandlers = [];
  var errorFlagHandlers = [];
  function reportError(e) {
    var isError = e instanceof Error;
    native.uncaught(
      isError ? String(e.name) : 'Uncaught',
      isError ? String(e.message) : String(e),
      isError && e.stack ? String(e.stack) : '',
    );
  }
  function safeCall(fn, self, args) {
    try {
      fn.apply(self, args);
    } catch (e) {
      reportError(e);
    }
  }
  var indirectEval = g.eval;
  function dispatch(kind, a, b, c, d) {
    if (kind === 'timer') {
      var t = timers[a];
      if (!t) return;
      if (!t.recur) delete timers[a];
      if (typeof t.fn === 'string') safeCall(function () { indirectEval(t.fn); }, g, []);
      else safeCall(t.fn, g, t.args);
    } else if (kind === 'data') {
      var dev = devices[a];
      if (!dev) return;
      if (dev.__hasListeners('data')) {
        safeCall(dev.emit, dev, ['data', b]);
      } else {
        dev.__rx += b;
        if (dev.__rx.length > 1024) dev.__rx = dev.__rx.slice(dev.__rx.length - 1024);
      }
    } else if (kind === 'watch') {
      var w = watches[a];
      if (!w) return;
      if (!w.repeat) {
        delete watches[a];
        native.watchClear(a);
      }
      safeCall(w.fn, g, [{ state: !!b, time: c, lastTime: d }]);
    } else if (kind === 'init') {
      var list = initHandlers.slice();
      for (var i = 0; i < list.length; i++) safeCall(list[i], g, []);
    } else if (kind === 'kill') {
      var klist = killHandlers.slice();
      for (var k = 0; k < klist.length; k++) safeCall(klist[k], g, []);
    } else if (kind === 'errorFlag') {
      var flags = a.split(',');
      for (var f = 0; f < errorFlagHandlers.length; f++) safeCall(errorFlagHandlers[f], g, [flags]);
    } else if (kind === 'eval') {
      // The REPL: one line typed on the console device.
      try {
        var value = indirectEval(a);
        native.replResult(value === undefined ? 'undefined' : formatValue(value));
      } catch (e) {
        native.replResult('Uncaught ' + (e instanceof Error ? e.name + ': ' + e.message : String(e)));
      }
    }
  }

  // ---- timers (Espruino: ids are integers, clear of an unknown id throws) ----
  function addTimer(fn, ms, recur, args) {
    if (typeof fn !== 'function' && typeof fn !== 'string') throw new Error('Function or String not supplied!');
    var id = native.timerAdd(+ms || 0, recur ? 1 : 0);
    timers[id] = { fn: fn, args: args, recur: recur };
    return id;
  }
  function clearTimer(id, what) {
    if (id === undefined) {
      for (var k in timers) if (hasOwn(timers, k)) native.timerClear(+k);
      timers = {};
      return;
    }
    if (!hasOwn(timers, id)) throw new Error('Unknown ' + what);
    delete timers[id];
    native.timerClear(+id);
  }
  define(g, 'setTimeout', function (fn, ms) { return addTimer(fn, ms, false, Array.prototype.slice.call(arguments, 2)); });
  define(g, 'setInterval', function (fn, ms) { return addTimer(fn, ms, true, Array.prototype.slice.call(arguments, 2)); });
  define(g, 'clearTimeout', function (id) { clearTimer(id, 'Timeout'); });
  define(g, 'clearInterval', function (id) { clearTimer(id, 'Interval'); });
  define(g, 'changeInterval', function (id, ms) {
    if (!hasOwn(timers, id)) throw new Error('Unknown Interval');
    native.timerChange(+id, +ms || 0);
  });
  define(g, 'getTime', function () { return native.now() / 1000; });

  // ---- setWatch ----
  define(g, 'setWatch', function (fn, pin, options) {
    if (typeof fn !== 'function' && typeof fn !== 'string') throw new Error('Function or String not supplied!');
    var opts = typeof options === 'object' && options !== null ? options : {};
    if (typeof options === 'boolean') opts = { repeat: options };
    var edge = opts.edge === undefined ? 'both' : opts.edge;
    if (edge === 1) edge = 'rising';
    else if (edge === -1) edge = 'falling';
    else if (edge === 0) edge = 'both';
    if (edge !== 'rising' && edge !== 'falling' && edge !== 'both') throw new Error("'edge' in setWatch should be 1, -1, 0, 'rising', 'falling' or 'both'");
    var name = pinName(pin);
    var id = native.watchAdd(name, edge, +opts.debounce || 0);
    var cb = typeof fn === 'string' ? function () { indirectEval(fn); } : fn;
    watches[id] = { fn: cb, repeat: !!opts.repeat };
    return id;
  });
  define(g, 'clearWatch', function (id) {
    if (id === undefined) {
      for (var k in watches) if (hasOwn(watches, k)) native.watchClear(+k);
      watches = {};
      return;
    }
    if (!hasOwn(watches, id)) throw new Error('Unknown Watch');
    delete watches[id];
    native.watchClear(+id);
  });

  // ---- Serial / USB / Loopback ----
  function makeSerial(name) {
    var s = addEmitter(Object.create(SerialClass.prototype));
    define(s, '__name', name);
    define(s, '__rx', '');
    devices[name] = s;
    return s;
  }
  function SerialClass() {
    throw new Error('Serial is created by the board: use Serial1, Serial2, USB');
  }
  define(SerialClass.prototype, 'setup', function (baud, options) {
    var o = options || {};
    var p = function (k) { return o[k] === undefined ? '' : pinName(o[k]); };
    var err = native.serialSetup(this.__name, +baud || 9600, p('tx'), p('rx'),
      o.bytesize === undefined ? 8 : o.bytesize, o.parity === undefined || o.parity === null ? 'none' : String(o.parity),
      o.stopbits === undefined ? 1 : o.stopbits);
    if (err) throw new Error(err);
  });
  define(SerialClass.prototype, 'write', function () {
    native.serialWrite(this.__name, byteString(bytesOf(arguments)));
  });
  define(SerialClass.prototype, 'print', function (v) {
    native.serialWrite(this.__name, typeof v === 'string' ? v : String(v));
  });
  define(SerialClass.prototype, 'println', function (v) {
    native.serialWrite(this.__name, (typeof v === 'string' ? v : String(v)) + '\r\n');
  });
  define(SerialClass.prototype, 'setConsole', function (force) {
    native.setConsole(this.__name, force ? 1 : 0);
  });
  define(SerialClass.prototype, 'available', function () { return this.__rx.length; });
  define(SerialClass.prototype, 'read', function (chars) {
    var n = chars === undefined || chars < 0 ? this.__rx.length : Math.min(chars, this.__rx.length);
    var out = this.__rx.slice(0, n);
    this.__rx = this.__rx.slice(n);
    return out;
  });
  define(SerialClass.prototype, 'inject', function () {
    native.inject(this.__name, byteString(bytesOf(arguments)));
  });
  define(g, 'Serial', SerialClass);
  var serialNames = native.serialNames().split(',');
  for (var si = 0; si < serialNames.length; si++) define(g, serialNames[si], makeSerial(serialNames[si]));

  // ---- I2C ----
  function I2CClass() {
    throw new Error('use I2C1, I2C2 or I2C3');
  }
  define(I2CClass.prototype, 'setup', function (options) {
    var o = options || {};
    var err = native.i2cSetup(this.__name, o.scl === undefined ? '' : pinName(o.scl), o.sda === undefined ? '' : pinName(o.sda), +o.bitrate || 100000);
    if (err) throw new Error(err);
  });
  define(I2CClass.prototype, 'writeTo', function (address) {
    var addr = address;
    var stop = true;
    if (typeof address === 'object' && address !== null) {
      addr = address.address;
      stop = address.stop !== false;
    }
    var err = native.i2cWrite(this.__name, +addr, byteString(bytesOf(arguments, 1)), stop ? 1 : 0);
    if (err) throw new Error(err);
  });
  define(I2CClass.prototype, 'readFrom', function (address, quantity) {
    var addr = typeof address === 'object' && address !== null ? address.address : address;
    var r = native.i2cRead(this.__name, +addr, +quantity || 0);
    if (r.charAt(0) === 'E') throw new Error(r.slice(1));
    return stringBytes(r.slice(1));
  });
  define(g, 'I2C', I2CClass);
  var i2cNames = native.i2cNames().split(',');
  for (var ii = 0; ii < i2cNames.length; ii++) {
    var bus = Object.create(I2CClass.prototype);
    define(bus, '__name', i2cNames[ii]);
    define(g, i2cNames[ii], bus);
  }

  // ---- SPI ----
  function SPIClass() {
    throw new Error('use SPI1, SPI2 or SPI3');
  }
  define(SPIClass.prototype, 'setup', function (options) {
    var o = options || {};
    var p = function (k) { return o[k] === undefined ? '' : pinName(o[k]); };
    var err = native.spiSetup(this.__name, p('sck'), p('miso'), p('mosi'), +o.baud || 100000, o.mode === undefined ? 0 : +o.mode,
      o.order === undefined ? 'msb' : String(o.order), o.bits === undefined ? 8 : +o.bits);
    if (err) throw new Error(err);
  });
  define(SPIClass.prototype, 'send', function (data, nss) {
    var r = native.spiSend(this.__name, byteString(bytesOf([data])), nss === undefined ? '' : pinName(nss));
    if (r.charAt(0) === 'E') throw new Error(r.slice(1));
    r = r.slice(1);
    if (typeof data === 'string') return r;
    if (typeof data === 'number') return r.charCodeAt(0);
    return stringBytes(r);
  });
  define(SPIClass.prototype, 'write', function () {
    var args = Array.prototype.slice.call(arguments);
    var nss = '';
    var last = args[args.length - 1];
    if (args.length > 1 && (last instanceof PinClass)) {
      nss = pinName(last);
      args.pop();
    }
    var r = native.spiSend(this.__name, byteString(bytesOf(args)), nss);
    if (r.charAt(0) === 'E') throw new Error(r.slice(1));
  });
  define(g, 'SPI', SPIClass);
  var spiNames = native.spiNames().split(',');
  for (var pj = 0; pj < spiNames.length; pj++) {
    var sbus = Object.create(SPIClass.prototype);
    define(sbus, '__name', spiNames[pj]);
    define(g, spiNames[pj], sbus);
  }

  // ---- E ----
  var E = {};
  define(E, 'toString', function () {
    return byteString(bytesOf(arguments));
  });
  define(E, 'toUint8Array', function () {
    var b = bytesOf(arguments);
    var u = new Uint8Array(b.length);
    for (var i = 0; i < b.length; i++) u[i] = b[i];
    return u;
  });
  define(E, 'getErrorFlags', function () {
    var f = native.takeErrorFlags();
    return f ? f.split(',') : [];
  });
  define(E, 'on', function (event, fn) {
    if (typeof fn !== 'function') throw new TypeError('Expecting a function');
    if (event === 'init') initHandlers.push(fn);
    else if (event === 'kill') killHandlers.push(fn);
    else if (event === 'errorFlag') errorFlagHandlers.push(fn);
  });
  define(E, 'setConsole', function (device, options) {
    native.setConsole(device === null || device === undefined ? 'null' : String(device.__name || device), options && options.force ? 1 : 0);
  });
  define(E, 'getConsole', function () { return native.getConsole(); });
  // The STM32's hardware random number generator: a 32-bit integer.
  define(E, 'hwRand', function () { return native.hwRand(); });
  define(g, 'E', E);

  // ---- console ----
  function formatValue(v) {
    if (typeof v === 'string') return JSON.stringify(v);
    if (v instanceof PinClass) return v.__name;
    if (typeof v === 'function') return 'function () { ... }';
    if (isView(v)) return 'new ' + Object.prototype.toString.call(v).slice(8, -1) + '([' + Array.prototype.join.call(v, ', ') + '])';
    var j;
    try {
      j = JSON.stringify(v);
    } catch (err) {
      j = '[' + (err && err.name) + ']';
    }
    return j === undefined ? String(v) : j;
  }
  function logText(args) {
    var parts = [];
    for (var i = 0; i < args.length; i++) parts.push(typeof args[i] === 'string' ? args[i] : formatValue(args[i]));
    return parts.join(' ');
  }
  var consoleObject = {};
  define(consoleObject, 'log', function () { native.log(logText(arguments)); });
  define(consoleObject, 'info', consoleObject.log);
  define(consoleObject, 'warn', consoleObject.log);
  define(consoleObject, 'error', consoleObject.log);
  define(consoleObject, 'debug', consoleObject.log);
  define(g, 'console', consoleObject);
  define(g, 'print', consoleObject.log);

  // ---- reset / save / load ----
  define(g, 'save', function () { native.save(); });
  define(g, 'reset', function () {
    clearTimer(undefined, 'Timeout');
    g.clearWatch();
    for (var n in devices) if (hasOwn(devices, n)) devices[n].removeAllListeners();
    initHandlers = [];
    killHandlers = [];
    errorFlagHandlers = [];
    native.reset();
  });
  define(g, 'load', function () { native.load(); });

  // ---- InternalError, btoa / atob (Espruino has them, V8 contexts do not) ----
  function InternalError(message) {
    var e = new Error(message);
    Object.setPrototypeOf(e, InternalError.prototype);
    return e;
  }
  InternalError.prototype = Object.create(Error.prototype);
  define(InternalError.prototype, 'name', 'InternalError');
  define(InternalError.prototype, 'constructor', InternalError);
  define(g, 'InternalError', InternalError);
  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  define(g, 'btoa', function (s) {
    s = String(s);
    var out = '';
    for (var i = 0; i < s.length; i += 3) {
      var a = s.charCodeAt(i) & 255, b = s.charCodeAt(i + 1) & 255, c = s.charCodeAt(i + 2) & 255;
      var n = (a << 16) | ((i + 1 < s.length ? b : 0) << 8) | (i + 2 < s.length ? c : 0);
      out += B64.charAt(n >> 18) + B64.charAt((n >> 12) & 63) +
        (i + 1 < s.length ? B64.charAt((n >> 6) & 63) : '=') + (i + 2 < s.length ? B64.charAt(n & 63) : '=');
    }
    return out;
  });
  define(g, 'atob', function (s) {
    s = String(s);
    var out = '', bits = 0, acc = 0;
    for (var i = 0; i < s.length; i++) {
      // Characters outside the alphabet ('=' padding, line breaks) are skipped; no RegExp here:
      // the lockdown takes RegExp members Espruino lacks, and a /g replace then replaced once.
      var v = B64.indexOf(s.charAt(i));
      if (v < 0) continue;
      acc = (acc << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out += String.fromCharCode((acc >> bits) & 255);
      }
    }
    return out;
  });

  // ---- require: only modules the board carries ----
  var modules = {};
  function makeHash(name) {
    return function (message) {
      var hex = native.hash(name, byteString(bytesOf([message])));
      if (!hex) throw new Error(name + ' is not in this Espruino build');
      var u = new Uint8Array(hex.length / 2);
      for (var i = 0; i < u.length; i++) u[i] = parseInt(hex.substr(i * 2, 2), 16);
      return u.buffer;
    };
  }
  define(g, 'require', function (name) {
    if (hasOwn(modules, name)) return modules[name];
    if (name === 'crypto') {
      var c = {};
      var algos = native.hashNames().split(',');
      for (var i = 0; i < algos.length; i++) define(c, algos[i], makeHash(algos[i]));
      modules[name] = c;
      return c;
    }
    throw new Error('Module ' + name + ' not found');
  });

  // The idle loop's entry: handed to the host, never a global the firmware could see.
  return dispatch;
});
