// Buttons marked data-print print the page (the QR code sheet).
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
