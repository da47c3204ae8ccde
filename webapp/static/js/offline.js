// "Save for offline": registers the service worker, then stores every URL of the tour's
// offline pack (pages in this language, models at the low level, posters, audio, the viewer
// and its decoders) in a cache named after the tour, language and revision.
const section = document.getElementById("offline");
const CONCURRENCY = 3;
const PREFIX = "heritour-tour:";
const DONE = "/__heritour/saved";

function say(text) {
  document.getElementById("offline-status").textContent = text;
}

function format(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, name) => String(values[name]));
}

// Keep the final answer under the /media URL, even when it came through a redirect (S3).
async function store(cache, url) {
  const response = await fetch(url, { credentials: "same-origin", cache: "no-cache" });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  if (!response.redirected) return cache.put(url, response);
  const copy = new Response(await response.blob(), {
    status: 200,
    headers: { "Content-Type": response.headers.get("Content-Type") || "application/octet-stream" },
  });
  return cache.put(url, copy);
}

async function save(pack) {
  const progress = document.getElementById("offline-progress");
  const button = document.getElementById("save-offline");
  button.disabled = true;
  progress.hidden = false;
  progress.max = pack.urls.length;
  progress.value = 0;
  section.dataset.state = "saving";
  const cache = await caches.open(pack.cache);
  const queue = [...pack.urls];
  let done = 0;
  const report = () => {
    progress.value = done;
    say(format(section.dataset.msgSaving, { done, total: pack.urls.length }));
  };
  report();
  const worker = async () => {
    while (queue.length) {
      const url = queue.shift();
      if (!(await cache.match(url))) await store(cache, url);
      done += 1;
      report();
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const json = { headers: { "Content-Type": "application/json" } };
    await cache.put(section.dataset.pack, new Response(JSON.stringify(pack), json));
    await cache.put(`${DONE}/${pack.tour}/${pack.lang}`, new Response(JSON.stringify(pack), json));
    // Older saved revisions of this tour in this language are no longer needed.
    for (const name of await caches.keys()) {
      if (name.startsWith(`${PREFIX}${pack.tour}:${pack.lang}:`) && name !== pack.cache) await caches.delete(name);
    }
    section.dataset.state = "saved";
    say(section.dataset.msgSaved);
  } catch (error) {
    section.dataset.state = "failed";
    say(section.dataset.msgFailed);
  } finally {
    button.disabled = false;
  }
}

async function packOf() {
  const response = await fetch(section.dataset.pack, { credentials: "same-origin" });
  return response.json();
}

async function init() {
  if (!section || !("serviceWorker" in navigator) || !("caches" in window)) return;
  section.hidden = false;
  const button = document.getElementById("save-offline");
  button.addEventListener("click", async () => {
    await navigator.serviceWorker.register(section.dataset.sw, { scope: "/" });
    await navigator.serviceWorker.ready;
    try {
      await save(await packOf());
    } catch (error) {
      section.dataset.state = "failed";
      say(section.dataset.msgFailed);
    }
  });
  // Already saved? Say so (the pack's cache name changes with each published revision).
  try {
    const pack = await packOf();
    const cache = (await caches.has(pack.cache)) && (await caches.open(pack.cache));
    if (cache && (await cache.match(`${DONE}/${pack.tour}/${pack.lang}`))) {
      section.dataset.state = "saved";
      say(section.dataset.msgSaved);
    }
  } catch {
    // Offline and never saved: nothing to say.
  }
}

init();
