// Heritour's service worker. It serves saved tours when the network is gone:
//   pages      network first, then the saved copy (also when the network is slow);
//   static and /media files (immutable, content-addressed)  the saved copy first.
// Tours are saved by offline.js into caches named "heritour-tour:<slug>:<lang>:<revision>";
// this worker only reads them. It keeps one page of its own: Heritour's offline page in the
// language of every page visited ("/<lang>/offline" and the files it uses), shown instead
// of the browser's error when the visitor is offline and opens a page that was not saved.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

async function fromCache(request) {
  return caches.match(request, { ignoreVary: true });
}

// On a weak network a saved page is better than a long wait: after SLOW_MS the saved copy
// answers, if there is one; the network answer is used whenever it comes first.
const SLOW_MS = 4000;

const OFFLINE_CACHE = "heritour-offline";
const LANG_PATH = /^\/([a-z]{2,3})(\/|$)/;
const remembered = new Set();

function offlinePageOf(url) {
  const match = LANG_PATH.exec(new URL(url).pathname);
  return match ? `/${match[1]}/offline` : null;
}

// Keep the offline page of this language, and the static files it links to, once per run.
async function rememberOfflinePage(page) {
  if (!page || remembered.has(page)) return;
  remembered.add(page);
  try {
    const response = await fetch(page, { credentials: "same-origin" });
    if (!response.ok) return;
    const html = await response.clone().text();
    const cache = await caches.open(OFFLINE_CACHE);
    const files = [...html.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)].map((m) => m[1]);
    for (const file of files) {
      if (!(await cache.match(file))) await cache.add(file);
    }
    await cache.put(page, response);
  } catch {
    remembered.delete(page); // try again on the next page
  }
}

// The offline page in the language of the page asked for, or in any language kept.
async function offlinePage(request) {
  const own = offlinePageOf(request.url);
  const page = own && (await fromCache(own));
  if (page) return page;
  const cache = await caches.open(OFFLINE_CACHE);
  const other = (await cache.keys()).find((key) => key.url.endsWith("/offline"));
  return other ? cache.match(other) : undefined;
}

async function networkFirst(request) {
  const saved = fromCache(request);
  const network = fetch(request);
  network.catch(() => {}); // its failure is handled below when it matters
  const slow = new Promise((resolve) => setTimeout(resolve, SLOW_MS)).then(() => saved);
  try {
    const first = await Promise.race([network, slow]);
    return first || (await network);
  } catch (error) {
    const copy = await saved;
    if (copy) return copy;
    if (request.mode === "navigate") {
      const offline = await offlinePage(request);
      if (offline) return offline;
    }
    throw error;
  }
}

async function cacheFirst(request) {
  const saved = await fromCache(request);
  return saved || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(request));
    if (navigator.onLine !== false) event.waitUntil(rememberOfflinePage(offlinePageOf(request.url)));
  } else if (url.pathname.startsWith("/static/") || url.pathname.startsWith("/media/")) {
    event.respondWith(cacheFirst(request));
  } else if (url.pathname.endsWith("/offline.json") || url.pathname === "/manifest.webmanifest") {
    event.respondWith(networkFirst(request));
  }
});
