// Which tile levels of a panorama this device and network may fetch. Pure functions: the
// browser tests call them with tables of cases. The quality comes from levels.js's
// chooseLevel (the same decision as for 3D models: Save-Data, slow connection, small screen,
// little memory and offline give "low").
export const PANORAMA_MAX_WIDTH = { low: 2048, medium: 8192, high: Infinity };
// Photo Sphere Viewer's tiles adapter draws a sphere of 64 × 32 faces: no level may have more
// columns or rows than that.
const MAX_COLS = 64;

// The levels (smallest first, each with its index in the server's list, which is its folder
// name in the tiles URL) that ``quality`` allows. The smallest level is always allowed.
export function panoramaLevels(levels, quality) {
  const cap = PANORAMA_MAX_WIDTH[quality] ?? PANORAMA_MAX_WIDTH.medium;
  const usable = (levels || [])
    .map((level, index) => ({ ...level, index }))
    .filter((level) => level.cols <= MAX_COLS && level.rows <= MAX_COLS / 2)
    .sort((a, b) => a.width - b.width);
  const allowed = usable.filter((level) => level.width <= cap);
  return allowed.length > 0 || usable.length === 0 ? allowed : usable.slice(0, 1);
}
