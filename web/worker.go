package web

import (
	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/web/internal/goappfix"
)

// keepWasmMessage is the message boot.js posts to the worker once the page
// has compiled app.wasm from its own download: keep it (see workerJS).
const keepWasmMessage = "eulagate:keep-wasm"

// workerJS is the template of the service worker (go-app's
// Handler.ServiceWorkerTemplate; {{.Version}} and {{.ResourcesToCache}} are
// filled in by go-app). Unlike go-app's default worker, which finds a page
// only by its exact URL, it serves the viewer offline after a first visit:
//
//   - pages (navigations): the network first, each answer kept by its URL
//     unless it says no-store;
//     offline, the same URL, else a page kept in the same language (?lang),
//     else any page kept (the "/" cached at install);
//   - GET /api/v1/view (language switch): the network first, kept by URL;
//     offline, the kept answer;
//   - the shipped fonts (/web/fonts/): from the cache of this build, else
//     the network, kept once fetched; install does not fetch them, since a
//     page downloads only the faces of the characters it shows;
//   - app.wasm: from the cache of this build, else the network, kept once
//     fetched; install does not fetch it: in WebKit (2.50) the install's
//     fetch was a second download of it while the page's own was under
//     way (WebKit neither waits for that one nor shares it with the
//     worker). Instead the page, once its own download is compiled, asks
//     the worker to keep it (the message keepWasmMessage, sent by
//     boot.js): the worker's fetch then finds it in the browser's HTTP
//     cache (a revalidation, not a download), and the next page, a reload
//     included, reads it from the worker's cache rather than through the
//     worker from the HTTP cache while the worker copies it. WebKit's
//     page does not ask (the worker's fetch was a second download there):
//     the first page the worker controls keeps it. So a page downloads it
//     once in every engine;
//   - everything else go-app lists (scripts, styles, icons): from the cache
//     of this build, which install fills.
//
// Decisions (POST) always go to the network: a decision is never made
// offline. The dealer's pages and the console's are not the worker's at
// all: they carry people's names and addresses, which must not stay on the
// device (nor outlive an erasure).
const workerJS = `const cacheName = "app-" + "{{.Version}}";
const pagesName = "pages-" + "{{.Version}}";
const resourcesToCache = {{.ResourcesToCache}};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(cacheName)
      .then((cache) => cache.addAll(resourcesToCache.filter((path) => path !== "` + goappfix.WasmPath + `")))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.map((key) => {
        if (key !== cacheName && key !== pagesName) {
          return caches.delete(key);
        }
      })))
      .then(() => self.clients.claim())
  );
});

function langOf(url) {
  return new URL(url).searchParams.get("lang") || "";
}

async function offlinePage(request) {
  const pages = await caches.open(pagesName);
  const exact = await pages.match(request, { ignoreVary: true });
  if (exact) {
    return exact;
  }
  const lang = langOf(request.url);
  const keys = await pages.keys();
  for (const key of keys) {
    if (new URL(key.url).pathname === "/" && langOf(key.url) === lang) {
      return pages.match(key);
    }
  }
  if (keys.length > 0) {
    return pages.match(keys[keys.length - 1]);
  }
  return caches.match("/", { ignoreSearch: true });
}

// keepable reports whether a response may be kept: it succeeded, and the
// server did not forbid keeping it (Cache-Control: no-store).
function keepable(response) {
  return response.ok && !/\bno-store\b/i.test(response.headers.get("Cache-Control") || "");
}

async function networkFirst(request, fallback) {
  try {
    const response = await fetch(request);
    if (keepable(response)) {
      const copy = response.clone();
      caches.open(pagesName).then((pages) => pages.put(request, copy));
    }
    return response;
  } catch (err) {
    const kept = await fallback(request);
    if (kept) {
      return kept;
    }
    throw err;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  // The dealer's pages carry organisations' names and reference codes,
  // the console's people's names and addresses: never kept on the device.
  if (url.pathname.startsWith("/dealer") || url.pathname.startsWith("` + PathConsole + `")) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(request, offlinePage));
    return;
  }
  if (url.pathname === "` + api.PathView + `") {
    event.respondWith(networkFirst(request, (r) => caches.open(pagesName).then((pages) => pages.match(r))));
    return;
  }
  if (url.pathname.startsWith("/web/fonts/") || url.pathname === "` + goappfix.WasmPath + `") {
    event.respondWith(keptOrFetched(request));
    return;
  }
  event.respondWith(
    caches.match(request).then((response) => response || fetch(request))
  );
});

// The page's own download of app.wasm is complete: keep it for the next
// pages (see keepWasmMessage).
self.addEventListener("message", (event) => {
  if (event.data === "` + keepWasmMessage + `") {
    event.waitUntil(keepWasm().catch(() => {}));
  }
});

async function keepWasm() {
  const cache = await caches.open(cacheName);
  if (await cache.match("` + goappfix.WasmPath + `")) {
    return;
  }
  const response = await fetch("` + goappfix.WasmPath + `");
  if (response.ok) {
    await cache.put("` + goappfix.WasmPath + `", response);
  }
}

async function keptOrFetched(request) {
  const cache = await caches.open(cacheName);
  const kept = await cache.match(request);
  if (kept) {
    return kept;
  }
  const response = await fetch(request);
  if (response.ok) {
    cache.put(request, response.clone());
  }
  return response;
}
`
