// The model page's level buttons: each shows its level of detail in the viewer below.
const buttons = document.querySelectorAll(".show-level");
for (const button of buttons) {
  button.addEventListener("click", () => {
    document.getElementById("level-viewer").src = button.dataset.src;
    for (const other of buttons) other.setAttribute("aria-pressed", String(other === button));
  });
}
