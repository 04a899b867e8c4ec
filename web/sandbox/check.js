// Checking the JS API's arguments before they cross into Go (Go checks them
// again), the errors meant for a person, and the options string that
// crosses (wasm/bridge/options.go).

import { limits, optionRanges, bugNames } from "./facts.js";

// ---------------------------------------------------------------- describing values

/** How a value looks in an error message ("got NaN", "got a function"). */
export function describe(v) {
  switch (typeof v) {
    case "undefined": return "undefined";
    case "number": return Object.is(v, -0) ? "-0" : String(v);
    case "bigint": return `${v}n`;
    case "boolean": return String(v);
    case "symbol": return "a symbol";
    case "function": return "a function";
    case "string": {
      const s = v.length > 40 ? JSON.stringify(v.slice(0, 40)) + `… (${v.length} characters)` : JSON.stringify(v);
      return s;
    }
    default:
      if (v === null) return "null";
      if (Array.isArray(v)) return `an array of length ${v.length}`;
      return "an object";
  }
}

// fail makes the Error the API throws. When the simulator said why, the
// error also carries code and args ({name: value}): the message is English,
// the page words the code in the reader's language (docs/api.md, "Errors").
export function fail(message, code, args) {
  const err = new Error(message);
  if (typeof code === "string" && code) {
    err.code = code;
    err.args = args && typeof args === "object" ? { ...args } : {};
  }
  return err;
}

export function isPlainObject(v) {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function wholeNumber(sig, name, v, min, max) {
  if (typeof v === "number" && Number.isInteger(v) && v >= min && v <= max) return v;
  throw fail(`${sig}: ${name} must be a whole number from ${min} to ${max}, got ${describe(v)}`);
}

// exactBits writes a double as "0x" and the 16 hex digits of its IEEE 754
// bits: Go reads that exactly without a decimal float parser (which would
// cost the wasm ~25 KB; wasm/bridge/options.go).
function exactBits(v) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  return "0x" + view.getBigUint64(0).toString(16).padStart(16, "0");
}

function rate(sig, name, v) {
  if (typeof v === "number" && v >= 0 && v <= 1) return exactBits(v);
  throw fail(`${sig}: ${name} must be a number from 0 to 1, got ${describe(v)}`);
}

export function bool(sig, name, v) {
  if (typeof v === "boolean") return v;
  throw fail(`${sig}: ${name} must be true or false, got ${describe(v)}`);
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,16}$/;

export function nodeId(sig, name, v) {
  if (typeof v === "string" && ID_PATTERN.test(v)) return v;
  throw fail(`${sig}: ${name} must be a node id such as "A", got ${describe(v)}`);
}

function pair(sig, name, v, min, max) {
  if (!Array.isArray(v) || v.length !== 2) {
    throw fail(`${sig}: ${name} must be [min, max], got ${describe(v)}`);
  }
  const lo = wholeNumber(sig, `${name}[0]`, v[0], min, max);
  const hi = wholeNumber(sig, `${name}[1]`, v[1], min, max);
  return [lo, hi];
}

// ---------------------------------------------------------------- options

// Options accepted by loadSandbox and configure, and how each is encoded in
// the "key=value;..." string that crosses into Go (wasm/bridge/options.go).
const CLUSTER_OPTIONS = {
  nodes: (sig, v) => `nodes=${wholeNumber(sig, "nodes", v, ...optionRanges.nodes)}`,
  seed: (sig, v) => `seed=${seedString(sig, v)}`,
  tickMs: (sig, v) => `tickMs=${wholeNumber(sig, "tickMs", v, ...optionRanges.tickMs)}`,
  electionTimeoutMs: (sig, v) => {
    const [lo, hi] = pair(sig, "electionTimeoutMs", v, optionRanges.electionMinMs[0], optionRanges.electionMaxMs[1]);
    if (lo >= hi) throw fail(`${sig}: electionTimeoutMs must be [min, max] with min < max, got [${lo}, ${hi}]`);
    return `electionMinMs=${lo};electionMaxMs=${hi}`;
  },
  heartbeatMs: (sig, v) => `heartbeatMs=${wholeNumber(sig, "heartbeatMs", v, ...optionRanges.heartbeatMs)}`,
  bugs: (sig, v) => {
    if (!isPlainObject(v)) throw fail(`${sig}: bugs must be an object such as { voteWithoutLogCheck: true }, got ${describe(v)}`);
    const out = [];
    for (const key of Object.keys(v)) {
      if (!bugNames.includes(key)) throw fail(`${sig}: unknown bug ${describe(key)}; bugs are ${bugNames.join(", ")}`);
      const b = bool(sig, `bugs.${key}`, v[key]);
      out.push(`bug${key[0].toUpperCase()}${key.slice(1)}=${b ? 1 : 0}`);
    }
    return out.join(";");
  },
};

export const SETTINGS = {
  preVote: (sig, v) => `preVote=${bool(sig, "preVote", v) ? 1 : 0}`,
  checkQuorum: (sig, v) => `checkQuorum=${bool(sig, "checkQuorum", v) ? 1 : 0}`,
  latencyMs: (sig, v) => {
    const [lo, hi] = pair(sig, "latencyMs", v, optionRanges.latencyMinMs[0], optionRanges.latencyMaxMs[1]);
    if (lo > hi) throw fail(`${sig}: latencyMs must be [min, max] with min <= max, got [${lo}, ${hi}]`);
    return `latencyMinMs=${lo};latencyMaxMs=${hi}`;
  },
  dropRate: (sig, v) => `dropRate=${rate(sig, "dropRate", v)}`,
  dupRate: (sig, v) => `dupRate=${rate(sig, "dupRate", v)}`,
  reorderRate: (sig, v) => `reorderRate=${rate(sig, "reorderRate", v)}`,
  snapshotEvery: (sig, v) => `snapshotEvery=${wholeNumber(sig, "snapshotEvery", v, ...optionRanges.snapshotEvery)}`,
};

const LOADER_OPTIONS = ["share", "scenario", "wasmURL", "wasmExecURL", "labWasmURL"];

function seedString(sig, v) {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return String(v);
  if (typeof v === "bigint" && v >= 0n && v < 2n ** 64n) return String(v);
  if (typeof v === "string" && /^[0-9]{1,20}$/.test(v) && BigInt(v) < 2n ** 64n) return String(BigInt(v));
  throw fail(`${sig}: seed must be a whole number from 0 to 2^53-1 (or a BigInt or decimal string below 2^64), got ${describe(v)}`);
}

export function encodeOptions(sig, options, table) {
  const parts = [];
  for (const key of Object.keys(options)) {
    const value = options[key];
    if (value === undefined) continue;
    if (!Object.hasOwn(table, key)) continue;
    const encode = table[key];
    const part = encode(sig, value);
    if (part) parts.push(part);
  }
  return parts.join(";");
}

export function checkLoadOptions(options) {
  const sig = "loadSandbox(options)";
  if (options === undefined || options === null) return { encoded: "" };
  if (!isPlainObject(options)) {
    throw fail(`${sig}: options must be an object such as { nodes: 5, seed: 42 }, got ${describe(options)}`);
  }
  const known = [...Object.keys(CLUSTER_OPTIONS), ...Object.keys(SETTINGS), ...LOADER_OPTIONS];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw fail(`${sig}: unknown option ${describe(key)}; options are ${known.join(", ")}`);
  }
  const given = (k) => options[k] !== undefined;
  const share = options.share, scenario = options.scenario;
  if (given("share") && (typeof share !== "string" || share.length === 0 || share.length > limits.maxShareLength)) {
    throw fail(`${sig}: share must be a share string from sb.share(), got ${describe(share)}`);
  }
  if (given("scenario") && (typeof scenario !== "string" || scenario.length === 0 || scenario.length > limits.maxScenarioLength)) {
    throw fail(`${sig}: scenario must be the text of a scenario script or a built-in's name such as "partition", got ${describe(scenario)}`);
  }
  if (given("share") && given("scenario")) throw fail(`${sig}: give either share or scenario, not both`);
  for (const k of ["wasmURL", "wasmExecURL", "labWasmURL"]) {
    if (given(k) && typeof options[k] !== "string" && !(options[k] instanceof URL)) {
      throw fail(`${sig}: ${k} must be a string or a URL, got ${describe(options[k])}`);
    }
  }
  // Every option is checked, but a share string or a scenario fixes the
  // whole cluster: with one of them the other options are ignored (a page
  // passes its defaults along).
  let encoded = [encodeOptions(sig, options, CLUSTER_OPTIONS), encodeOptions(sig, options, SETTINGS)]
    .filter(Boolean).join(";");
  if (given("share") || given("scenario")) encoded = "";
  return { encoded, share: given("share") ? share : undefined, scenario: given("scenario") ? scenario : undefined };
}


// packageNameProblem is sim/export.PackageNameProblem: why a name cannot be
// a Go package's, or "" when it can.
const GO_KEYWORDS = new Set(["break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough",
  "for", "func", "go", "goto", "if", "import", "interface", "map", "package", "range", "return", "select", "struct",
  "switch", "type", "var"]);
export function packageNameProblem(s) {
  if (s === "_") return "the blank identifier";
  if (GO_KEYWORDS.has(s)) return "a Go keyword";
  if (!/^[\p{L}_][\p{L}\p{Nd}_]*$/u.test(s)) return "not an identifier";
  return "";
}
