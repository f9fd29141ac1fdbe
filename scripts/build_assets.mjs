// Copies the front-end libraries installed by `npm ci` into src/jiedu/static/vendor/, where Django's
// static files (whitenoise) serve them. The platform runs on an intranet: no CDN, no bundler, and no
// third-party minified code in git (the folder is ignored; package-lock.json pins what is copied).
//
// Usage: node scripts/build_assets.mjs   (or `npm run build`)

import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const vendor = join(root, "src", "jiedu", "static", "vendor");

// Package → files to copy (source inside the package, name in vendor/). Templates load the
// two scripts as {% static 'vendor/htmx.min.js' %} and {% static 'vendor/echarts.min.js' %}.
const ASSETS = {
  "htmx.org": [
    ["dist/htmx.min.js", "htmx.min.js"],
    ["LICENSE", "htmx.LICENSE.txt"],
  ],
  echarts: [
    ["dist/echarts.min.js", "echarts.min.js"],
    ["LICENSE", "echarts.LICENSE.txt"],
    ["NOTICE", "echarts.NOTICE.txt"],
  ],
};

function fail(message) {
  console.error(`build_assets: ${message}`);
  process.exit(1);
}

const wanted = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).dependencies;
mkdirSync(vendor, { recursive: true });

for (const [name, files] of Object.entries(ASSETS)) {
  const packageDir = join(root, "node_modules", name);
  const manifest = join(packageDir, "package.json");
  if (!existsSync(manifest)) fail(`${name} is not installed: run \`npm ci\` first`);
  // A stale node_modules would silently ship another version than the lock file says.
  const installed = JSON.parse(readFileSync(manifest, "utf8")).version;
  if (installed !== wanted[name]) {
    fail(`${name} ${installed} is installed but package.json pins ${wanted[name]}: run \`npm ci\``);
  }
  for (const [source, target] of files) {
    const from = join(packageDir, source);
    if (!existsSync(from)) fail(`${name} ${installed} has no ${source}`);
    copyFileSync(from, join(vendor, target));
    const kib = (statSync(from).size / 1024).toFixed(0);
    console.log(`vendor/${target.padEnd(20)} ${name}@${installed} (${kib} KiB)`);
  }
}
