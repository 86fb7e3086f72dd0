// The JavaScript a browser loads before the first screen shows: the entry script of
// index.html and the modules it preloads (its static imports), gzipped. Lazy chunks
// (the graph, the charts, GraphiQL) are not counted: they load with their screens.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { gzipSync } from "node:zlib";

const root = resolve(import.meta.dirname, "../../frontend_static");
const budget = 500 * 1024;
const html = readFileSync(resolve(root, "index.html"), "utf8");
const files = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
let total = 0;
for (const file of files) {
  const size = gzipSync(readFileSync(resolve(root, `.${file}`)), { level: 9 }).length;
  total += size;
  console.log(`${(size / 1024).toFixed(1).padStart(8)} kB  ${file}`);
}
console.log(`${(total / 1024).toFixed(1).padStart(8)} kB  initial JavaScript, gzipped (budget ${budget / 1024} kB)`);
if (total > budget) {
  console.error("over the budget");
  process.exit(1);
}
