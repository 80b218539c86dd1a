// The outreach app's store on the phone (IndexedDB "halte-rue"): the outbox of API calls waiting
// to be sent, in order, each with the Idempotency-Key it was given once; and what the phone keeps
// to work offline (reference data, the team's codes with their expiry, the rounds in progress).
// Logging out clears it all (Clear-Site-Data); sent items are deleted at once.
(function () {
  "use strict";
  var NAME = "halte-rue";
  var VERSION = 1;

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("outbox")) {
          db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
        }
        if (!db.objectStoreNames.contains("kept")) { db.createObjectStore("kept"); }
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(store, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var request = work(tx.objectStore(store));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  window.HalteOutbox = {
    newKey: newKey,
    // item: {kind, team, url, body, ...}; it gets its key once, here, and keeps it until sent.
    add: function (item) {
      item.key = newKey();
      item.state = "pending";
      item.created = new Date().toISOString();
      return run("outbox", "readwrite", function (s) { return s.add(item); });
    },
    all: function () {
      return run("outbox", "readonly", function (s) { return s.getAll(); }).then(function (items) {
        return (items || []).sort(function (a, b) { return a.seq - b.seq; });
      });
    },
    put: function (item) { return run("outbox", "readwrite", function (s) { return s.put(item); }); },
    remove: function (seq) { return run("outbox", "readwrite", function (s) { return s.delete(seq); }); },
    get: function (key) { return run("kept", "readonly", function (s) { return s.get(key); }); },
    set: function (key, value) { return run("kept", "readwrite", function (s) { return s.put(value, key); }); },
    drop: function (key) { return run("kept", "readwrite", function (s) { return s.delete(key); }); },
    waiting: function () {
      return this.all().then(function (items) {
        return items.filter(function (i) { return i.state === "pending"; }).length;
      });
    }
  };
})();
