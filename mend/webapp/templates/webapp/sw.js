{% autoescape off %}// Mend's service worker: grounding, help and quick exit's page keep working offline.
// Privacy rule: it keeps only pages anyone may see signed out, fetched without cookies
// (so never a signed-in page, whoever is signed in), and the static files they use.
// Every other request goes to the network untouched. Signing out empties the cache.
"use strict";

var CACHE = "mend-offline-{{ version }}";
var PAGES = {{ pages }};
var ASSETS = {{ assets }};

function publicRequest(url) {
  return new Request(url, { credentials: "omit", cache: "no-store", redirect: "error" });
}

function fill() {
  return caches.open(CACHE).then(function (cache) {
    return cache.addAll(PAGES.concat(ASSETS).map(publicRequest));
  });
}

function refresh(path) {
  // Keep the offline copy current with the signed-out page, not the one shown now.
  return fetch(publicRequest(path)).then(function (response) {
    if (!response.ok) return undefined;
    return caches.open(CACHE).then(function (cache) { return cache.put(path, response); });
  }).catch(function () { /* offline: keep the copy there is */ });
}

self.addEventListener("install", function (event) {
  event.waitUntil(fill().then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) { return key !== CACHE; })
      .map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  // mend.js asks after sign-out, once it has emptied every cache.
  if (event.data === "refill") event.waitUntil(fill());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.search) return;
  if (request.mode === "navigate" && PAGES.indexOf(url.pathname) !== -1) {
    event.respondWith(fetch(request).catch(function () {
      return caches.match(url.pathname, { cacheName: CACHE }).then(function (hit) {
        return hit || Response.error();
      });
    }));
    event.waitUntil(refresh(url.pathname));
  } else if (ASSETS.indexOf(url.pathname) !== -1) {
    // The network (and the browser's own cache of hashed names) first; the copy offline.
    event.respondWith(fetch(request).catch(function () {
      return caches.match(url.pathname, { cacheName: CACHE }).then(function (hit) {
        return hit || Response.error();
      });
    }));
  }
});

// Web Push (#18): the payload is decrypted by the browser; it holds only neutral words.
// Whatever arrives, the notification says nothing about anyone, and a tap opens home.
var NEUTRAL = {{ neutral }};

self.addEventListener("push", function (event) {
  var body = NEUTRAL;
  try {
    var data = event.data ? event.data.json() : null;
    if (data && typeof data.body === "string") body = data.body;
  } catch (e) { /* not ours to show: keep the neutral words */ }
  event.waitUntil(self.registration.showNotification("Mend", {
    body: body,
    icon: {{ icon }},
    tag: "mend",
    renotify: true,
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  event.waitUntil(self.clients.matchAll({ type: "window" }).then(function (windows) {
    var home = windows.filter(function (w) { return new URL(w.url).pathname === "/"; })[0];
    return home ? home.focus() : self.clients.openWindow("/");
  }));
});
{% endautoescape %}
