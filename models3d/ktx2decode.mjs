// Decode KTX2 (Basis Universal) textures to raw RGBA with the Basis transcoder that three.js
// ships (the same one model-viewer uses). Usage:
//   node ktx2decode.mjs NODE_MODULES OUT_DIR FILE...
// Writes OUT_DIR/<n>.rgba for the n-th file (level 0, layer 0, face 0) and prints a JSON
// list of {width, height, alpha} or {error} per file. Exit status 0 unless it crashed.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [nodeModules, outDir, ...files] = process.argv.slice(2);
const libs = path.join(nodeModules, "three", "examples", "jsm", "libs", "basis");
// A classic script inside an ES-module package: evaluated as the script it is.
const script = path.join(libs, "basis_transcoder.js");
const BASIS = new Function("require", "__filename", "__dirname", `${readFileSync(script, "utf8")}\nreturn BASIS;`)(
  createRequire(script),
  script,
  libs,
);
const RGBA32 = 13; // the transcoder's cTFRGBA32

const wasmBinary = readFileSync(path.join(libs, "basis_transcoder.wasm"));
const basis = await BASIS({ wasmBinary });
basis.initializeBasis();

function decode(file, index) {
  const ktx2 = new basis.KTX2File(new Uint8Array(readFileSync(file)));
  try {
    if (!ktx2.isValid()) return { error: "not a valid KTX2 file" };
    if (!ktx2.isETC1S() && !ktx2.isUASTC()) return { error: "not Basis Universal (ETC1S or UASTC)" };
    const width = ktx2.getWidth();
    const height = ktx2.getHeight();
    if (!ktx2.startTranscoding()) return { error: "the transcoder could not start" };
    const size = ktx2.getImageTranscodedSizeInBytes(0, 0, 0, RGBA32);
    if (size !== width * height * 4) return { error: "unexpected transcoded size" };
    const pixels = new Uint8Array(size);
    if (!ktx2.transcodeImage(pixels, 0, 0, 0, RGBA32, 0, -1, -1)) {
      return { error: "the image data could not be transcoded" };
    }
    writeFileSync(path.join(outDir, `${index}.rgba`), pixels);
    return { width, height, alpha: Boolean(ktx2.getHasAlpha()) };
  } finally {
    ktx2.close();
    ktx2.delete();
  }
}

process.stdout.write(JSON.stringify(files.map(decode)));
