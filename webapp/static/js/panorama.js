// The 360° panorama viewer (Photo Sphere Viewer, self-hosted in vendor/panorama-viewer.js).
// A panorama stop paints its text and poster first; once the page has loaded and painted, the
// viewer is fetched and shows the small equirectangular preview, then the tiles of the level
// this device and network can afford (see levels.js). Hotspots are buttons and links are links
// over the picture; the gyroscope and WebXR buttons are shown only where they can work.
//
// Used two ways: on a page with <script type="application/json" id="panorama-config"> it mounts
// itself into <figure id="panorama">; the studio calls mountPanorama(element, config, {editable}).
import { chooseLevel, situation } from "./levels.js";
import { panoramaLevels } from "./panorama-levels.js";
import { enterVR, vrSupported } from "./panorama-xr.js";

const MIN_FOV = 30;
const MAX_FOV = 90;
const KEY_STEP = 10; // degrees per arrow key press
const VIEW_SETTLE_MS = 200;
const RADIANS = Math.PI / 180;

const record = (window.heritourPanorama = window.heritourPanorama || { events: [] });

function note(type, detail = {}) {
  record.events.push({ type, t: performance.now(), ...detail });
}

// Where the viewer's files are: given by _panorama_scripts.html, or by the caller.
function pageAssets() {
  const element = document.getElementById("panorama-assets");
  return element ? JSON.parse(element.textContent) : {};
}

function stylesheet(href) {
  if (!href || document.querySelector(`link[rel=stylesheet][href="${CSS.escape(href)}"]`)) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href });
    link.addEventListener("load", resolve, { once: true });
    link.addEventListener("error", resolve, { once: true });
    document.head.append(link);
  });
}

const clampFov = (fov) => Math.min(MAX_FOV, Math.max(MIN_FOV, Number(fov) || 75));
const fovToZoom = (fov) => ((MAX_FOV - clampFov(fov)) / (MAX_FOV - MIN_FOV)) * 100;
const zoomToFov = (zoom) => MAX_FOV + (zoom / 100) * (MIN_FOV - MAX_FOV);
const degrees = (radians) => {
  const value = radians / RADIANS;
  return Math.round((value > 180 ? value - 360 : value) * 100) / 100;
};
const position = (item) => ({ yaw: (Number(item.yaw) || 0) * RADIANS, pitch: (Number(item.pitch) || 0) * RADIANS });

// What Photo Sphere Viewer's tiles adapter is given: the preview (or, in a headset, the full
// equirectangular image) under the tiles of the levels this situation allows.
export function panoramaSource(config, quality, { headset = false } = {}) {
  const levels = panoramaLevels(config.tiles ? config.tiles.levels : [], quality);
  const template = config.tiles ? config.tiles.url : "";
  if (headset || levels.length === 0) {
    return {
      baseUrl: headset ? config.equirect || config.preview : config.preview,
      levels: [{ width: 1024, cols: 1, rows: 1 }],
      tileUrl: () => null,
    };
  }
  return {
    baseUrl: config.preview,
    levels: levels.map(({ width, cols, rows }) => ({ width, cols, rows })),
    tileUrl: (col, row, level) =>
      template.replace("{level}", levels[level].index).replace("{col}", col).replace("{row}", row),
  };
}

function hotspotMarker(spot, index, note) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "panorama-spot";
  button.textContent = String(index + 1);
  button.setAttribute("aria-label", `${index + 1}. ${spot.label}`);
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", note.id);
  button.dataset.id = spot.id;
  // Above the links' labels, so that a label near a hotspot never hides its button.
  return { id: `spot-${spot.id}`, element: button, position: position(spot), anchor: "center center", zIndex: 20 };
}

function linkMarker(link) {
  const anchor = document.createElement("a");
  anchor.className = "panorama-link";
  anchor.href = link.href;
  anchor.dataset.id = link.id;
  const label = document.createElement("span");
  label.textContent = link.label;
  anchor.append(label);
  return { id: `link-${link.id}`, element: anchor, position: position(link), anchor: "center center", zIndex: 10 };
}

// The text of the open hotspot, under the picture (a live region, so screen readers hear it).
function noteElement(element) {
  const box = document.createElement("div");
  box.className = "panorama-note";
  box.id = `${element.id || "panorama"}-note`;
  box.setAttribute("aria-live", "polite");
  box.hidden = true;
  element.append(box);
  return box;
}

function showNote(box, spot, button) {
  const open = button.getAttribute("aria-expanded") !== "true";
  for (const other of box.parentElement.querySelectorAll(".panorama-spot")) {
    other.setAttribute("aria-expanded", "false");
  }
  box.replaceChildren();
  box.hidden = !open;
  if (!open) return;
  button.setAttribute("aria-expanded", "true");
  const title = document.createElement("h3");
  title.textContent = spot.label;
  const body = document.createElement("div");
  body.className = "panorama-note-body";
  body.innerHTML = spot.html || ""; // sanitised by the server
  box.append(title, body);
  note("hotspot", { id: spot.id });
}

// The gyroscope button: shown once the device reports its orientation (or can be asked for it,
// as on iOS, where permission must be requested from the button's own click).
function gyroscopeButton(element, viewer, gyroscope) {
  const button = element.querySelector("[data-panorama=gyroscope]");
  if (!button) return;
  gyroscope.isSupported().then((supported) => {
    button.hidden = !supported;
  });
  gyroscope.addEventListener("gyroscope-updated", (event) => {
    button.setAttribute("aria-pressed", String(event.gyroscopeEnabled));
    note("gyroscope", { enabled: event.gyroscopeEnabled });
  });
  button.setAttribute("aria-pressed", "false");
  button.addEventListener("click", () => {
    if (gyroscope.isEnabled()) {
      gyroscope.stop();
      return;
    }
    const ask = window.DeviceOrientationEvent && DeviceOrientationEvent.requestPermission;
    const allowed = typeof ask === "function" ? DeviceOrientationEvent.requestPermission() : Promise.resolve("granted");
    allowed
      .then((answer) => (answer === "granted" ? gyroscope.start() : Promise.reject(answer)))
      .catch(() => note("gyroscope-refused"));
  });
}

// Arrow keys turn the view, + and - zoom, while the picture has the focus. The keys go no
// further, so that the page's own arrow keys (next and previous stop) do not fire as well.
function keyboard(stage, viewer) {
  stage.addEventListener("keydown", (event) => {
    if (event.target !== stage || event.altKey || event.ctrlKey || event.metaKey) return;
    const { yaw, pitch } = viewer.getPosition();
    const step = KEY_STEP * RADIANS;
    const moves = {
      ArrowLeft: () => viewer.rotate({ yaw: yaw - step, pitch }),
      ArrowRight: () => viewer.rotate({ yaw: yaw + step, pitch }),
      ArrowUp: () => viewer.rotate({ yaw, pitch: Math.min(Math.PI / 2, pitch + step) }),
      ArrowDown: () => viewer.rotate({ yaw, pitch: Math.max(-Math.PI / 2, pitch - step) }),
      "+": () => viewer.zoom(Math.min(100, viewer.getZoomLevel() + 10)),
      "=": () => viewer.zoom(Math.min(100, viewer.getZoomLevel() + 10)),
      "-": () => viewer.zoom(Math.max(0, viewer.getZoomLevel() - 10)),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    event.stopPropagation();
    move();
  });
  // A drag on the picture turns it; it is not a swipe to the next stop (stop.js).
  for (const type of ["touchstart", "touchend"]) {
    stage.addEventListener(type, (event) => event.stopPropagation(), { passive: true });
  }
}

/**
 * Mount a panorama viewer into ``element`` (a figure holding the poster). Returns at once an
 * object with getView(), setView({yaw, pitch, fov}), setMarkers({hotspots, links}), destroy()
 * and ``ready`` (a promise of the Photo Sphere Viewer instance). The element receives
 * panorama:ready (first frame drawn), panorama:view ({yaw, pitch, fov} after the visitor moved)
 * and, when ``editable``, panorama:pick ({yaw, pitch} of a click on the picture).
 */
export function mountPanorama(element, config, { editable = false, assets = pageAssets() } = {}) {
  let view = { yaw: 0, pitch: 0, fov: 75, ...(config.view || {}) };
  let current = { config, href: window.location.href };
  let viewer = null;
  let markers = { hotspots: config.hotspots || [], links: config.links || [] };
  const box = noteElement(element);
  const stage = document.createElement("div");
  stage.className = "panorama-stage";
  stage.tabIndex = 0;
  stage.setAttribute("role", "application");
  const poster = element.querySelector("img.poster");
  stage.setAttribute("aria-label", element.dataset.label || (poster && poster.alt) || "");
  element.prepend(stage);
  element.classList.add("panorama-mounted");

  const markerList = () => {
    const list = markers.hotspots.map((spot, index) => hotspotMarker(spot, index, box));
    return list.concat(markers.links.map(linkMarker));
  };

  const ready = Promise.all([
    import(assets.viewer),
    stylesheet(assets.viewerCss),
    stylesheet(assets.css),
  ]).then(([library]) => {
    note("imported");
    const { Viewer, EquirectangularTilesAdapter, MarkersPlugin, GyroscopePlugin } = library;
    const level = chooseLevel(situation(window));
    element.dataset.quality = level;
    viewer = new Viewer({
      container: stage,
      adapter: [EquirectangularTilesAdapter, { showErrorTile: false, baseBlur: true }],
      panorama: panoramaSource(config, level),
      defaultYaw: view.yaw * RADIANS,
      defaultPitch: view.pitch * RADIANS,
      defaultZoomLvl: fovToZoom(view.fov),
      minFov: MIN_FOV,
      maxFov: MAX_FOV,
      navbar: false,
      loadingTxt: "",
      keyboard: false,
      mousewheel: editable,
      mousewheelCtrlKey: false,
      touchmoveTwoFingers: false,
      canvasBackground: "#efe9e1",
      plugins: [
        [MarkersPlugin, { markers: markerList(), defaultHoverScale: false }],
        [GyroscopePlugin, { touchmove: true }],
      ],
    });
    record.viewer = viewer;
    const markersPlugin = viewer.getPlugin(MarkersPlugin);
    const gyroscope = viewer.getPlugin(GyroscopePlugin);

    viewer.addEventListener(
      "ready",
      () => {
        viewer.addEventListener(
          "render",
          () => {
            element.classList.add("drawn");
            note("visible", { level: element.dataset.quality });
            element.dispatchEvent(new CustomEvent("panorama:ready", { detail: getView() }));
          },
          { once: true },
        );
        viewer.needsUpdate();
      },
      { once: true },
    );

    let settle = 0;
    const moved = () => {
      clearTimeout(settle);
      settle = setTimeout(() => {
        const detail = getView();
        note("view", detail);
        element.dispatchEvent(new CustomEvent("panorama:view", { detail }));
      }, VIEW_SETTLE_MS);
    };
    viewer.addEventListener("position-updated", moved);
    viewer.addEventListener("zoom-updated", moved);

    viewer.addEventListener("click", (event) => {
      const data = event.data;
      if (data.marker || data.rightclick) return;
      if (editable) {
        const detail = { yaw: degrees(data.yaw), pitch: degrees(data.pitch) };
        element.dispatchEvent(new CustomEvent("panorama:pick", { detail }));
      }
    });
    // Marker elements are real controls: a hotspot button opens its text, a link follows its
    // href (Photo Sphere Viewer would otherwise treat the click as a drag's end).
    stage.addEventListener("click", (event) => {
      const button = event.target.closest(".panorama-spot");
      if (!button) return;
      const spot = markers.hotspots.find((item) => item.id === button.dataset.id);
      if (spot) showNote(box, spot, button);
    });
    stage.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !box.hidden) {
        const open = stage.querySelector(".panorama-spot[aria-expanded=true]");
        if (open) showNote(box, markers.hotspots.find((item) => item.id === open.dataset.id), open);
        if (open) open.focus();
      }
    });

    keyboard(stage, viewer);
    gyroscopeButton(element, viewer, gyroscope);
    vrButton(element, viewer, library, {
      links: () => current.config.links || [],
      hotspots: () => current.config.hotspots || [],
      opened: (spot) => note("hotspot", { id: spot.id, headset: true }),
      startYaw: () => getView().yaw,
      follow: (link) => followInHeadset(link),
      enter: () =>
        viewer.setPanorama(panoramaSource(current.config, level, { headset: true }), {
          transition: false,
          showLoader: false,
        }),
    });

    // Selecting a link inside the headset: the target's panorama and links replace this one's.
    function followInHeadset(link) {
      if (!link.config) return Promise.reject(new Error("no config"));
      return fetch(link.config, { headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((next) => {
          current = { config: next, href: link.href };
          markers = { hotspots: next.hotspots || [], links: next.links || [] };
          markersPlugin.setMarkers(markerList());
          const start = next.view || {};
          note("navigate", { href: link.href });
          element.dispatchEvent(new CustomEvent("panorama:navigate", { detail: { href: link.href } }));
          return viewer
            .setPanorama(panoramaSource(next, level, { headset: true }), {
              transition: false,
              showLoader: false,
              position: position(start),
            })
            .then(() => next);
        });
    }
    element.addEventListener("panorama:exit-vr", () => {
      if (current.config !== config) window.location.assign(current.href);
    });

    return viewer;
  });
  ready.catch((error) => note("error", { message: String(error) }));

  function getView() {
    if (!viewer) return { ...view };
    const { yaw, pitch } = viewer.getPosition();
    return { yaw: degrees(yaw), pitch: degrees(pitch), fov: Math.round(zoomToFov(viewer.getZoomLevel()) * 100) / 100 };
  }

  function setView(next) {
    view = { ...view, ...next };
    if (!viewer) return;
    viewer.rotate(position(view));
    viewer.zoom(fovToZoom(view.fov));
  }

  function setMarkers(next) {
    markers = { hotspots: next.hotspots || [], links: next.links || [] };
    box.hidden = true;
    if (viewer) viewer.getPlugin("markers").setMarkers(markerList());
  }

  function destroy() {
    if (viewer) viewer.destroy();
    stage.remove();
    box.remove();
  }

  return { getView, setView, setMarkers, destroy, ready };
}

// The WebXR button: shown only where an immersive-vr session can start.
function vrButton(element, viewer, library, hooks) {
  const button = element.querySelector("[data-panorama=vr]");
  if (!button) return;
  vrSupported().then((supported) => {
    button.hidden = !supported;
    note("vr-supported", { supported });
  });
  button.addEventListener("click", () => {
    enterVR(viewer, library, hooks, element).catch((error) => note("vr-error", { message: String(error) }));
  });
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

// Once the page has loaded and shows its text and decoded poster (as viewer.js does): a WebGL
// context made any earlier would hold that first paint back.
function afterPaint(figure, callback) {
  const poster = figure.querySelector("img.poster");
  const loaded = new Promise((resolve) => {
    if (document.readyState === "complete") resolve();
    else window.addEventListener("load", resolve, { once: true });
  });
  const decoded = poster ? poster.decode().catch(() => {}) : null;
  Promise.all([loaded, decoded, firstPaint()])
    .then(() => new Promise((resolve) => requestAnimationFrame(resolve)))
    .then(() => setTimeout(callback, 0));
}

function preload(assets, config) {
  const links = [{ rel: "modulepreload", href: assets.viewer }];
  // Photo Sphere Viewer fetches its pictures (to follow their progress): a fetch preload.
  if (config.preview) links.push({ rel: "preload", as: "fetch", href: config.preview, crossOrigin: "anonymous" });
  document.head.append(...links.map((link) => Object.assign(document.createElement("link"), link)));
}

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

const pageConfig = document.getElementById("panorama-config");
const pageFigure = document.getElementById("panorama");
if (pageConfig && pageFigure) {
  const config = JSON.parse(pageConfig.textContent);
  afterPaint(pageFigure, () => {
    if (!hasWebGL()) {
      document.documentElement.classList.add("no-webgl");
      pageFigure.classList.add("still");
      note("no-webgl");
      return;
    }
    const assets = pageAssets();
    preload(assets, config);
    note("mount");
    record.panorama = mountPanorama(pageFigure, config, { assets });
  });
}
