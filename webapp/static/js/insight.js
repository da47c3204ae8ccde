// Counts what visitors do on a tour's pages, with nothing that identifies them: each event
// is one beacon carrying the tour, the stop, the interface language, the kind of event and a
// coarse device class. No cookie, no identifier, nothing stored in the browser. Nothing is
// sent when the browser asks for Do Not Track or Global Privacy Control.
const script = document.currentScript;
const refused = navigator.doNotTrack === "1" || navigator.globalPrivacyControl === true;

function deviceClass() {
  if (/OculusBrowser|Quest|Pico|Wolvic/i.test(navigator.userAgent)) return "headset";
  if (!matchMedia("(pointer: coarse)").matches) return "desktop";
  return Math.min(screen.width, screen.height) < 600 ? "phone" : "tablet";
}

const sent = new Set();
function count(event) {
  if (refused || sent.has(event) || !navigator.sendBeacon) return;
  sent.add(event); // once per page and kind: a page counts a visit, not every click
  const { url, tour, stop, lang } = script.dataset;
  const body = JSON.stringify({ tour, stop: Number(stop), lang, event, device: deviceClass() });
  navigator.sendBeacon(url, new Blob([body], { type: "text/plain" }));
}

count(script.dataset.event);

document.addEventListener("play", () => count("audio"), true);
document.addEventListener("click", (event) => {
  if (event.target.closest(".ar-button")) count("ar");
});
for (const viewer of document.querySelectorAll("model-viewer")) {
  viewer.addEventListener("error", () => count("model_error"));
}
document.getElementById("panorama")?.addEventListener("panorama:enter-vr", () => count("vr"));
// A save counts when the visitor's own click ends "saved" (not when the page finds the tour
// saved before).
const offline = document.getElementById("offline");
let saving = false;
document.getElementById("save-offline")?.addEventListener("click", () => (saving = true));
if (offline) {
  new MutationObserver(() => {
    if (saving && offline.dataset.state === "saved") count("offline_save");
  }).observe(offline, { attributes: true, attributeFilter: ["data-state"] });
}
