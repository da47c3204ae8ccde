// The progressive 3D viewer. The page paints its text and the stop's poster first; only once
// the page has loaded are model-viewer and the first model fetched, so that they never compete
// with the poster on a weak network. It shows the small "thumb" level, then swaps to the level
// that fits this device and network (see levels.js). Without WebGL the page turns to text-only.
import { keepFramed } from "heritour/framing";
import { applyLighting } from "heritour/lighting";
import { LEVELS, bestAvailable, chooseLevel, situation } from "heritour/levels";

const config = JSON.parse(document.getElementById("viewer-config").textContent);
const record = (window.heritourViewer = { events: [], wanted: null, importedAt: null, definedAt: null });

// Creating a WebGL context costs time on slow phones: it is done once the page has painted,
// and the test context is given back at once.
function hasWebGL() {
  try {
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("webgl2") || canvas.getContext("webgl");
    if (context) context.getExtension("WEBGL_lose_context")?.loseContext();
    return Boolean(context);
  } catch {
    return false;
  }
}

// Text-only, in place: the poster stays as a picture described by the model's description.
function showTextOnly(figure, viewer) {
  document.documentElement.classList.add("text-mode", "no-webgl");
  viewer.remove();
  document.getElementById("model-detail")?.closest("p")?.remove();
  figure.classList.add("still");
}

function levelUrls(viewer) {
  const urls = {};
  for (const level of LEVELS) if (viewer.dataset[level]) urls[level] = viewer.dataset[level];
  return urls;
}

function levelOf(urls, url) {
  return LEVELS.find((level) => urls[level] === url) || "";
}

// The figure's poster gives way as soon as a model is drawn. model-viewer's own
// "model-visibility" event is not enough: when the source changes right after the first load
// (thumb to a better level), it never reports the model visible again. Its "load" event is
// sent once the new model's pixels are drawn, on every swap, so both are listened to.
function showModel(viewer, urls, cause) {
  const figure = viewer.closest("figure");
  if (figure.classList.contains("drawn")) return;
  figure.classList.add("drawn");
  const src = viewer.getAttribute("src");
  record.events.push({ type: "visible", cause, level: levelOf(urls, src), url: src, t: performance.now() });
}

function progressive(viewer) {
  const urls = levelUrls(viewer);
  let target = bestAvailable(urls, chooseLevel(situation(window, viewer)));
  record.wanted = target ? target.level : null;
  viewer.dataset.wanted = record.wanted || "";
  viewer.addEventListener("load", () => {
    const src = viewer.getAttribute("src");
    record.events.push({ type: "load", level: levelOf(urls, src), url: src, t: performance.now() });
    viewer.dataset.loaded = levelOf(urls, src);
    if (viewer.loaded) showModel(viewer, urls, "load");
    if (target && src !== target.url) viewer.setAttribute("src", target.url);
  });
  viewer.addEventListener("model-visibility", (event) => {
    if (event.detail.visible) showModel(viewer, urls, "model-visibility");
  });
  // A level that cannot be fetched (offline and not saved): fall back to a smaller one, and
  // keep it (asking again for the missing level would only fail again).
  viewer.addEventListener("error", () => {
    const index = LEVELS.indexOf(levelOf(urls, viewer.getAttribute("src")));
    const fallback = index > 0 ? bestAvailable(urls, LEVELS[index - 1]) : null;
    record.events.push({ type: "error", url: viewer.getAttribute("src"), t: performance.now() });
    if (!fallback) return;
    target = fallback;
    viewer.setAttribute("src", fallback.url);
  });
  // The visitor's own choice of detail ("" = the level chosen for this device and network).
  const choice = document.getElementById("model-detail");
  if (choice) {
    const automatic = target;
    choice.addEventListener("change", () => {
      target = choice.value ? bestAvailable(urls, choice.value) : automatic;
      record.wanted = target ? target.level : null;
      viewer.dataset.wanted = record.wanted || "";
      if (target && viewer.getAttribute("src") !== target.url && viewer.loaded) {
        viewer.setAttribute("src", target.url);
      }
    });
  }
}

// Tapping a hotspot shows its label beside it (its text is in the list under the viewer);
// a hotspot with its own view also moves the camera there (model-viewer eases the move).
function labelledHotspots(viewer) {
  viewer.addEventListener("click", (event) => {
    const spot = event.target.closest(".hotspot");
    if (!spot) return;
    if (spot.dataset.orbit) {
      viewer.dataset.framingHeld = "yes"; // the framing no longer takes the camera back
      viewer.cameraTarget = spot.dataset.target;
      viewer.cameraOrbit = spot.dataset.orbit;
      viewer.fieldOfView = spot.dataset.fov;
    }
    const open = spot.getAttribute("aria-expanded") !== "true";
    for (const other of viewer.querySelectorAll(".hotspot")) other.setAttribute("aria-expanded", "false");
    spot.setAttribute("aria-expanded", String(open));
  });
}

// Android without WebXR: Scene Viewer opens the stop's plain AR file (it cannot read the
// meshopt-compressed levels), when model-viewer itself has no AR mode to offer.
function sceneViewerLink(viewer) {
  const link = document.getElementById("scene-viewer-link");
  if (!link || !/android/i.test(navigator.userAgent)) return;
  viewer.addEventListener("load", () => {
    link.hidden = viewer.canActivateAR;
  });
}

// The model's real size, in the page's language, when the scan knows its units.
function sizeView(viewer) {
  const button = document.getElementById("show-size");
  const output = document.getElementById("model-size");
  if (!button || !output) return;
  const lang = document.documentElement.lang || "en";
  const length = (metres) => {
    const small = metres < 1;
    const format = new Intl.NumberFormat(lang, {
      style: "unit",
      unit: small ? "centimeter" : "meter",
      maximumFractionDigits: small ? 1 : 2,
    });
    return format.format(small ? metres * 100 : metres);
  };
  button.addEventListener("click", () => {
    const shown = button.getAttribute("aria-pressed") !== "true";
    button.setAttribute("aria-pressed", String(shown));
    output.hidden = !shown;
    if (!shown || !viewer.loaded) return;
    const size = viewer.getDimensions();
    const values = { width: length(size.x), height: length(size.y), depth: length(size.z) };
    output.textContent = output.dataset.text.replace(/%\((\w+)\)s/g, (_, name) => values[name]);
  });
}

// model-viewer, its meshopt decoder and the first model download together, while WebGL is
// being checked.
function preload(thumb) {
  const links = [
    { rel: "modulepreload", href: config.modelViewer },
    { rel: "preload", as: "script", href: config.meshoptDecoderLocation },
  ];
  if (thumb) links.push({ rel: "preload", as: "fetch", href: thumb, crossOrigin: "anonymous" });
  document.head.append(...links.map((link) => Object.assign(document.createElement("link"), link)));
}

// The first contentful paint, once it is on screen (at once where browsers do not report it).
function firstPaint() {
  const types = (window.PerformanceObserver && PerformanceObserver.supportedEntryTypes) || [];
  if (!types.includes("paint")) return Promise.resolve();
  return new Promise((resolve) => {
    new PerformanceObserver((list, observer) => {
      if (list.getEntriesByName("first-contentful-paint").length === 0) return;
      observer.disconnect();
      resolve();
    }).observe({ type: "paint", buffered: true });
  });
}

// Once the page has loaded and shows its text and decoded poster. Creating a WebGL context
// any earlier would hold that first paint back: both need the GPU process.
function afterPaint(callback) {
  const poster = document.querySelector("figure.viewer img.poster");
  const loaded = new Promise((resolve) => {
    if (document.readyState === "complete") resolve();
    else window.addEventListener("load", resolve, { once: true });
  });
  const decoded = poster ? poster.decode().catch(() => {}) : null;
  Promise.all([loaded, decoded, firstPaint()])
    .then(() => new Promise((resolve) => requestAnimationFrame(resolve)))
    .then(() => setTimeout(callback, 0));
}

const figure = document.querySelector("figure.viewer");
const viewer = figure && figure.querySelector("model-viewer");
if (viewer) {
  progressive(viewer);
  keepFramed(viewer, JSON.parse(viewer.dataset.framing || "null"));
  if (viewer.dataset.lightingPreset) applyLighting(viewer, JSON.parse(viewer.dataset.lightingPreset));
  sizeView(viewer);
  sceneViewerLink(viewer);
  labelledHotspots(viewer);
  afterPaint(() => {
    if ("WebGLRenderingContext" in window) preload(viewer.dataset.thumb);
    if (!hasWebGL()) {
      showTextOnly(figure, viewer);
      return;
    }
    self.ModelViewerElement = {
      meshoptDecoderLocation: config.meshoptDecoderLocation,
      dracoDecoderLocation: config.dracoDecoderLocation,
      ktx2TranscoderLocation: config.ktx2TranscoderLocation,
    };
    record.importedAt = performance.now();
    import(config.modelViewer).then(() => {
      record.definedAt = performance.now();
    });
  });
}
