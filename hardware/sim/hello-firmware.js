// A minimal firmware for tests of the virtual-device assembly, written against the same contract
// as the real one (global Firmware with start(board)); it needs the protocol bundle
// (firmware/dist/protocol.js, global Protocol) loaded before it. On each hello it wakes the PN532
// on whichever bus the board names (SAMConfiguration, then GetFirmwareVersion) and answers
// hello-reply with the version it read. ES5 and the Espruino API only.
/* global Protocol, Serial1, Serial2, I2C1, I2C2, I2C3, SPI1, SPI2, SPI3, Pin, digitalWrite, USB, LoopbackA, E */
/* exported Firmware */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- the global the boot line calls
var Firmware = (function () {
  var board, link, seq = 0;
  var decoder = new Protocol.MessageDecoder();
  var encoder = new Protocol.MessageEncoder();

  function frame(pd) {
    var len = pd.length + 1, sum = 0xd4, out = [0, 0, 0xff, len, (0x100 - len) & 255, 0xd4];
    for (var i = 0; i < pd.length; i++) { out.push(pd[i]); sum += pd[i]; }
    out.push((0x100 - (sum & 255)) & 255, 0);
    return out;
  }
  function findResponse(buf, code) {
    for (var i = 0; i + 5 < buf.length; i++) {
      if (buf[i] === 0 && buf[i + 1] === 0xff && buf[i + 2] !== 0 && buf[i + 4] === 0xd5 && buf[i + 5] === code) {
        var len = buf[i + 2];
        if (buf.length < i + 4 + len + 1) return null;
        return buf.slice(i + 6, i + 4 + len);
      }
    }
    return null;
  }
  // Peripherals by the names the board JSON uses (no eval: the shim, like the gate, leaves it out).
  var BUSES = { Serial1: Serial1, Serial2: Serial2, I2C1: I2C1, I2C2: I2C2, I2C3: I2C3, SPI1: SPI1, SPI2: SPI2, SPI3: SPI3 };
  function zeros(n) { var a = []; for (var i = 0; i < n; i++) a.push(0); return a; }

  function hsuLink(nfc) {
    var port = BUSES[nfc.serial];
    var rx = [], pending = null;
    port.setup(nfc.baud, { tx: Pin(nfc.tx), rx: Pin(nfc.rx) });
    port.on('data', function (d) {
      for (var i = 0; i < d.length; i++) rx.push(d.charCodeAt(i));
      if (!pending) return;
      var v = findResponse(rx, pending.code);
      if (v) { var p = pending; pending = null; rx = []; p.done(v); }
    });
    return function (pd, done) {
      rx = [];
      pending = { code: pd[0] + 1, done: done };
      port.write([0x55, 0x55].concat(zeros(14), frame(pd)));
    };
  }

  function pollLink(read, write) {
    return function (pd, done) {
      write(frame(pd));
      var acked = false;
      function poll() {
        var bytes = read();
        if (!bytes) return setTimeout(poll, 1);
        if (!acked) { acked = true; return setTimeout(poll, 1); }
        done(findResponse(bytes, pd[0] + 1));
      }
      setTimeout(poll, 1);
    };
  }

  function i2cLink(nfc) {
    var bus = BUSES[nfc.i2c];
    bus.setup({ scl: Pin(nfc.scl), sda: Pin(nfc.sda), bitrate: nfc.bitrate });
    return pollLink(function () {
      var r = bus.readFrom(0x24, 48);
      if (!(r[0] & 1)) return null;
      var out = [];
      for (var i = 1; i < r.length; i++) out.push(r[i]);
      return out;
    }, function (f) { bus.writeTo(0x24, f); });
  }

  function spiLink(nfc) {
    var bus = BUSES[nfc.spi];
    var nss = Pin(nfc.nss);
    bus.setup({ sck: Pin(nfc.sck), miso: Pin(nfc.miso), mosi: Pin(nfc.mosi), baud: nfc.baud, mode: 0, order: 'lsb' });
    digitalWrite(nss, 1);
    var exchange = pollLink(function () {
      var s = bus.send([0x02, 0x00], nss);
      if (!(s[1] & 1)) return null;
      var r = bus.send([0x03].concat(zeros(48)), nss);
      var out = [];
      for (var i = 1; i < r.length; i++) out.push(r[i]);
      return out;
    }, function (f) { bus.send([0x01].concat(f), nss); });
    var awake = false;
    return function (pd, done) {
      if (awake) return exchange(pd, done);
      // A sleeping PN532 wakes on a transaction and drops it (MISO reads FF): wake, wait, go.
      var s = bus.send([0x02, 0x00], nss);
      awake = true;
      if (s[1] === 0xff) setTimeout(function () { exchange(pd, done); }, 2);
      else exchange(pd, done);
    };
  }

  function reply(nfcFirmware) {
    USB.write(encoder.encode({
      type: 'hello-reply', protocolVersion: Protocol.PROTOCOL_VERSION, firmwareVersion: 'test',
      board: board.board, capabilities: 0, maxPayload: Protocol.MAX_PAYLOAD, nfcFirmware: nfcFirmware,
    }, seq++ & 255));
  }

  function onHello() {
    link([0x14, 0x01], function () {
      link([0x02], function (v) {
        reply(v && v.length === 4 ? ((v[0] << 24) | (v[1] << 16) | (v[2] << 8) | v[3]) >>> 0 : 0);
      });
    });
  }

  function start(config) {
    board = config;
    LoopbackA.setConsole(true);
    if (board.reset) digitalWrite(Pin(board.reset), 1);
    var nfc = board.nfc;
    link = nfc.bus === 'hsu' ? hsuLink(nfc) : nfc.bus === 'i2c' ? i2cLink(nfc) : spiLink(nfc);
    USB.on('data', function (data) {
      var got = decoder.push(E.toUint8Array(data));
      for (var i = 0; i < got.length; i++) if (got[i].message.type === 'hello') onHello();
    });
  }

  return { start: start };
})();
