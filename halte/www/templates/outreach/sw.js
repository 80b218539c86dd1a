// Halte: the outreach app's service worker (scope /rue/), written by halte/www/outreach/offline.py.
// It keeps the app shell and its files so that the street work goes on without a network. API
// calls and the reference data go to the network only: what is recorded offline waits in the
// page's outbox (IndexedDB), never in this worker.
"use strict";
var CONFIG = {{ config|safe }};
var PREFIX = "halte-rue-";
var CACHE = PREFIX + CONFIG.version;

function keep(cache, url) {
  return fetch(new Request(url, { credentials: "same-origin", cache: "reload" })).then(function (response) {
    // A redirect (to the login page) is not the shell: never keep it as such.
    if (response.ok && !response.redirected) { return cache.put(url, response); }
    return undefined;
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE)
      .then(function (cache) { return Promise.all(CONFIG.precache.map(function (url) { return keep(cache, url); })); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (keys) {
        return Promise.all(keys.filter(function (key) {
          return key.indexOf(PREFIX) === 0 && key !== CACHE;
        }).map(function (key) { return caches.delete(key); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

function shell(request) {
  // The network first (a fresh CSRF token, the current version), the kept copy offline.
  return caches.open(CACHE).then(function (cache) {
    return fetch(request).then(function (response) {
      if (response.ok && !response.redirected) { cache.put(CONFIG.shell, response.clone()); }
      return response;
    }).catch(function () {
      return cache.match(CONFIG.shell).then(function (hit) { return hit || Response.error(); });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    if (url.pathname === CONFIG.shell) { event.respondWith(shell(request)); return; }
    if (url.pathname.indexOf(CONFIG.scope) === 0) {
      // Another outreach page: the network; offline, the app shell, which says so.
      event.respondWith(fetch(request).catch(function () {
        return caches.match(CONFIG.shell).then(function (hit) { return hit || Response.error(); });
      }));
    }
    return;
  }
  if (url.pathname.indexOf(CONFIG.static) === 0) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
  }
});
