// Which level of detail fits this device and network. Pure functions: the browser tests
// call chooseLevel with a table of situations.
export const LEVELS = ["thumb", "low", "medium", "high"];
const SLOW_TYPES = new Set(["slow-2g", "2g", "3g"]);

// What the page knows about the device and network, with safe defaults when the browser
// does not say (Safari and Firefox have no navigator.connection).
export function situation(win = window, viewer = null) {
  const connection = win.navigator.connection || {};
  return {
    saveData: Boolean(connection.saveData) || (viewer && viewer.dataset.saveData === "on") || false,
    effectiveType: connection.effectiveType || "",
    downlink: typeof connection.downlink === "number" ? connection.downlink : null,
    deviceMemory: typeof win.navigator.deviceMemory === "number" ? win.navigator.deviceMemory : null,
    screenMin: Math.min(win.screen.width, win.screen.height),
    viewportWidth: win.innerWidth,
    online: win.navigator.onLine !== false,
  };
}

// thumb is always shown first; then:
//   low    on Save-Data, slow connections (effective type 3g or worse), small screens
//          (under 360 px), very little memory, and offline (a saved tour keeps low);
//   high   on large screens (1024 px and wider) with a fast connection (4g and, when the
//          browser estimates it, 5 Mbit/s or more);
//   medium everywhere else (ordinary phones and tablets).
// The downlink estimate alone never lowers the level: browsers start from a rough guess.
export function chooseLevel(s) {
  if (!s.online || s.saveData || SLOW_TYPES.has(s.effectiveType)) return "low";
  if (s.screenMin < 360 || (s.deviceMemory !== null && s.deviceMemory < 2)) return "low";
  const fast = (s.effectiveType === "" || s.effectiveType === "4g") && (s.downlink === null || s.downlink >= 5);
  if (s.viewportWidth >= 1024 && s.screenMin >= 600 && fast) return "high";
  return "medium";
}

// The URL of the wanted level, or of the nearest smaller level the model has.
export function bestAvailable(urls, wanted) {
  for (let index = LEVELS.indexOf(wanted); index >= 0; index -= 1) {
    const url = urls[LEVELS[index]];
    if (url) return { level: LEVELS[index], url };
  }
  return null;
}
