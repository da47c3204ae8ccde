// Nothing typed is lost. Every form marked data-draft keeps what the curator types in this
// browser (localStorage, one draft per form address, so one per text and language) until
// the server holds the same text. A draft the server does not hold yet (the save failed,
// the page was left, another language tab was opened) is put back when the form is shown
// again, with a notice and a way to discard it. Leaving the page with unsaved text asks
// first, except through the language tabs, whose drafts are kept anyway.
const PREFIX = "heritour-draft:";
const studio = document.querySelector(".studio");
const forms = [...document.querySelectorAll("form[data-draft]")];
const saved = new Map(); // form -> the values the server holds
let leaving = false;

function fields(form) {
  return [...form.querySelectorAll("textarea[name], input[name]:not([type]), input[name][type=text]")];
}

function valuesOf(form) {
  return Object.fromEntries(fields(form).map((field) => [field.name, field.value]));
}

// The server trims what it stores: a draft that differs only by spaces is saved.
function same(a, b) {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].every((name) => (a[name] || "").trim() === (b[name] || "").trim());
}

function keyOf(form) {
  return PREFIX + form.dataset.draft;
}

function readDraft(form) {
  try {
    const draft = JSON.parse(localStorage.getItem(keyOf(form)) || "null");
    return draft && typeof draft.values === "object" ? draft : null;
  } catch {
    return null;
  }
}

function fill(form, values) {
  for (const field of fields(form)) {
    if (field.name in values) field.value = values[field.name];
    field.dispatchEvent(new Event("input", { bubbles: true })); // previews follow
  }
}

function restore(form, draft) {
  fill(form, draft.values);
  const notice = document.createElement("p");
  notice.className = "draft-notice";
  notice.setAttribute("role", "status");
  notice.textContent = `${studio.dataset.msgDraftRestored} `;
  const discard = document.createElement("button");
  discard.type = "button";
  discard.className = "link";
  discard.textContent = studio.dataset.msgDraftDiscard;
  discard.addEventListener("click", () => {
    fill(form, saved.get(form));
    localStorage.removeItem(keyOf(form));
    notice.remove();
  });
  notice.append(discard);
  form.prepend(notice);
}

function remember(form) {
  const values = valuesOf(form);
  try {
    if (same(values, saved.get(form))) localStorage.removeItem(keyOf(form));
    else localStorage.setItem(keyOf(form), JSON.stringify({ values, at: Date.now() }));
  } catch {
    // storage full or refused: the warning before leaving still protects the text
  }
}

for (const form of forms) {
  saved.set(form, valuesOf(form));
  const draft = readDraft(form);
  if (draft && same(draft.values, saved.get(form))) localStorage.removeItem(keyOf(form));
  else if (draft) restore(form, draft);
  form.addEventListener("input", () => remember(form));
  form.addEventListener("submit", () => {
    remember(form);
    leaving = true;
  });
}

for (const tab of document.querySelectorAll(".language-tabs a")) {
  tab.addEventListener("click", () => {
    forms.forEach(remember);
    leaving = true;
  });
}

window.addEventListener("pageshow", () => {
  leaving = false; // back on this page (from the browser's cache): guard it again
});

window.addEventListener("beforeunload", (event) => {
  if (leaving || forms.every((form) => same(valuesOf(form), saved.get(form)))) return;
  forms.forEach(remember);
  event.preventDefault();
  event.returnValue = "";
});

// A link to a text (from the translation matrix) lands in the field, ready to write.
const linked = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
if (linked && linked.matches("input, textarea")) linked.focus();
