// Removing a model, stop, hotspot, audio or user cannot be undone: ask first (WCAG 3.3.4).
const message = document.querySelector(".studio").dataset.msgConfirm;
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  if (button && button.classList.contains("danger") && !window.confirm(message)) event.preventDefault();
});
