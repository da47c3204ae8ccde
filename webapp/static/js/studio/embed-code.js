// "Embed this stop": copies the iframe code to the clipboard, or selects it for copying by
// hand when the clipboard is refused. Without JavaScript the code stays there to select.
const section = document.getElementById("embed");

async function copy(snippet, status) {
  try {
    await navigator.clipboard.writeText(snippet.value);
    status.textContent = section.dataset.msgCopied;
  } catch {
    snippet.focus();
    snippet.select();
    status.textContent = section.dataset.msgCopyFailed;
  }
}

if (section) {
  const button = document.getElementById("copy-embed");
  const snippet = document.getElementById("embed-snippet");
  const status = document.getElementById("embed-status");
  button.hidden = false;
  button.addEventListener("click", () => copy(snippet, status));
  snippet.addEventListener("focus", () => snippet.select());
}
