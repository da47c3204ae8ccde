// Validate GLB files with the Khronos glTF-Validator (npm "gltf-validator").
// Usage: node validate.mjs NODE_MODULES_DIR MAX_ISSUES FILE...
// Prints a JSON array with one report per file: {numErrors, numWarnings, numInfos,
// numHints, messages: [{code, message, severity, pointer}], truncated, info}.
// External resources are never loaded: inputs are self-contained GLBs, or glTF JSON
// (FILE ending in .gltf) whose buffers are left out on purpose (structure-only checks).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [modules, maxIssues, ...files] = process.argv.slice(2);
const require = createRequire(join(modules, 'noop.js'));
const validator = require('gltf-validator');

const reports = [];
for (const file of files) {
  const data = new Uint8Array(readFileSync(file));
  const result = await validator.validateBytes(data, {
    maxIssues: Number(maxIssues),
    writeTimestamp: false,
    format: file.endsWith('.gltf') ? 'gltf' : 'glb',
    externalResourceFunction: (uri) => Promise.reject(new Error(`external resource ${uri} refused`)),
  });
  const issues = result.issues;
  reports.push({
    numErrors: issues.numErrors,
    numWarnings: issues.numWarnings,
    numInfos: issues.numInfos,
    numHints: issues.numHints,
    truncated: issues.truncated,
    messages: issues.messages.map((m) => ({
      code: m.code, message: m.message, severity: m.severity, pointer: m.pointer ?? null,
    })),
    info: result.info ?? {},
  });
}
process.stdout.write(JSON.stringify(reports));
