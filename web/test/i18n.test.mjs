// The translation files (web/i18n) and the page's modules agree: both
// languages have the same keys, every key the page names exists, and every
// key is named by the page, literally or as a family built from a prefix
// ("why." + code, `tut.${n}.title`, key + ".title"), so no text is left
// behind when the page stops using it.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import en from "../i18n/en.js";
import zh from "../i18n/zh.js";

const web = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const files = [
  ...fs.readdirSync(path.join(web, "ui")).map((f) => path.join(web, "ui", f)),
  ...fs.readdirSync(web).map((f) => path.join(web, f)),
].filter((f) => /\.(js|html)$/.test(f));
const src = files.map((f) => fs.readFileSync(f, "utf8")).join("\n");

// keys named whole: in quotes, or in a data-i18n-attr list ("title:ctl.x;aria-label:ctl.y")
function namedKeys() {
  const named = new Set();
  for (const m of src.matchAll(/["'`]([a-z][\w-]*(?:\.[\w-]+)+)["'`]/g)) named.add(m[1]);
  for (const m of src.matchAll(/data-i18n-attr["']?:\s*["']([^"']+)["']/g))
    for (const pair of m[1].split(";")) named.add(pair.slice(pair.indexOf(":") + 1));
  return named;
}

// prefixes of keys built at run time: "why." + code, `tut.${n}.title`;
// suffixes added to a named key: key + ".title"
const prefixes = [...src.matchAll(/["'`]([a-z][\w.-]*[.-])["'`]\s*\+|`([a-z][\w.-]*\.)\$\{/g)].map((m) => m[1] || m[2]);
const suffixes = [...src.matchAll(/\+\s*["'`](\.[\w-]+)["'`]/g)].map((m) => m[1]);

test("English and Chinese have the same keys", () => {
  assert.deepEqual(Object.keys(zh).filter((k) => !(k in en)), [], "keys only in zh.js");
  assert.deepEqual(Object.keys(en).filter((k) => !(k in zh)), [], "keys only in en.js");
});

test("every key the page names exists", () => {
  // only what looks like one of ours: a family the files use
  const families = new Set(Object.keys(en).map((k) => k.split(".")[0]));
  const missing = [...namedKeys()].filter((k) => families.has(k.split(".")[0]) && !(k in en) && !prefixes.some((p) => k.startsWith(p)) && !/\.(js|html|css|svg|wasm|md|json|br|gz)$/.test(k));
  assert.deepEqual(missing, []);
});

test("every key is used by the page", () => {
  const named = namedKeys();
  const used = (k) => named.has(k) || prefixes.some((p) => k.startsWith(p)) || suffixes.some((s) => k.endsWith(s) && named.has(k.slice(0, -s.length)));
  assert.ok(prefixes.includes("why."), `the pattern for prefixes no longer finds "why." + code: ${prefixes}`);
  assert.deepEqual(Object.keys(en).filter((k) => !used(k)), []);
});
