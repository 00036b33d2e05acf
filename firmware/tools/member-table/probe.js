// Runs ON the Espruino interpreter (../shared/espruino/espruino): prints, one fact per line, what
// this build offers. run-probe.ts puts in place of CANDIDATES a string "a,b,..." of every member
// name that Espruino's wrapper tables or V8 know, and parses the output between BEGIN and END.
//   G <global> <typeof>       a property of the global object
//   S <global> <member>       a member reachable on that global's value (own or inherited)
//   I <type> <member>         a member reachable on an instance of that built-in type
//   M <module> <member>       a member of require(<module>)
//   T <global> <constructor>  the global is an instance of that constructor
// Lines are printed one by one: a Pico build has 5,100 variables, too few to hold the result.
/* global print, D0, Serial1, I2C1, SPI1, CANDIDATES */
/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-unused-vars -- Espruino: its require, and catch needs a binding */
(function (candidates) {
  function each(list, fn) {
    var at = 0;
    while (at < list.length) {
      var end = list.indexOf(',', at);
      if (end < 0) end = list.length;
      if (end > at) fn(list.substring(at, end));
      at = end + 1;
    }
  }
  function members(tag, label, value) {
    var seen = {}; // keys prefixed: a plain object already answers 'toString', 'on', ...
    var own = Object.getOwnPropertyNames(value);
    own.forEach(function (n) { seen['$' + n] = 1; print(tag + ' ' + label + ' ' + n); });
    each(candidates, function (n) {
      if (seen['$' + n]) return;
      var v;
      try { v = value[n]; } catch (_e) { v = undefined; }
      if (v !== undefined) print(tag + ' ' + label + ' ' + n);
    });
  }
  var g = global;
  var names = Object.getOwnPropertyNames(g);
  var constructors = names.filter(function (n) { return typeof g[n] === 'function' && g[n].prototype; });
  print('BEGIN');
  print('V ' + process.env.VERSION + ' ' + process.env.GIT_COMMIT + ' ' + process.env.BOARD);
  names.forEach(function (n) {
    var v = g[n];
    print('G ' + n + ' ' + typeof v);
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return;
    if (/^D[0-9]+$/.test(n)) return; // pins: one Pin instance each, probed once below
    members('S', n, v);
    if (typeof v === 'object') {
      for (var i = 0; i < constructors.length; i++) {
        if (v instanceof g[constructors[i]] && constructors[i] !== 'Object') print('T ' + n + ' ' + constructors[i]);
      }
    }
  });
  var samples = {
    Object: function () { return {}; }, Array: function () { return []; },
    String: function () { return 'a'; }, Number: function () { return 1; },
    Boolean: function () { return true; }, Function: function () { return function () {}; },
    ArrayBuffer: function () { return new ArrayBuffer(1); },
    DataView: function () { return new DataView(new ArrayBuffer(1)); },
    Date: function () { return new Date(0); }, RegExp: function () { return new RegExp('a', 'gi'); }, // flags: only when given
    // `new Promise(executor)` then a member walk trips an assertion in 2v29 (jsvar.c:927).
    Promise: function () { return Promise.resolve(0); },
    Pin: function () { return D0; }, Serial: function () { return Serial1; },
    I2C: function () { return I2C1; }, SPI: function () { return SPI1; },
  };
  ['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'InternalError'].forEach(function (n) {
    if (typeof g[n] === 'function') samples[n] = function () { return new g[n]('x'); };
  });
  ['Uint8Array', 'Uint8ClampedArray', 'Int8Array', 'Uint16Array', 'Int16Array', 'Uint24Array', 'Uint32Array',
    'Int32Array', 'Float32Array', 'Float64Array'].forEach(function (n) {
    if (typeof g[n] === 'function') samples[n] = function () { return new g[n](1); };
  });
  Object.keys(samples).forEach(function (t) {
    var v;
    try { v = samples[t](); } catch (_e) { return; }
    members('I', t, v);
  });
  each(process.env.MODULES, function (m) {
    var v;
    try { v = require(m); } catch (_e) { return; }
    if (v !== undefined && v !== null) members('M', m, v);
  });
  print('END');
})(CANDIDATES);
