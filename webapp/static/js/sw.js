// Heritour's service worker. It serves saved tours when the network is gone:
//   pages      network first, then the saved copy (also when the network is slow);
//   static and /media files (immutable, content-addressed)  the saved copy first.
// Tours are saved by offline.js into caches named "heritour-tour:<slug>:<lang>:<revision>";
// this worker only reads them.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

async function fromCache(request) {
  return caches.match(request, { ignoreVary: true });
}

// On a weak network a saved page is better than a long wait: after SLOW_MS the saved copy
// answers, if there is one; the network answer is used whenever it comes first.
const SLOW_MS = 4000;

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
  } else if (url.pathname.startsWith("/static/") || url.pathname.startsWith("/media/")) {
    event.respondWith(cacheFirst(request));
  } else if (url.pathname.endsWith("/offline.json") || url.pathname === "/manifest.webmanifest") {
    event.respondWith(networkFirst(request));
  }
});
