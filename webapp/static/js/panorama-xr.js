// WebXR for panoramas: the visitor steps into the picture with a headset (immersive-vr).
// three.js's own WebXR support draws the viewer's scene for each eye: the renderer is Photo
// Sphere Viewer's, the camera at the sphere's centre follows the headset. Links become discs
// with their label in the scene; selecting one (controller trigger, hand pinch, gaze tap)
// loads the target stop's panorama without leaving the session.
const LINK_DISTANCE = 6;
const LINK_RADIUS = 0.45;
const LABEL_HEIGHT = 0.5;

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

function linkObject(library, viewer, link) {
  const { Group, Mesh, MeshBasicMaterial, PlaneGeometry, RingGeometry } = library;
  const group = new Group();
  const overlay = { depthTest: false, depthWrite: false, transparent: true };
  const disc = new Mesh(new RingGeometry(0, LINK_RADIUS, 48), new MeshBasicMaterial({ color: 0xffffff, opacity: 0.85, ...overlay }));
  const ring = new Mesh(new RingGeometry(LINK_RADIUS, LINK_RADIUS * 1.2, 48), new MeshBasicMaterial({ color: 0xa33b20, ...overlay }));
  const label = new Mesh(
    new PlaneGeometry(LABEL_HEIGHT * (512 / 96), LABEL_HEIGHT),
    new MeshBasicMaterial({ map: labelTexture(library, link.label), ...overlay }),
  );
  label.position.y = -(LINK_RADIUS * 1.2 + LABEL_HEIGHT);
  for (const mesh of [disc, ring, label]) {
    mesh.renderOrder = 10;
    mesh.userData.link = link;
    group.add(mesh);
  }
  const radians = Math.PI / 180;
  const direction = { yaw: (Number(link.yaw) || 0) * radians, pitch: (Number(link.pitch) || 0) * radians };
  viewer.dataHelper.sphericalCoordsToVector3(direction, group.position, LINK_DISTANCE);
  group.lookAt(0, 0, 0);
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
 * straight ahead (degrees), links() lists the current links,
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
    const state = { session, renderer, links: null, frames: 0 };
    const countFrame = () => {
      state.frames += 1;
    };
    viewer.addEventListener("before-render", countFrame);

    const scene = new library.Group();
    const links = new library.Group();
    const rig = rigFacing(library, viewer, hooks.startYaw());
    const camera = viewer.renderer.camera;
    rig.add(camera);
    scene.add(links, rig);
    const showLinks = () => {
      dispose(links);
      links.clear();
      for (const link of hooks.links()) links.add(linkObject(library, viewer, link));
    };
    showLinks();
    const raycaster = new library.Raycaster();
    let busy = false;
    const onSelect = (event) => {
      if (busy) return;
      raycaster.setFromXRController(event.target);
      const hit = raycaster.intersectObjects(links.children, true)[0];
      const link = hit && hit.object.userData.link;
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
        dispose(links);
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
    window.heritourPanorama.xr = state;
    await hooks.enter();
    return session;
  });
}
