// Model uploads with Uppy: drag and drop or choose several files, a progress bar for each.
// Local store: tus, in chunks, resumable after a dropped connection.
// S3: straight to the bucket, multipart; the app only signs each request.
// After a dropped connection Tus resumes by itself (HEAD, then the rest of the file). The
// AwsS3 plugin gives the file up instead, so it is retried here once the network is back:
// Uppy then asks the bucket which parts it holds (ListParts) and sends only the others.
import { csrfHeaders, post } from "./request.js";

const form = document.getElementById("upload-form");
const list = document.getElementById("uploads");
const input = document.getElementById("file");
const dropzone = document.getElementById("dropzone");
const data = form.dataset;
const MB = 1024 * 1024;
const RETRY_DELAYS = [1000, 3000, 5000, 10000, 20000]; // ms; waits for "online" when offline

// What to tell the curator about a failed upload: the app's own sentence (translated, from
// the JSON error of a tus or signing request), never a library's English text or raw JSON.
function failure(error) {
  if (error && error.code) return `${data.msgFailed}: ${error.message}`;
  const response = error && error.originalResponse;
  const body = response && response.getBody ? response.getBody() : "";
  try {
    const answer = JSON.parse(body || "null");
    if (answer && answer.error && answer.error.message) return `${data.msgFailed}: ${answer.error.message}`;
  } catch {
    // not the app's JSON: a proxy's page, or no answer at all
  }
  return `${data.msgFailed}: ${data.msgUnknownError}`;
}

// The app's own sentence in an error answer (a tus request's JSON error), or "".
function appSentence(error) {
  const response = error && error.originalResponse;
  try {
    const answer = JSON.parse((response && response.getBody ? response.getBody() : "") || "null");
    return (answer && answer.error && answer.error.message) || "";
  } catch {
    return "";
  }
}

// While tus sends a chunk again because the app answered with a reason (the file store
// failing as the last chunk arrived), the file's row shows that reason, not "connection lost".
function explainRetry(error) {
  const request = error && error.originalRequest;
  const url = request && request.getURL ? request.getURL() : "";
  const sentence = appSentence(error);
  if (!url || !sentence) return;
  const path = new URL(url, location.href).pathname;
  const file = uppy.getFiles().find((f) => f.tus && f.tus.uploadUrl
    && new URL(f.tus.uploadUrl, location.href).pathname === path);
  if (file) show(file.id, sentence, "retrying");
}

// A failure worth another try: no network, a request that never got an answer, or a
// server that is overloaded or down for a moment. A refusal (4xx) is final.
function retriable(error) {
  if (navigator.onLine === false) return true;
  if (!error) return false;
  if (error.isNetworkError || error.code === "NETWORK" || error instanceof TypeError) return true;
  const response = error.originalResponse;
  const status = error.status || (response && response.getStatus ? response.getStatus() : 0);
  return status === 429 || (status >= 500 && status < 600);
}

function networkBack(delay) {
  return new Promise((resolve) => {
    if (navigator.onLine === false) window.addEventListener("online", () => resolve(), { once: true });
    else setTimeout(resolve, delay);
  });
}

const { Uppy, Tus, AwsS3 } = window.Uppy;
const uppy = new Uppy({ autoProceed: true, restrictions: { maxFileSize: Number(data.maxBytes) } });
const rows = new Map();
const attempts = new Map(); // file id -> failed attempts in a row
const best = new Map(); // file id -> the most bytes seen uploaded
const waiting = new Set(); // ids of files whose next attempt is scheduled
const finishing = []; // S3: the app taking each upload out of the bucket's incoming/ area
let uploaded = 0;

if (data.mode === "tus") {
  uppy.use(Tus, {
    endpoint: data.tusEndpoint,
    chunkSize: Number(data.chunkBytes),
    headers: csrfHeaders(),
    retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
    allowedMetaFields: ["name", "up_axis", "unit"],
    removeFingerprintOnSuccess: true,
    limit: 2,
    onShouldRetry: (error, attempt, options, next) => {
      explainRetry(error);
      return next(error);
    },
  });
} else {
  uppy.use(AwsS3, {
    shouldUseMultipart: (file) => (file.size || 0) > 8 * MB,
    getChunkSize: () => Math.max(Number(data.chunkBytes), 5 * MB),
    limit: 2,
    signRequest: (request) => post(data.signEndpoint, {
      method: request.method,
      key: request.key,
      uploadId: request.uploadId,
      partNumber: request.partNumber,
    }),
  });
}

async function finish(file, key) {
  const body = { key, name: file.name, up_axis: file.meta.up_axis, unit: file.meta.unit };
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await post(data.finishEndpoint, body);
    } catch (error) {
      if (!retriable(error) || attempt >= RETRY_DELAYS.length) throw error;
      show(file.id, data.msgRetrying, "retrying");
      await networkBack(RETRY_DELAYS[attempt]);
    }
  }
}

function row(file) {
  if (!rows.has(file.id)) {
    const item = document.createElement("li");
    const name = document.createElement("span");
    const bar = document.createElement("progress");
    const note = document.createElement("span");
    name.textContent = file.name;
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", file.name);
    note.className = "note";
    item.append(name, bar, note);
    list.append(item);
    rows.set(file.id, { item, bar, note });
  }
  return rows.get(file.id);
}

function show(id, text, kind) {
  const entry = rows.get(id);
  if (!entry) return;
  entry.note.textContent = text;
  entry.item.className = kind || "";
}

function done(file) {
  uploaded += 1;
  show(file.id, data.msgDone, "done");
}

function unfinished(file) {
  return file.progress.uploadStarted && !file.progress.uploadComplete && !file.error;
}

// Reload to list the new models once nothing is moving any more (uploads, retries, finishes).
function settle() {
  Promise.allSettled(finishing).then(() => {
    const busy = waiting.size > 0 || uppy.getFiles().some(unfinished);
    if (uploaded > 0 && !busy) setTimeout(() => location.reload(), 800);
  });
}

function retryLater(file, error) {
  const failed = attempts.get(file.id) || 0;
  if (!retriable(error) || failed >= RETRY_DELAYS.length) return false;
  attempts.set(file.id, failed + 1);
  waiting.add(file.id);
  show(file.id, data.msgRetrying, "retrying");
  networkBack(RETRY_DELAYS[failed]).then(() => {
    waiting.delete(file.id);
    if (uppy.getFile(file.id)) uppy.retryUpload(file.id).then(settle, settle);
    else settle();
  });
  return true;
}

function addFiles(files) {
  const options = { up_axis: document.getElementById("up_axis").value, unit: document.getElementById("unit").value };
  for (const file of files) {
    try {
      const id = uppy.addFile({ name: file.name, type: file.type, data: file, meta: options });
      row(uppy.getFile(id));
    } catch (error) {
      const entry = row({ id: file.name + Math.random(), name: file.name });
      entry.note.textContent = error.isRestriction ? data.msgTooLarge : failure(error);
      entry.item.className = "error";
    }
  }
}

uppy.on("upload-progress", (file, progress) => {
  if (!progress.bytesTotal) return;
  row(file).bar.value = Math.round((100 * progress.bytesUploaded) / progress.bytesTotal);
  if (progress.bytesUploaded > (best.get(file.id) || 0)) {
    // New bytes arrive: the connection works, and a later drop starts its retries afresh.
    best.set(file.id, progress.bytesUploaded);
    attempts.delete(file.id);
    if (row(file).item.className === "retrying") show(file.id, "", "");
  }
});
uppy.on("upload-success", (file, response) => {
  row(file).bar.value = 100;
  if (data.mode === "tus") {
    done(file);
    return;
  }
  const key = (response && response.body && response.body.key) || (file.s3Multipart || {}).key;
  finishing.push(finish(file, key).then(
    () => done(file),
    (error) => show(file.id, failure(error), "error"),
  ));
});
uppy.on("upload-error", (file, error) => {
  if (!file || retryLater(file, error)) return;
  show(file.id, failure(error), "error");
});
uppy.on("upload-retry", (file) => show(typeof file === "string" ? file : file.id, data.msgRetrying, "retrying"));
uppy.on("is-offline", () => {
  for (const file of uppy.getFiles()) if (unfinished(file)) show(file.id, data.msgRetrying, "retrying");
});
uppy.on("complete", settle);

document.getElementById("upload-button").hidden = true;
input.addEventListener("change", () => { addFiles(input.files); input.value = ""; });
if (input.files.length) { addFiles(input.files); input.value = ""; } // chosen before this ran
form.addEventListener("submit", (event) => event.preventDefault());
for (const name of ["dragenter", "dragover"]) {
  dropzone.addEventListener(name, (event) => { event.preventDefault(); dropzone.classList.add("over"); });
}
dropzone.addEventListener("dragleave", () => dropzone.classList.remove("over"));
dropzone.addEventListener("drop", (event) => {
  event.preventDefault();
  dropzone.classList.remove("over");
  addFiles(event.dataTransfer.files);
});
