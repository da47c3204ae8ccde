// WebXR for panoramas: the visitor steps into the picture with a headset (immersive-vr).
// three.js's own WebXR support draws the viewer's scene for each eye: the renderer is Photo
// Sphere Viewer's, the camera at the sphere's centre follows the headset. Links become discs
// with their label in the scene; selecting one (controller trigger, hand pinch, gaze tap)
// loads the target stop's panorama without leaving the session. Hotspots become numbered
// discs with their label; selecting one opens its text on a panel under it (selecting the
// disc or the panel again closes it), since the page's own hotspot buttons and text are not
// drawn inside the headset.
const LINK_DISTANCE = 6;
const LINK_RADIUS = 0.45;
const LABEL_HEIGHT = 0.5;
const SPOT_RADIUS = 0.35;
const PANEL_WIDTH = 3.2;
const PANEL_PIXELS = 1024;
const PANEL_LINE = 52; // pixels per line of body text
const PANEL_MAX_LINES = 12;
const ACCENT = "#a33b20";

/** Whether an immersive-vr session can start here (false when WebXR is missing or says no). */
export function vrSupported() {
  const xr = navigator.xr;
  if (!xr || typeof xr.isSessionSupported !== "function") return Promise.resolve(false);
  return xr.isSessionSupported("immersive-vr").catch(() => false);
}

// A label texture: the link's text, white on a dark rounded band.
function labelTexture(library, text) {
  const canvas = document.createElement("canvas");
  canvas.width = 512;
  canvas.height = 96;
  const context = canvas.getContext("2d");
  context.fillStyle = "rgba(20, 20, 20, 0.75)";
  context.beginPath();
  context.roundRect(0, 0, canvas.width, canvas.height, 40);
  context.fill();
  context.fillStyle = "#fff";
  context.font = "600 44px system-ui, sans-serif";
  context.textAlign = "center";
  context.textBaseline = "middle";
  context.fillText(text, canvas.width / 2, canvas.height / 2, canvas.width - 32);
  return new library.CanvasTexture(canvas);
}

// Lines of ``text`` that fit ``width`` pixels with the context's font: broken at spaces where
// there are some, anywhere in scripts written without them (Chinese, Japanese).
function wrap(context, text, width) {
  const lines = [];
  let line = "";
  for (const char of text.replace(/\s+/g, " ").trim()) {
    const next = line + char;
    if (context.measureText(next).width <= width || line === "") {
      line = next;
      continue;
    }
    const space = line.lastIndexOf(" ");
    if (char !== " " && space > 0) {
      lines.push(line.slice(0, space));
      line = line.slice(space + 1) + char;
    } else {
      lines.push(line.trimEnd());
      line = char === " " ? "" : char;
    }
  }
  if (line) lines.push(line);
  return lines;
}

// The plain text of a hotspot's (server-sanitised) HTML.
function plainText(html) {
  return new DOMParser().parseFromString(html || "", "text/html").body.textContent || "";
}

// A hotspot's number on an accent disc with a white ring.
function numberTexture(library, number) {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 128;
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";
  context.beginPath();
  context.arc(64, 64, 62, 0, 2 * Math.PI);
  context.fill();
  context.fillStyle = ACCENT;
  context.beginPath();
  context.arc(64, 64, 54, 0, 2 * Math.PI);
  context.fill();
  context.fillStyle = "#fff";
  context.font = "700 64px system-ui, sans-serif";
  context.textAlign = "center";
  context.textBaseline = "middle";
  context.fillText(String(number), 64, 68);
  return new library.CanvasTexture(canvas);
}

// The open hotspot's text: its label and body, dark on white, as tall as the text needs.
function panelTexture(library, spot) {
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d");
  const margin = 40;
  context.font = "400 40px system-ui, sans-serif";
  let lines = wrap(context, plainText(spot.html), PANEL_PIXELS - 2 * margin);
  if (lines.length > PANEL_MAX_LINES) lines = [...lines.slice(0, PANEL_MAX_LINES - 1), `${lines[PANEL_MAX_LINES - 1]}…`];
  canvas.width = PANEL_PIXELS;
  canvas.height = 2 * margin + 64 + lines.length * PANEL_LINE;
  context.fillStyle = "rgba(255, 255, 255, 0.95)";
  context.beginPath();
  context.roundRect(0, 0, canvas.width, canvas.height, 32);
  context.fill();
  context.fillStyle = "#1e1e1e";
  context.textBaseline = "top";
  context.font = "700 46px system-ui, sans-serif";
  context.fillText(spot.label, margin, margin, PANEL_PIXELS - 2 * margin);
  context.font = "400 40px system-ui, sans-serif";
  lines.forEach((line, index) => context.fillText(line, margin, margin + 64 + index * PANEL_LINE));
  return { texture: new library.CanvasTexture(canvas), aspect: canvas.height / canvas.width };
}

const OVERLAY = { depthTest: false, depthWrite: false, transparent: true };

// A group at direction ``item`` (yaw and pitch in degrees), facing the visitor.
function placed(library, viewer, item, distance) {
  const group = new library.Group();
  const radians = Math.PI / 180;
  const direction = { yaw: (Number(item.yaw) || 0) * radians, pitch: (Number(item.pitch) || 0) * radians };
  viewer.dataHelper.sphericalCoordsToVector3(direction, group.position, distance);
  group.lookAt(0, 0, 0);
  return group;
}

function labelMesh(library, text, below) {
  const { Mesh, MeshBasicMaterial, PlaneGeometry } = library;
  const label = new Mesh(
    new PlaneGeometry(LABEL_HEIGHT * (512 / 96), LABEL_HEIGHT),
    new MeshBasicMaterial({ map: labelTexture(library, text), ...OVERLAY }),
  );
  label.position.y = -(below + LABEL_HEIGHT);
  return label;
}

function hotspotObject(library, viewer, spot, number) {
  const { Mesh, MeshBasicMaterial, CircleGeometry } = library;
  const group = placed(library, viewer, spot, LINK_DISTANCE);
  const disc = new Mesh(new CircleGeometry(SPOT_RADIUS, 48), new MeshBasicMaterial({ map: numberTexture(library, number), ...OVERLAY }));
  const label = labelMesh(library, spot.label, SPOT_RADIUS * 1.1);
  for (const mesh of [disc, label]) {
    mesh.renderOrder = 10;
    mesh.userData.hotspot = spot;
    group.add(mesh);
  }
  return group;
}

// The text panel of hotspot ``spot``, under its disc and label, a little nearer the visitor.
function panelObject(library, viewer, spot) {
  const { Mesh, MeshBasicMaterial, PlaneGeometry } = library;
  const group = placed(library, viewer, spot, LINK_DISTANCE - 0.5);
  const { texture, aspect } = panelTexture(library, spot);
  const height = PANEL_WIDTH * aspect;
  const panel = new Mesh(new PlaneGeometry(PANEL_WIDTH, height), new MeshBasicMaterial({ map: texture, ...OVERLAY }));
  panel.position.y = -(SPOT_RADIUS * 1.1 + LABEL_HEIGHT * 1.2 + height / 2);
  panel.renderOrder = 11;
  panel.userData.panel = spot;
  group.add(panel);
  return group;
}

function linkObject(library, viewer, link) {
  const { Mesh, MeshBasicMaterial, RingGeometry } = library;
  const group = placed(library, viewer, link, LINK_DISTANCE);
  const disc = new Mesh(new RingGeometry(0, LINK_RADIUS, 48), new MeshBasicMaterial({ color: 0xffffff, opacity: 0.85, ...OVERLAY }));
  const ring = new Mesh(new RingGeometry(LINK_RADIUS, LINK_RADIUS * 1.2, 48), new MeshBasicMaterial({ color: ACCENT, ...OVERLAY }));
  const label = labelMesh(library, link.label, LINK_RADIUS * 1.2);
  for (const mesh of [disc, ring, label]) {
    mesh.renderOrder = 10;
    mesh.userData.link = link;
    group.add(mesh);
  }
  return group;
}

function dispose(group) {
  group.traverse((object) => {
    if (!object.isMesh) return;
    object.geometry.dispose();
    if (object.material.map) object.material.map.dispose();
    object.material.dispose();
  });
}

// After the session: Photo Sphere Viewer's camera back where the viewer's state says.
function restoreCamera(viewer) {
  const camera = viewer.renderer.camera;
  camera.fov = viewer.state.vFov;
  camera.aspect = viewer.state.aspect;
  camera.updateProjectionMatrix();
  camera.position.set(0, 0, 0);
  camera.lookAt(viewer.state.direction);
  camera.updateMatrix();
  camera.updateMatrixWorld();
  viewer.needsUpdate();
}

// The visitor's rig: the viewer's camera and the controllers, turned so that the stop's start
// direction (yaw in degrees) is straight ahead when the session starts.
function rigFacing(library, viewer, yaw) {
  const ahead = viewer.dataHelper.sphericalCoordsToVector3({ yaw: yaw * (Math.PI / 180), pitch: 0 });
  const rig = new library.Group();
  rig.rotation.y = Math.atan2(-ahead.x, -ahead.z);
  return rig;
}

/**
 * Start an immersive-vr session around ``viewer``. Must be called from a click (WebXR asks for a
 * user gesture). ``hooks``: enter() shows the full panorama, startYaw() is the direction put
 * straight ahead (degrees), links() and hotspots() list the current links and hotspots,
 * opened(spot) is told when a hotspot's text is opened,
 * follow(link) loads a link's target and resolves once its panorama is set. Events on
 * ``element``: panorama:enter-vr, panorama:exit-vr.
 */
export function enterVR(viewer, library, hooks, element) {
  return navigator.xr.requestSession("immersive-vr").then(async (session) => {
    const renderer = viewer.renderer.renderer; // three.js's WebGLRenderer inside the viewer
    renderer.xr.enabled = true;
    renderer.xr.setReferenceSpaceType("local");
    await renderer.xr.setSession(session);
    viewer.state.continuousUpdateCount += 1; // every XR frame is drawn, not only after a move
    const state = { session, renderer, links: null, hotspots: null, open: null, frames: 0 };
    const countFrame = () => {
      state.frames += 1;
    };
    viewer.addEventListener("before-render", countFrame);

    const scene = new library.Group();
    const links = new library.Group();
    const hotspots = new library.Group();
    const rig = rigFacing(library, viewer, hooks.startYaw());
    const camera = viewer.renderer.camera;
    rig.add(camera);
    scene.add(hotspots, links, rig);
    let panel = null;
    const closePanel = () => {
      if (panel) {
        scene.remove(panel);
        dispose(panel);
      }
      panel = null;
      state.open = null;
    };
    const openPanel = (spot) => {
      closePanel();
      panel = panelObject(library, viewer, spot);
      scene.add(panel);
      state.open = spot.id;
      hooks.opened(spot);
    };
    const showLinks = () => {
      closePanel();
      for (const group of [links, hotspots]) {
        dispose(group);
        group.clear();
      }
      for (const link of hooks.links()) links.add(linkObject(library, viewer, link));
      hooks.hotspots().forEach((spot, index) => hotspots.add(hotspotObject(library, viewer, spot, index + 1)));
    };
    showLinks();
    const raycaster = new library.Raycaster();
    let busy = false;
    const onSelect = (event) => {
      if (busy) return;
      raycaster.setFromXRController(event.target);
      const targets = panel ? [panel, ...hotspots.children, ...links.children] : [...hotspots.children, ...links.children];
      const hit = raycaster.intersectObjects(targets, true)[0];
      const data = hit ? hit.object.userData : {};
      if (data.panel) {
        closePanel();
        return;
      }
      if (data.hotspot) {
        if (state.open === data.hotspot.id) closePanel();
        else openPanel(data.hotspot);
        return;
      }
      const link = data.link;
      if (!link) return;
      if (!link.config) {
        session.end().then(() => window.location.assign(link.href));
        return;
      }
      busy = true;
      hooks
        .follow(link)
        .then(showLinks)
        .catch(() => {})
        .finally(() => {
          busy = false;
        });
    };
    const controllers = [0, 1].map((index) => renderer.xr.getController(index));
    for (const controller of controllers) {
      controller.addEventListener("select", onSelect);
      rig.add(controller);
    }
    viewer.renderer.addObject(scene);

    session.addEventListener(
      "end",
      () => {
        for (const controller of controllers) controller.removeEventListener("select", onSelect);
        viewer.removeEventListener("before-render", countFrame);
        viewer.renderer.removeObject(scene);
        closePanel();
        dispose(links);
        dispose(hotspots);
        viewer.state.continuousUpdateCount -= 1;
        renderer.xr.enabled = false;
        rig.remove(camera);
        restoreCamera(viewer);
        element.dispatchEvent(new CustomEvent("panorama:exit-vr"));
      },
      { once: true },
    );
    element.dispatchEvent(new CustomEvent("panorama:enter-vr"));
    state.links = links;
    state.hotspots = hotspots;
    window.heritourPanorama.xr = state;
    await hooks.enter();
    return session;
  });
}
