// Runs the return form's RAG preview (static/js/rag-preview.js) under Node for the tests:
// reads {words, rows} as JSON on standard input and writes each row's {rag, text} as JSON.
import { readFileSync } from "node:fs";

import { preview } from "../../static/js/rag-preview.js";

const { words, rows } = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(rows.map((row) => preview(row, words))));
