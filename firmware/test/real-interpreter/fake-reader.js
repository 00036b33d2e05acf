// Runs on the real Espruino interpreter beside the firmware bundle (see scripted-read.ts): plays
// back the PN532 on Serial1 from a recording in Storage, acknowledges the firmware's USB frames
// as a host does, and samples process.memory() at every UART and USB write. Everything it keeps
// (the recording, the host's frames) stays in flash and is read a record at a time.
// Replaced for the run: Serial1.setup/write, USB.write, the console moves (the output must stay
// on stdout), E.hwRand (a fixed sequence, set by the loader before this file).
/* global Serial1, USB, LoopbackA, print, quit, FAKE_TRACE */
/* eslint-disable @typescript-eslint/no-require-imports -- Espruino's require('Storage') */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- used by the loader script
var FakeReader = (function () {
  // Each file is looked up once (a lookup scans the whole Storage area: ~20 ms here, which would
  // push the firmware past its 30 ms ACK deadline); reads then go straight to flash.
  var S = require('Storage');
  var PNI = S.read('pni'), PNW = S.read('pnw'), PND = S.read('pnd'), HOST = S.read('host');
  var events = PNI.length / 7;
  var lens = S.read('hostlen');
  var helloLen = lens.charCodeAt(0), readLen = lens.charCodeAt(1), ackLen = lens.charCodeAt(2), reads = lens.charCodeAt(3);
  var next = 0, kind = 0, offset = 0, length = 0;
  // readsSent: read requests sent; finals: results (or errors) received; ends: usage (after a GC)
  // 20 ms after each result (allocated here: a growing array would count as the firmware's).
  var answering = false, readsSent = 0, finals = 0, finalType = 0, ends = new Uint16Array(reads), failure = '';
  // peakAt: the recording's event index at the peak (a UART write's; for a USB write, negative:
  // minus the next event); started: usage at the first USB write (the ack of the host's hello:
  // start() done, the PN532 probe under way). Numbers, so that sampling allocates nothing.
  var peak = 0, peakAt = 0, samples = 0, started = 0;

  function sample(usb) {
    var used = process.memory().usage;
    if (used > peak) {
      peak = used;
      peakAt = usb ? -next : next;
    }
    if (usb && !started) started = used;
    samples++;
    // With a trace (the loader sets FAKE_TRACE): every sample, '@@ s <event> <used>' (USB: -event).
    if (typeof FAKE_TRACE !== 'undefined') print('@@ s ' + (usb ? -next : next) + ' ' + used);
  }

  function record(i) {
    var r = PNI.substr(i * 7, 7);
    kind = r.charCodeAt(0);
    offset = ((r.charCodeAt(1) << 24) | (r.charCodeAt(2) << 16) | (r.charCodeAt(3) << 8) | r.charCodeAt(4)) >>> 0;
    length = (r.charCodeAt(5) << 8) | r.charCodeAt(6);
  }

  // A stray write ends the run: the firmware would only wait for answers that never come.
  function fail(why) {
    if (failure) return;
    failure = why;
    setTimeout(finish, 20);
  }

  function hex(data) {
    var s = '';
    for (var i = 0; i < data.length && i < 24; i++) s += (byteOf(data, i) + 256).toString(16).substr(1);
    return s + ' (' + data.length + ' bytes, kind ' + kind + ')';
  }

  function byteOf(data, i) {
    return typeof data === 'string' ? data.charCodeAt(i) : data[i];
  }

  // The PN532's answers that follow the last write, in recorded order: the first (the ACK) at
  // once, inside the write, the others one per timer event. Espruino runs a timeout set
  // relative to the start of the current execution, and runs overdue timers before queued
  // 'data' events: an ACK delivered later than the firmware's 30 ms ACK deadline would lose to it
  // whenever the command follows more than 30 ms of JavaScript (see README, findings).
  function answer(now) {
    if (answering || failure || next >= events) return;
    record(next);
    if (kind !== 2) return;
    next++;
    var at = offset, n = length;
    if (now && onData) {
      onData(PND.substr(at, n));
      answer(false);
      return;
    }
    answering = true;
    setTimeout(function () {
      answering = false;
      if (onData) onData(PND.substr(at, n));
      answer(false);
    }, 1);
  }

  // The interpreter here shares two cores with other work (at nice 19 it may wait for seconds):
  // the firmware's timeouts (PN532 answers, heartbeat, link resend; all >= 30 ms) run ten times
  // longer, so that a busy machine does not end the playback with a timeout the recording never
  // had. Short timers (0 ms deferrals, this file's 1-20 ms) are unchanged.
  var setTimeout0 = setTimeout;
  // (global.setTimeout: the built-in's name itself cannot be assigned.)
  global.setTimeout = function (fn, ms) { return setTimeout0(fn, ms > 25 ? ms * 10 : ms); };

  var onData = null;
  Serial1.on = function (event, fn) {
    if (event === 'data') onData = fn;
  };
  Serial1.setup = function () {};
  Serial1.write = function (data) {
    sample();
    if (failure) return;
    if (next >= events) return fail('write after the end of the recording');
    record(next);
    if (kind !== 1 || length !== data.length) return fail('write ' + next + ' differs from the recording: ' + hex(data));
    var expected = PNW.substr(offset, length);
    for (var i = 0; i < length; i++) {
      if (byteOf(data, i) !== expected.charCodeAt(i)) return fail('write ' + next + ' differs at byte ' + i + ': ' + hex(data));
    }
    next++;
    answer(true);
  };

  function toDevice(at, n, ms) {
    setTimeout(function () { USB.emit('data', HOST.substr(at, n)); }, ms);
  }

  // One frame per write: 00, COBS code, type, seq (the seq is 0 when the code is 2).
  USB.write = function (data) {
    sample(true);
    if (data.length < 4 || byteOf(data, 0) !== 0) return;
    var code = byteOf(data, 1), type = byteOf(data, 2), seq = code > 2 ? byteOf(data, 3) : 0;
    if (type === 0x05) return; // the device acknowledging the host
    if (type === 0x83 && typeof FAKE_TRACE !== 'undefined') print('@@ file-begin ' + byteOf(data, 4));
    toDevice(helloLen + reads * readLen + seq * ackLen, ackLen, 1);
    if (type === 0x81 && !readsSent) sendRead();
    if ((type === 0x86 || type === 0x87) && finals === readsSent - 1) {
      finals++;
      finalType = type;
      setTimeout(finals < reads ? nextRead : finish, 20);
    }
  };

  function sendRead() {
    toDevice(helloLen + readsSent * readLen, readLen, 2);
    readsSent++;
  }

  function nextRead() {
    ends[finals - 1] = process.memory().usage;
    sendRead();
  }
  USB.setConsole = function () {};
  LoopbackA.setConsole = function () {};

  function finish() {
    var m = process.memory();
    if (finals) ends[finals - 1] = m.usage;
    print('@@ read ' + JSON.stringify({ final: finalType, finals: finals, consumed: next, events: events, peak: peak, peakAt: peakAt, started: started, samples: samples, end: m.usage, ends: [].slice.call(ends, 0, finals), failure: failure }));
    quit();
  }

  return {
    /** Sends the host's hello; the rest follows from the firmware's answers. */
    begin: function () { toDevice(0, helloLen, 1); },
  };
})();
