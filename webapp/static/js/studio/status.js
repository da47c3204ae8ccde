// Live processing status: poll each model that is still being processed, update its
// progress bar, and reload the page (to show the report) once it is ready or rejected.
const waiting = [...document.querySelectorAll("[data-status-url]")].filter(
  (el) => el.dataset.status === "uploaded" || el.dataset.status === "processing",
);

async function poll(element) {
  try {
    const response = await fetch(element.dataset.statusUrl, { credentials: "same-origin" });
    if (response.ok) {
      const { model } = await response.json();
      const bar = element.querySelector("progress");
      if (bar) bar.value = model.progress;
      if (!["uploaded", "processing"].includes(model.status)) {
        location.reload();
        return;
      }
    }
  } catch (error) {
    // The network may come back: keep polling.
  }
  setTimeout(() => poll(element), 1500);
}

for (const element of waiting) poll(element);
