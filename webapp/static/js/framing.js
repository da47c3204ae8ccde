// What the curator framed stays in view on any screen. A stop keeps the rectangle that was in
// view around the camera target (half sizes in metres, at the target's distance); each canvas
// keeps the orbit's direction, target and field of view, and moves the camera back or forth
// so that the whole rectangle fits its own width and height. The same sums are in
// models3d/camera.py (the server's posters); the browser tests check the two agree.
const RADIANS = Math.PI / 180;

// The rectangle in view at distance `radius` with vertical field of view `fovDeg`.
export function framedBox(radius, fovDeg, aspect) {
  const halfHeight = radius * Math.tan((fovDeg * RADIANS) / 2);
  return { half_width: halfHeight * aspect, half_height: halfHeight };
}

// The distance that keeps `framing` wholly in view on a canvas of `aspect` (width / height).
export function fitRadius(framing, fovDeg, aspect) {
  const tangent = Math.tan((fovDeg * RADIANS) / 2);
  return Math.max(framing.half_height / tangent, framing.half_width / (aspect * tangent));
}

export function aspectOf(viewer) {
  const { width, height } = viewer.getBoundingClientRect();
  return height > 0 ? width / height : 1;
}

// What is framed on this viewer's canvas now.
export function currentFraming(viewer) {
  return framedBox(viewer.getCameraOrbit().radius, viewer.getFieldOfView(), aspectOf(viewer));
}

// model-viewer applies camera changes in its next update; this waits for them.
async function settle(viewer) {
  viewer.jumpCameraToGoal();
  await viewer.updateComplete;
  await new Promise((resolve) => setTimeout(resolve, 0));
}

// Move the camera so that `framing` fits this canvas, keeping the orbit's angles (those of
// `orbit`, in model-viewer's notation), the target and the field of view. Resolves to the
// distance chosen, in metres.
export async function applyFraming(viewer, framing, orbit) {
  viewer.cameraOrbit = orbit;
  await settle(viewer);
  const { theta, phi } = viewer.getCameraOrbit();
  const radius = fitRadius(framing, viewer.getFieldOfView(), aspectOf(viewer));
  const fitted = `${theta}rad ${phi}rad ${radius}m`;
  viewer.cameraOrbit = fitted;
  await settle(viewer);
  // model-viewer caps the distance (by default just beyond where the whole model fits).
  if (viewer.getCameraOrbit().radius < radius * 0.999) {
    viewer.maxCameraOrbit = `auto auto ${radius}m`;
    viewer.cameraOrbit = fitted;
    await settle(viewer);
  }
  return radius;
}

// Keep `framing` in view on this viewer: at each model load and canvas resize, until the
// visitor turns or zooms the model themselves.
export function keepFramed(viewer, framing) {
  if (!framing) return;
  const orbit = viewer.getAttribute("camera-orbit") || "auto auto auto";
  let touched = false;
  let running = Promise.resolve();
  // One fitting at a time: a resize and a load arriving together must not interleave.
  const apply = () => {
    running = running.then(async () => {
      if (touched || viewer.dataset.framingHeld || !viewer.loaded) return;
      const src = viewer.getAttribute("src") || "";
      const radius = await applyFraming(viewer, framing, orbit);
      viewer.dataset.framedRadius = radius.toFixed(4);
      viewer.dataset.framedSrc = src;
      viewer.dispatchEvent(new CustomEvent("heritour-framed", { detail: { radius } }));
    });
  };
  viewer.addEventListener("camera-change", (event) => {
    if (event.detail && event.detail.source === "user-interaction") touched = true;
  });
  viewer.addEventListener("load", apply);
  if ("ResizeObserver" in window) new ResizeObserver(apply).observe(viewer);
}
