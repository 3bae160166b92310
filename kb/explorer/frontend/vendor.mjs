// Copies the built browser bundles of the dependencies into ../static/vendor,
// so the explorer serves them itself (nothing loads from a CDN).
// Run after `npm ci`:  npm run vendor
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, "..", "static", "vendor", "yasgui");
const source = join(here, "node_modules", "@zazuko", "yasgui");
const pkg = JSON.parse(readFileSync(join(source, "package.json"), "utf8"));

mkdirSync(target, { recursive: true });
for (const file of ["yasgui.min.js", "yasgui.min.css"]) {
  // Source maps are not vendored: drop the comment that would make browsers ask for them.
  const text = readFileSync(join(source, "build", file), "utf8");
  writeFileSync(join(target, file), text.replace(/\n?\/[/*]# sourceMappingURL=\S+(\s*\*\/)?\s*$/, "\n"));
}
writeFileSync(
  join(target, "VERSION"),
  `${pkg.name} ${pkg.version} (${pkg.license}), ${pkg.homepage}\n` +
    "copied from node_modules by kb/explorer/frontend/vendor.mjs\n",
);
console.log(`vendored ${pkg.name} ${pkg.version} -> ${target}`);
