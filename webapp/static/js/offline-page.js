// Heritour's offline page: lists the tours saved on this phone (caches written by
// offline.js), those in the page's language first. Other languages are named in the page's
// language by the browser (Intl.DisplayNames).
const list = document.getElementById("saved-tours");
const PREFIX = "heritour-tour:";
const DONE = "/__heritour/saved";

async function savedTours() {
  const tours = [];
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX)) continue;
    const [slug, lang] = name.slice(PREFIX.length).split(":");
    const cache = await caches.open(name);
    const done = await cache.match(`${DONE}/${slug}/${lang}`);
    if (!done) continue; // saving was interrupted: the tour is not complete
    const pack = await done.json();
    tours.push({
      slug,
      lang,
      title: pack.title || slug,
      titleLang: pack.title_lang || lang,
      url: pack.urls[0],
    });
  }
  const pageLang = list.dataset.lang;
  return tours.sort((a, b) => (a.lang !== pageLang) - (b.lang !== pageLang) || a.title.localeCompare(b.title));
}

function languageName(tag, pageLang) {
  try {
    return new Intl.DisplayNames([pageLang], { type: "language" }).of(tag);
  } catch {
    return tag;
  }
}

async function init() {
  const tours = "caches" in window ? await savedTours() : [];
  const pageLang = list.dataset.lang;
  for (const tour of tours) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = tour.url;
    link.textContent = tour.title;
    if (tour.titleLang !== pageLang) link.lang = tour.titleLang;
    item.append(link);
    if (tour.lang !== pageLang) {
      const language = document.createElement("span");
      language.className = "meta";
      language.textContent = ` (${languageName(tour.lang, pageLang)})`;
      item.append(language);
    }
    list.append(item);
  }
  document.getElementById("no-saved-tours").hidden = tours.length > 0;
  list.dataset.state = "listed";
}

init();
