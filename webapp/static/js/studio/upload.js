// Model uploads with Uppy: drag and drop or choose several files, a progress bar for each.
// Local store: tus, in chunks, resumable after a dropped connection.
// S3: straight to the bucket, multipart; the app only signs each request.
const form = document.getElementById("upload-form");
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const list = document.getElementById("uploads");
const input = document.getElementById("file");
const dropzone = document.getElementById("dropzone");
const data = form.dataset;
const MB = 1024 * 1024;

async function postJSON(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify(body),
    credentials: "same-origin",
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error ? answer.error.message : response.statusText);
  return answer;
}

const { Uppy, Tus, AwsS3 } = window.Uppy;
const uppy = new Uppy({ autoProceed: true, restrictions: { maxFileSize: Number(data.maxBytes) } });
const rows = new Map();

if (data.mode === "tus") {
  uppy.use(Tus, {
    endpoint: data.tusEndpoint,
    chunkSize: Number(data.chunkBytes),
    headers: { "X-CSRFToken": csrf },
    retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
    allowedMetaFields: ["name", "up_axis", "unit"],
    removeFingerprintOnSuccess: true,
    limit: 2,
  });
} else {
  uppy.use(AwsS3, {
    shouldUseMultipart: (file) => (file.size || 0) > 8 * MB,
    getChunkSize: () => Math.max(Number(data.chunkBytes), 5 * MB),
    limit: 2,
    signRequest: (request) => postJSON(data.signEndpoint, {
      method: request.method,
      key: request.key,
      uploadId: request.uploadId,
      partNumber: request.partNumber,
    }),
  });
  uppy.on("upload-success", (file, response) => {
    const key = (response && response.body && response.body.key) || (file.s3Multipart || {}).key;
    postJSON(data.finishEndpoint, { key, name: file.name, up_axis: file.meta.up_axis, unit: file.meta.unit })
      .catch((error) => show(file.id, data.msgFailed + ": " + error.message, "error"));
  });
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

function addFiles(files) {
  const options = { up_axis: document.getElementById("up_axis").value, unit: document.getElementById("unit").value };
  for (const file of files) {
    try {
      const id = uppy.addFile({ name: file.name, type: file.type, data: file, meta: options });
      row(uppy.getFile(id));
    } catch (error) {
      const entry = row({ id: file.name + Math.random(), name: file.name });
      entry.note.textContent = error.isRestriction ? data.msgTooLarge : error.message;
      entry.item.className = "error";
    }
  }
}

uppy.on("upload-progress", (file, progress) => {
  if (progress.bytesTotal) row(file).bar.value = Math.round((100 * progress.bytesUploaded) / progress.bytesTotal);
});
uppy.on("upload-success", (file) => { row(file).bar.value = 100; show(file.id, data.msgDone, "done"); });
uppy.on("upload-error", (file, error) => show(file.id, data.msgFailed + ": " + error.message, "error"));
uppy.on("upload-retry", (file) => show(typeof file === "string" ? file : file.id, data.msgRetrying, "retrying"));
uppy.on("complete", (result) => {
  if (result.successful && result.successful.length) setTimeout(() => location.reload(), 800);
});

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
