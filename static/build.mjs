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

// The bundle also carries maplibre-gl's stylesheet (for map traces) and, as it registers its map
// traces on loading, appends it to the head as a <style> element, which our CSP refuses (one
// style-src-elem violation on every chart page), unless the page already holds an element with
// its id. Write those rules to a file of their own, which templates/_chart_assets.html links
// with that id; the id is a hash of the rules, so a new plotly.js version may change it.
const maplibre = bundle.match(
  /if\(!document\.getElementById\("([0-9a-f]+)"\)\)\{var (\w+)=document\.createElement\("style"\);\2\.id="\1",\2\.textContent=('(?:[^'\\]|\\.)*')/,
);
if (!maplibre) {
  throw new Error("plotly.js's maplibre stylesheet not found: check the bundle's version");
}
const [, styleId, , literal] = maplibre;
const assets = readFileSync(join(root, "templates", "_chart_assets.html"), "utf8");
if (!assets.includes(`id="${styleId}"`)) {
  throw new Error(
    `templates/_chart_assets.html must link dist/plotly-maplibre.css with id="${styleId}" ` +
      "(the id plotly.js checks before it injects maplibre's stylesheet)",
  );
}
// A JavaScript string literal, evaluated here at build time in Node, never in the browser.
writeFileSync(join(dist, "plotly-maplibre.css"), `${new Function(`return ${literal}`)()}\n`);
console.log(`maplibre-gl's stylesheet (id ${styleId}) written to ${dist}`);
