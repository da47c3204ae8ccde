// Stop editor: keep the viewer's camera as the stop's view (with what it frames, and a
// poster captured from it), preview that view on a phone's and a desktop's canvas, place
// hotspots by clicking on the model, and preview the narration as tourists see it.
import { applyFraming, currentFraming } from "../framing.js";
import { applyLighting } from "../lighting.js";
import { post } from "./request.js";

const viewer = document.getElementById("stop-viewer");
const status = document.getElementById("viewer-status");
const say = (text) => { if (status) status.textContent = text; };
const degrees = (radians) => (radians * 180) / Math.PI;

function orbitNow() {
  const orbit = viewer.getCameraOrbit();
  return `${degrees(orbit.theta).toFixed(2)}deg ${degrees(orbit.phi).toFixed(2)}deg ${orbit.radius.toFixed(4)}m`;
}

function cameraNow() {
  const target = viewer.getCameraTarget();
  return {
    orbit: orbitNow(),
    target: `${target.x.toFixed(4)}m ${target.y.toFixed(4)}m ${target.z.toFixed(4)}m`,
    field_of_view: `${viewer.getFieldOfView().toFixed(2)}deg`,
  };
}

// What the canvas frames now, sent with the camera so that tourists' screens keep it.
function framingNow() {
  const framing = currentFraming(viewer);
  return { half_width: framing.half_width.toFixed(5), half_height: framing.half_height.toFixed(5) };
}

// The view as a phone (412 × 420 canvas) or a desktop (637 × 420) will show it: the framing
// of the free canvas, fitted to the other one.
let previewed = null;
async function previewOn(mode) {
  if (!viewer.loaded) await new Promise((resolve) => viewer.addEventListener("load", resolve, { once: true }));
  if (!viewer.classList.contains("as-phone") && !viewer.classList.contains("as-desktop")) {
    previewed = { framing: currentFraming(viewer), orbit: orbitNow() };
  }
  viewer.classList.toggle("as-phone", mode === "phone");
  viewer.classList.toggle("as-desktop", mode === "desktop");
  for (const button of document.querySelectorAll("[data-preview]")) {
    button.setAttribute("aria-pressed", String(button.dataset.preview === mode));
  }
  viewer.dataset.preview = mode;
  if (!mode || !previewed) return;
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const radius = await applyFraming(viewer, previewed.framing, previewed.orbit);
  viewer.dataset.framedRadius = radius.toFixed(4);
  viewer.dispatchEvent(new CustomEvent("heritour-framed", { detail: { radius } }));
}

async function useThisView(button) {
  button.disabled = true;
  try {
    const camera = cameraNow();
    const body = new FormData();
    for (const [name, value] of Object.entries({ ...camera, ...framingNow() })) body.set(name, value);
    const poster = await viewer.toBlob({ mimeType: "image/webp", qualityArgument: 0.85 });
    if (poster) body.set("poster", poster, "poster.webp");
    const answer = await post(viewer.dataset.cameraUrl, body);
    document.getElementById("orbit").value = camera.orbit;
    document.getElementById("target").value = camera.target;
    document.getElementById("fov").value = camera.field_of_view;
    viewer.dataset.savedOrbit = answer.camera.orbit;
    say(viewer.dataset.msgSaved);
  } catch (error) {
    say(error.message);
  } finally {
    button.disabled = false;
  }
}

let placing = false;
async function placeHotspot(event) {
  if (!placing) return;
  const hit = viewer.positionAndNormalFromPoint(event.clientX, event.clientY);
  if (!hit) {
    say(viewer.dataset.msgMissed);
    return;
  }
  placing = false;
  const { position: p, normal: n } = hit;
  const body = new FormData();
  body.set("position", `${p.x.toFixed(4)}m ${p.y.toFixed(4)}m ${p.z.toFixed(4)}m`);
  body.set("normal", `${n.x.toFixed(4)} ${n.y.toFixed(4)} ${n.z.toFixed(4)}`);
  body.set("lang", viewer.dataset.lang);
  try {
    const answer = await post(viewer.dataset.hotspotUrl, body);
    location.hash = `hotspot-${answer.hotspot.id}`;
    location.reload();
  } catch (error) {
    say(error.message);
  }
}

if (viewer) {
  const useView = document.getElementById("use-view");
  const place = document.getElementById("place-hotspot");
  useView.addEventListener("click", () => useThisView(useView));
  place.addEventListener("click", () => {
    placing = !placing;
    place.setAttribute("aria-pressed", String(placing));
    say(placing ? viewer.dataset.msgPlace : "");
  });
  viewer.addEventListener("click", placeHotspot);
  for (const button of document.querySelectorAll("[data-preview]")) {
    button.addEventListener("click", () => previewOn(button.dataset.preview));
  }
  // Lighting: previewed live on the viewer; the form keeps it.
  const lighting = document.getElementById("lighting");
  const presets = JSON.parse(document.getElementById("lighting-presets").textContent);
  const showLighting = () => applyLighting(viewer, presets[lighting.value] || null);
  lighting.addEventListener("change", showLighting);
  showLighting();
  // A hotspot's own view: the viewer's camera now.
  for (const button of document.querySelectorAll(".hotspot-view")) {
    button.addEventListener("click", async () => {
      const body = new FormData();
      for (const [name, value] of Object.entries(cameraNow())) body.set(name, value);
      try {
        await post(button.dataset.url, body);
        say(viewer.dataset.msgHotspotView);
      } catch (error) {
        say(error.message);
      }
    });
  }
}

const narration = document.getElementById("narration");
const preview = document.getElementById("narration-preview");
let timer = null;
async function renderPreview() {
  const answer = await post(narration.dataset.previewUrl, { markdown: narration.value }).catch(() => null);
  if (answer) preview.innerHTML = answer.html; // sanitised by the server
}
if (narration && preview) {
  narration.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(renderPreview, 250);
  });
  renderPreview();
}
