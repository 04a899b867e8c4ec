// Which Go packages make the wasm big: sums function body sizes per package.
//
//   go run ./tools/build -names /tmp/rs.wasm   # the main wasm as the build makes it, names kept
//   node tools/wasm-size.mjs /tmp/rs.wasm [top]
//   DUMP='scenario|bridge' node tools/wasm-size.mjs /tmp/rs.wasm   # also list the matching functions' sizes
//   node tools/wasm-size.mjs /tmp/rs.wasm 25 --floor /tmp/floor.wasm  # our share: each package beyond the floor's
//     (the floor: GOOS=js GOARCH=wasm go build -trimpath -o /tmp/floor.wasm ./tools/floor)
//
// It reads the code section (body size of every function) and the "name"
// custom section (function names), then groups names by Go package path.
// Data (string constants, type descriptors, pclntab) is reported as one total.
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const floorAt = args.indexOf("--floor");
const floorFile = floorAt >= 0 ? args.splice(floorAt, 2)[1] : null;
const file = args[0];
const top = Number(args[1] ?? 30);
if (!file) {
  console.error("usage: node tools/wasm-size.mjs file.wasm [top] [--floor floor.wasm]");
  process.exit(2);
}

function analyze(file) {
  const bytes = readFileSync(file);
  let pos = 8; // magic + version

  function leb() {
    let result = 0, shift = 0, b;
    do {
      b = bytes[pos++];
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return result;
  }

  function name() {
    const n = leb();
    const s = bytes.toString("utf8", pos, pos + n);
    pos += n;
    return s;
  }

  let importedFuncs = 0;
  const bodySizes = [];
  const names = new Map();
  const sections = new Map();
  while (pos < bytes.length) {
    const id = bytes[pos++];
    const size = leb();
    const start = pos;
    const end = pos + size;
    let label = `section ${id}`;
    if (id === 0) {
      label = `custom "${name()}"`;
      if (label === 'custom "name"') {
        while (pos < end) {
          const sub = bytes[pos++];
          const subSize = leb();
          const subEnd = pos + subSize;
          if (sub === 1) {
            const count = leb();
            for (let i = 0; i < count; i++) {
              const idx = leb();
              names.set(idx, name());
            }
          }
          pos = subEnd;
        }
      }
    } else if (id === 2) {
      const count = leb();
      for (let i = 0; i < count; i++) {
        name();
        name();
        const kind = bytes[pos++];
        if (kind === 0) { leb(); importedFuncs++; }
        else if (kind === 1) { pos++; const f = leb(); leb(); if (f & 1) leb(); }
        else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); }
        else if (kind === 3) { pos += 2; }
      }
    } else if (id === 10) {
      label = "code";
      const count = leb();
      for (let i = 0; i < count; i++) {
        const n = leb();
        bodySizes.push(n);
        pos += n;
      }
    } else if (id === 11) {
      label = "data";
    }
    sections.set(label, (sections.get(label) ?? 0) + size);
    pos = end;
  }
  return { bytes, sections, names, bodySizes, importedFuncs };
}

// In the name section a Go symbol "path/to/pkg.(*T).Method" is written
// "path_to_pkg.__T_.Method"; a module path keeps its domain's dot
// ("github.com_owner_repo.Func"). The package is everything before the first
// dot that follows the domain.
function pkgOf(symbol) {
  const s = symbol.replace(/^type_\.eq\./, "");
  const m = /^([a-z0-9-]+\.(?:com|org|io|net|dev|in)_)?[^.]*/.exec(s);
  return (m ? m[0] : s).replaceAll("_", "/");
}

function perPackage({ names, bodySizes, importedFuncs }) {
  const perPkg = new Map();
  bodySizes.forEach((size, i) => {
    const sym = names.get(i + importedFuncs) ?? "?";
    const pkg = pkgOf(sym);
    perPkg.set(pkg, (perPkg.get(pkg) ?? 0) + size);
  });
  return perPkg;
}

const { bytes, sections, names, bodySizes, importedFuncs } = analyze(file);
if (process.env.DUMP) {
  const re = new RegExp(process.env.DUMP);
  for (const [i, n] of names) if (re.test(n)) console.log(bodySizes[i - importedFuncs], n);
}
const perPkg = perPackage({ names, bodySizes, importedFuncs });

const kb = (n) => (n / 1024).toFixed(1).padStart(8) + " KB";
console.log(`${file}: ${kb(bytes.length)} raw`);
for (const [label, size] of [...sections].sort((a, b) => b[1] - a[1])) {
  console.log(`  ${kb(size)}  ${label}`);
}
console.log(`code by package (top ${top}):`);
for (const [pkg, size] of [...perPkg].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`  ${kb(size)}  ${pkg}`);
}

if (floorFile) {
  // Our share: what each package adds beyond the floor's build of it (a
  // package the floor has and we do not shows as a negative share).
  const floor = analyze(floorFile);
  const floorPkg = perPackage(floor);
  const all = new Set([...perPkg.keys(), ...floorPkg.keys()]);
  const share = [...all].map((p) => [p, (perPkg.get(p) ?? 0) - (floorPkg.get(p) ?? 0)]).filter(([, d]) => d !== 0);
  const data = (sections.get("data") ?? 0) - (floor.sections.get("data") ?? 0);
  console.log(`our share beyond the floor (${floorFile}, ${kb(floor.bytes.length).trim()} raw): ${kb(bytes.length - floor.bytes.length).trim()} raw, of it data ${kb(data).trim()}; code by package (top ${top}):`);
  for (const [pkg, d] of share.sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, top)) {
    console.log(`  ${kb(d)}  ${pkg}`);
  }
}
