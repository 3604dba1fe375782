// Copies nhsuk-frontend's compiled JavaScript and its assets (logos, icons, favicons) into
// static/dist/, next to portal.css, which `sass` writes there. Run by `npm run build:css`.
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const nhsuk = join(root, "node_modules", "nhsuk-frontend", "dist", "nhsuk");
const dist = join(root, "static", "dist");

mkdirSync(dist, { recursive: true });
// An ES module exporting initAll and the component classes; static/js/portal.js imports it.
for (const file of ["nhsuk-frontend.min.js", "nhsuk-frontend.min.js.map"]) {
  cpSync(join(nhsuk, file), join(dist, file));
}
rmSync(join(dist, "assets"), { recursive: true, force: true });
cpSync(join(nhsuk, "assets"), join(dist, "assets"), { recursive: true });
console.log(`nhsuk-frontend JS and assets copied to ${dist}`);
