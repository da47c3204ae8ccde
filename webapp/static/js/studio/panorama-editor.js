// Panorama stop editor: the live viewer (panorama.js, editable) keeps its current view as the
// stop's start view, and places hotspots and links where the curator clicks. Each action
// sends the same form a browser without JavaScript sends, asking for JSON.
import { mountPanorama } from "../panorama.js";
import { post } from "./request.js";

const figure = document.getElementById("stop-panorama");
const status = document.getElementById("viewer-status");
const say = (text) => {
  if (status) status.textContent = text;
};
const record = (window.heritourPanoramaEditor = { ready: false, saved: null, placed: null });

function round(value) {
  return Math.round(value * 1000) / 1000;
}

async function start() {
  const config = JSON.parse(document.getElementById("panorama-config").textContent);
  const viewer = await mountPanorama(figure, config, { editable: true });
  figure.addEventListener("panorama:ready", () => {
    record.ready = true;
    figure.dataset.ready = "true";
  });
  if (figure.dataset.ready !== "true" && figure.querySelector("canvas")) record.ready = true;

  const useView = document.getElementById("use-panorama-view");
  useView.addEventListener("click", async () => {
    useView.disabled = true;
    try {
      const view = viewer.getView();
      const body = new FormData();
      body.set("yaw", String(round(view.yaw)));
      body.set("pitch", String(round(view.pitch)));
      body.set("fov", String(round(view.fov)));
      const answer = await post(figure.dataset.viewUrl, body);
      record.saved = answer.view;
      for (const name of ["yaw", "pitch", "fov"]) {
        const input = document.getElementById(`view-${name}`);
        if (input) input.value = answer.view[name];
      }
      say(figure.dataset.msgSaved);
    } catch (error) {
      say(error.message);
    } finally {
      useView.disabled = false;
    }
  });

  // One mode at a time: a hotspot, or a link to the chosen stop, goes where the next click is.
  let placing = null;
  const hotspotButton = document.getElementById("place-panorama-hotspot");
  const linkButton = document.getElementById("place-panorama-link");
  const target = document.getElementById("link-target");
  const setMode = (mode) => {
    placing = mode;
    hotspotButton.setAttribute("aria-pressed", String(mode === "hotspot"));
    linkButton.setAttribute("aria-pressed", String(mode === "link"));
    figure.dataset.placing = mode || "";
    if (mode === "hotspot") say(figure.dataset.msgPlace);
    else if (mode === "link") say(figure.dataset.msgPlaceLink);
    else say("");
  };
  hotspotButton.addEventListener("click", () => setMode(placing === "hotspot" ? null : "hotspot"));
  linkButton.addEventListener("click", () => {
    if (placing !== "link" && !target.value) {
      say(figure.dataset.msgChooseTarget);
      target.focus();
      return;
    }
    setMode(placing === "link" ? null : "link");
  });

  figure.addEventListener("panorama:pick", async (event) => {
    if (!placing) return;
    const mode = placing;
    setMode(null);
    const body = new FormData();
    body.set("yaw", String(round(event.detail.yaw)));
    body.set("pitch", String(round(event.detail.pitch)));
    body.set("lang", figure.dataset.lang);
    if (mode === "link") body.set("link", target.value);
    try {
      const answer = await post(figure.dataset.hotspotUrl, body);
      record.placed = answer.hotspot;
      location.hash = `hotspot-${answer.hotspot.id}`;
      location.reload();
    } catch (error) {
      say(error.message);
    }
  });
}

if (figure) {
  start().catch((error) => say(error.message));
}
