// A stop's lighting preset on a model-viewer: environment, exposure, shadow and tone mapping,
// and for "clay" one matte colour on every material, so that untextured scans read as
// objects. The studio previews presets live with it; the stop page applies the stop's own.
const ATTRIBUTES = {
  environment_image: "environment-image",
  exposure: "exposure",
  shadow_intensity: "shadow-intensity",
  shadow_softness: "shadow-softness",
  tone_mapping: "tone-mapping",
};
const originals = new WeakMap();

function paintClay(viewer, preset) {
  if (!viewer.model) return;
  for (const material of viewer.model.materials) {
    const pbr = material.pbrMetallicRoughness;
    if (!originals.has(material)) {
      originals.set(material, {
        color: [...pbr.baseColorFactor],
        metal: pbr.metallicFactor,
        rough: pbr.roughnessFactor,
        texture: pbr.baseColorTexture.texture,
      });
    }
    const kept = originals.get(material);
    if (preset && preset.base_color) {
      pbr.setBaseColorFactor(preset.base_color);
      pbr.setMetallicFactor(0);
      pbr.setRoughnessFactor(preset.roughness ?? 0.9);
      pbr.baseColorTexture.setTexture(null);
    } else {
      pbr.setBaseColorFactor(kept.color);
      pbr.setMetallicFactor(kept.metal);
      pbr.setRoughnessFactor(kept.rough);
      pbr.baseColorTexture.setTexture(kept.texture);
    }
  }
}

// Apply `preset` (null: model-viewer's defaults with the page's shadow) now and at every
// model load (a new level brings new materials).
export function applyLighting(viewer, preset) {
  for (const [name, attribute] of Object.entries(ATTRIBUTES)) {
    if (preset && preset[name] !== undefined) viewer.setAttribute(attribute, String(preset[name]));
    else if (attribute === "shadow-intensity") viewer.setAttribute(attribute, "1");
    else viewer.removeAttribute(attribute);
  }
  viewer.dataset.lighting = preset ? JSON.stringify(preset) : "";
  paintClay(viewer, preset);
  if (!viewer.dataset.lightingBound) {
    viewer.dataset.lightingBound = "yes";
    viewer.addEventListener("load", () => {
      const current = viewer.dataset.lighting ? JSON.parse(viewer.dataset.lighting) : null;
      paintClay(viewer, current);
    });
  }
}
