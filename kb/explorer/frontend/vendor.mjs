// Copies the built browser bundles of the dependencies into ../static/vendor,
// so the server serves them itself (nothing loads from a CDN): YASGUI for the
// workbench, Swagger UI and ReDoc for the API documentation at /docs and /redoc.
// Run after `npm ci`:  npm run vendor
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const bundles = [
  { name: "yasgui", pkg: ["@zazuko", "yasgui"], files: ["build/yasgui.min.js", "build/yasgui.min.css"] },
  { name: "swagger-ui", pkg: ["swagger-ui-dist"], files: ["swagger-ui-bundle.js", "swagger-ui.css"] },
  {
    name: "redoc",
    pkg: ["redoc"],
    files: ["bundles/redoc.standalone.js"],
    // Its "powered by" footer loads a logo from Redocly's CDN: leave it empty instead.
    replace: [["https://cdn.redoc.ly/redoc/logo-mini.svg", "data:,"]],
  },
];

for (const bundle of bundles) {
  const source = join(here, "node_modules", ...bundle.pkg);
  const target = join(here, "..", "static", "vendor", bundle.name);
  const pkg = JSON.parse(readFileSync(join(source, "package.json"), "utf8"));
  mkdirSync(target, { recursive: true });
  for (const file of bundle.files) {
    // Source maps are not vendored: drop the comment that would make browsers ask for them.
    let text = readFileSync(join(source, file), "utf8");
    for (const [from, to] of bundle.replace || []) text = text.split(from).join(to);
    const name = file.split("/").pop();
    writeFileSync(join(target, name), text.replace(/\n?\/[/*]# sourceMappingURL=\S+(\s*\*\/)?\s*$/, "\n"));
  }
  const homepage = pkg.homepage || (pkg.repository && pkg.repository.url) || "";
  writeFileSync(
    join(target, "VERSION"),
    `${pkg.name} ${pkg.version} (${pkg.license}), ${homepage}\n` +
      "copied from node_modules by kb/explorer/frontend/vendor.mjs\n",
  );
  console.log(`vendored ${pkg.name} ${pkg.version} -> ${target}`);
}
