// Sharing a tour from its end page: the phone's own share sheet (Web Share API) when there
// is one, and "Copy link" everywhere (the clipboard, or selecting the link when the
// clipboard is refused). Without JavaScript the link stays visible to copy by hand.
const section = document.getElementById("share");

function say(text) {
  document.getElementById("share-status").textContent = text;
}

async function copyLink(input) {
  try {
    await navigator.clipboard.writeText(input.value);
    say(section.dataset.msgCopied);
  } catch {
    input.focus();
    input.select();
    say(document.execCommand && document.execCommand("copy") ? section.dataset.msgCopied : section.dataset.msgCopyFailed);
  }
}

function init() {
  if (!section) return;
  const input = document.getElementById("share-url");
  const share = document.getElementById("share-button");
  const copy = document.getElementById("copy-link");
  const data = { title: section.dataset.title, text: section.dataset.text, url: input.value };
  if (navigator.share && (!navigator.canShare || navigator.canShare(data))) {
    share.hidden = false;
    share.addEventListener("click", async () => {
      try {
        await navigator.share(data);
      } catch (error) {
        if (error.name !== "AbortError") await copyLink(input);
      }
    });
  }
  copy.hidden = false;
  copy.addEventListener("click", () => copyLink(input));
}

init();
