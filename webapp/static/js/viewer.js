// Progressive levels of detail: the page starts on the small "thumb" model, then, once it
// has loaded, swaps to the level that fits this device and network.
const ORDER = ["thumb", "low", "medium", "high"];

function wantedLevel() {
  const connection = navigator.connection || {};
  const slow = /(^|-)2g$|^3g$/.test(connection.effectiveType || "");
  const smallScreen = Math.min(screen.width, screen.height) < 400;
  if (connection.saveData || slow) return "low";
  const largeScreen = window.matchMedia("(min-width: 1024px)").matches;
  const fast = !connection.downlink || connection.downlink >= 10;
  if (largeScreen && fast) return "high";
  return smallScreen ? "low" : "medium";
}

function bestAvailable(viewer, wanted) {
  for (let index = ORDER.indexOf(wanted); index >= 0; index -= 1) {
    const url = viewer.dataset[ORDER[index]];
    if (url) return { level: ORDER[index], url };
  }
  return null;
}

for (const viewer of document.querySelectorAll("model-viewer[data-thumb], model-viewer[data-low]")) {
  const target = bestAvailable(viewer, wantedLevel());
  viewer.dataset.wanted = target ? target.level : "";
  viewer.addEventListener("load", function upgrade() {
    viewer.dataset.loaded = viewer.dataset.loaded ? viewer.dataset.loaded + " " + viewer.getAttribute("src") : viewer.getAttribute("src");
    if (target && viewer.getAttribute("src") !== target.url) {
      viewer.setAttribute("src", target.url);
    } else {
      viewer.removeEventListener("load", upgrade);
    }
  });
}
