// Parses Terraform files offline with HashiCorp's HCL parser (@cdktf/hcl2json, wasm) installed in tests/tools.
// usage: node parse-hcl.cjs <tests/tools dir> <file>...   prints {"<file>": {"json": ...} | {"error": "..."}}
const path = require("path");
const fs = require("fs");
const [toolsDir, ...files] = process.argv.slice(2);
const hcl = require(path.join(toolsDir, "node_modules", "@cdktf", "hcl2json"));
(async () => {
  const result = {};
  for (const file of files) {
    try {
      result[file] = { json: await hcl.parse(path.basename(file), fs.readFileSync(file, "utf8")) };
    } catch (error) {
      result[file] = { error: String(error && error.message ? error.message : error) };
    }
  }
  process.stdout.write(JSON.stringify(result));
})();
