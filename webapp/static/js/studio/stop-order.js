// Reorder stops by drag and drop (the ↑ ↓ buttons do the same without JavaScript).
import { post } from "./request.js";

const list = document.getElementById("stop-list");
let dragged = null;

async function saveOrder() {
  // Until the new order is saved and the page reloaded, the ↑ ↓ buttons would post a stale order.
  list.setAttribute("aria-busy", "true");
  for (const button of list.querySelectorAll("button")) button.disabled = true;
  const stops = [...list.querySelectorAll("li[data-stop-id]")].map((li) => Number(li.dataset.stopId));
  // A refused order changes nothing: the reloaded page shows the order that is saved.
  await post(list.dataset.orderUrl, { stops }).catch(() => {});
  location.reload();
}

if (list) {
  list.addEventListener("dragstart", (event) => {
    dragged = event.target.closest("li");
    event.dataTransfer.effectAllowed = "move";
    dragged.classList.add("dragging");
  });
  list.addEventListener("dragover", (event) => {
    event.preventDefault();
    const over = event.target.closest("li");
    if (!dragged || !over || over === dragged) return;
    const box = over.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    list.insertBefore(dragged, after ? over.nextSibling : over);
  });
  list.addEventListener("drop", (event) => {
    event.preventDefault();
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    saveOrder();
  });
  list.addEventListener("dragend", () => { if (dragged) dragged.classList.remove("dragging"); });
}
