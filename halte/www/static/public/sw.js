// Offline tolerance for the public orientation pages: the pages are fetched from the network
// first and a copy kept; without a network, the last copy is shown (the page then says it is
// the list of the last visit). The page's own files are served from the cache. Nothing about
// the person is kept: answers to a search (POST) are never stored.
"use strict";
var CACHE = "halte-public-v1";
var ASSETS = [
  "/static/public/public.css",
  "/static/public/public.js",
  "/static/www/favicon.svg"
];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(ASSETS); }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function fromNetworkKeepingACopy(request) {
  return fetch(request).then(function (response) {
    if (response.ok && request.method === "GET") {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    if (request.method !== "GET") { return; }
    event.respondWith(caches.match(request).then(function (hit) { return hit || fromNetworkKeepingACopy(request); }));
    return;
  }
  if (url.pathname.indexOf("/orientation/") !== 0 || url.pathname === "/orientation/sw.js") { return; }
  event.respondWith(fromNetworkKeepingACopy(request).catch(function () {
    return caches.match(request.method === "GET" ? request : url.pathname, { ignoreSearch: request.method !== "GET" })
      .then(function (hit) { return hit || caches.match(url.pathname, { ignoreSearch: true }); })
      .then(function (hit) { return hit || Response.error(); });
  }));
});
