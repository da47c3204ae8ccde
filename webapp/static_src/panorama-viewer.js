// The panorama viewer's third-party code, bundled at `make setup` (the Makefile's vendor rule)
// into one self-hosted ES module, webapp/static/vendor/panorama-viewer.js, with its styles
// beside it. three.js comes from Photo Sphere Viewer's own copy (the Makefile aliases it), so
// the objects made here for WebXR belong to the same three.js as the viewer's renderer.
import "@photo-sphere-viewer/core/index.css";
import "@photo-sphere-viewer/markers-plugin/index.css";

export { Viewer, events } from "@photo-sphere-viewer/core";
export { EquirectangularTilesAdapter } from "@photo-sphere-viewer/equirectangular-tiles-adapter";
export { GyroscopePlugin } from "@photo-sphere-viewer/gyroscope-plugin";
export { MarkersPlugin } from "@photo-sphere-viewer/markers-plugin";
export {
  CanvasTexture,
  CircleGeometry,
  Group,
  Mesh,
  MeshBasicMaterial,
  PlaneGeometry,
  Raycaster,
  RingGeometry,
  SRGBColorSpace,
  Vector3,
} from "three";
