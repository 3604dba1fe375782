// Copies nhsuk-frontend's compiled JavaScript and its assets (logos, icons, favicons) into
// static/dist/, next to portal.css, which `sass` writes there. Run by `npm run build:css`.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

// plotly.js, the strict bundle (no eval, so the CSP needs no 'unsafe-eval'), served once as a
// cached static file on the pages that draw charts.
const plotly = join(root, "node_modules", "plotly.js-strict-dist-min", "plotly-strict.min.js");
cpSync(plotly, join(dist, "plotly.min.js"));

// plotly.js injects its stylesheet as a <style> element, which our CSP refuses, unless the page
// already holds an element with id "plotly.js-style-global" and class "no-inline-styles". The
// package ships no CSS file, so write its rules into one: they are the object literal the bundle
// passes to addStyleRule, with X and Y standing for its two root selectors.
const bundle = readFileSync(plotly, "utf8");
const start = bundle.indexOf('{"X,X div":');
const end = bundle.indexOf("};for(", start);
if (start < 0 || end < 0) {
  throw new Error("plotly.js stylesheet rules not found: check the bundle's version");
}
// Evaluated here, at build time in Node, never in the browser.
const rules = new Function(`return ${bundle.slice(start, end + 1)}`)();
const css = Object.entries(rules)
  .map(([selector, body]) => {
    const full = selector
      .replace(/^,/, " ,")
      .replace(/X/g, ".js-plotly-plot .plotly")
      .replace(/Y/g, ".plotly-notifier");
    return `${full}{${body}}`;
  })
  .join("\n");
writeFileSync(join(dist, "plotly.css"), `${css}\n`);
console.log(`plotly.js and its ${Object.keys(rules).length} style rules copied to ${dist}`);

// The bundle also injects maplibre's map styles as a <style> element when it loads, unless an
// element with their id is on the page. The portal draws no maps: templates/_chart_assets.html
// holds an empty element with that id, which must be the one this bundle looks for.
const maplibre = bundle.match(/getElementById\("([0-9a-f]{64})"\)\)\{var \w+=document\.createElement\("style"\)/);
const assets = readFileSync(join(root, "templates", "_chart_assets.html"), "utf8");
if (!maplibre || !assets.includes(`id="${maplibre[1]}"`)) {
  throw new Error(
    "plotly.js's maplibre <style> id is not the one templates/_chart_assets.html holds: " +
      (maplibre ? maplibre[1] : "not found in the bundle"),
  );
}
