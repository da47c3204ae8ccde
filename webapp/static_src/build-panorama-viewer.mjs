// Bundles webapp/static_src/panorama-viewer.js with the pinned esbuild into one ES module and
// its stylesheet: `node webapp/static_src/build-panorama-viewer.mjs OUT_DIR` (the Makefile's
// vendor rule runs it). Every `import "three"` resolves to the copy Photo Sphere Viewer depends
// on (package.json pins another three.js for model-viewer's decoders), so one three.js is bundled.
import { build } from "esbuild";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const viewerDir = path.dirname(require.resolve("@photo-sphere-viewer/core"));
const outDir = process.argv[2];
if (!outDir) throw new Error("usage: build-panorama-viewer.mjs OUT_DIR");

const viewersThree = {
  name: "viewers-three",
  setup(esbuild) {
    esbuild.onResolve({ filter: /^three$/ }, async (args) => {
      if (args.pluginData === "viewers-three") return undefined;
      const found = await esbuild.resolve("three", {
        kind: args.kind,
        resolveDir: viewerDir,
        pluginData: "viewers-three",
      });
      return found.errors.length ? { errors: found.errors } : { path: found.path };
    });
  },
};

await build({
  entryPoints: [path.join(here, "panorama-viewer.js")],
  outfile: path.join(outDir, "panorama-viewer.js"),
  bundle: true,
  format: "esm",
  target: "es2020",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  plugins: [viewersThree],
  metafile: true,
}).then((result) => {
  const inputs = Object.keys(result.metafile.inputs).filter((name) => /three\/build\//.test(name));
  const copies = new Set(inputs.map((name) => name.split("/build/")[0]));
  if (copies.size !== 1) throw new Error(`expected one three.js in the bundle, found ${[...copies]}`);
});
