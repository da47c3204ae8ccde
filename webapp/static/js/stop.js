// Moving between stops: swipe left or right on the page (not on the 3D model, which turns),
// or use the arrow keys. The links stay the real way; this only follows them.
const next = document.querySelector("a[rel=next]");
const prev = document.querySelector("a[rel=prev]");
const MIN_DISTANCE = 60;
let start = null;

function follow(link) {
  if (link) window.location.assign(link.href);
}

document.addEventListener(
  "touchstart",
  (event) => {
    const touch = event.touches[0];
    const onModel = event.target.closest && event.target.closest("model-viewer, .panorama, input, audio, details");
    start = event.touches.length === 1 && !onModel ? { x: touch.clientX, y: touch.clientY } : null;
  },
  { passive: true },
);

document.addEventListener(
  "touchend",
  (event) => {
    if (!start) return;
    const touch = event.changedTouches[0];
    const dx = touch.clientX - start.x;
    const dy = touch.clientY - start.y;
    start = null;
    if (Math.abs(dx) < MIN_DISTANCE || Math.abs(dx) < 2 * Math.abs(dy)) return;
    follow(dx < 0 ? next : prev);
  },
  { passive: true },
);

document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  if (event.target.closest && event.target.closest("model-viewer, .panorama, input, select, textarea, audio")) return;
  if (event.key === "ArrowRight") follow(next);
  if (event.key === "ArrowLeft") follow(prev);
});
