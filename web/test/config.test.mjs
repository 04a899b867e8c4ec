// The page's link settings (web/ui/config.js): what a link or an element
// may say, and how a value the page cannot use is reported.
import { test } from "node:test";
import assert from "node:assert/strict";

import { linkProblems, speedExp, initialConfig, tutorialIndex, tutorialBeat, MAX_URL_NODES } from "../ui/config.js";
import en from "../i18n/en.js";
import zh from "../i18n/zh.js";

function problems(fragment) {
  const p = new URLSearchParams(fragment);
  return linkProblems((k) => p.get(k) ?? undefined, [...new Set(p.keys())]);
}

const keys = (fragment) => problems(fragment).map((p) => p.key);

test("a link the page can use has no problems", () => {
  for (const f of ["", "nodes=5&seed=3", "nodes=1", `nodes=${MAX_URL_NODES}`, "bug=voteWithoutLogCheck", "tutorial", "tutorial=7", "tutorial=5.3", "tutorial=5.3&lang=zh",
    "share=abc&at=1500", "scenario=election&speed=10", "speed=0.01", "lang=zh-CN", "lang=en", "paused", "paused=1", "paused=0", "seed=999999999"]) {
    assert.deepEqual(problems(f), [], f);
  }
});

test("each value the page cannot use is reported with what it does instead", () => {
  assert.deepEqual(problems("nodes=500"), [{ key: "link.nodes", params: { value: "500", max: MAX_URL_NODES, used: MAX_URL_NODES } }]);
  assert.deepEqual(problems("nodes=0")[0].params.used, 1);
  assert.deepEqual(problems("nodes=abc")[0].params.used, 5);
  assert.deepEqual(problems("nodes=2.5")[0].key, "link.nodes");
  assert.deepEqual(problems("seed=-4")[0].params.used, 1);
  assert.deepEqual(keys("bug=nonsense"), ["link.bug"]);
  assert.deepEqual(keys("frob=1&nodes=3"), ["link.unknown"]);
  assert.deepEqual(keys("share=abc&nodes=3&bug=x"), ["link.ignored", "link.ignored"]);
  assert.deepEqual(keys("at=100"), ["link.atNoShare"]);
  assert.deepEqual(keys("share=abc&at=soon"), ["link.at"]);
  assert.deepEqual(problems("speed=0")[0].params.used, 0.1);
  assert.deepEqual(problems("speed=100")[0].params.used, 10);
  assert.deepEqual(problems("speed=fast")[0].params.used, 0.1);
  assert.deepEqual(problems("tutorial=15")[0].params.used, 14);
  assert.deepEqual(problems("tutorial=15.2")[0].params.used, 14);
  assert.deepEqual(keys("tutorial=9.2"), []); // chapter 9: Raft in depth
  assert.deepEqual(keys("tutorial=5.x"), ["link.tutorial"]);
  assert.deepEqual(keys("lang=fr"), ["link.lang"]);
  assert.deepEqual(keys("paused=yes"), ["link.paused"]);
  assert.deepEqual(keys("nodes=500&bug=nonsense&frob"), ["link.unknown", "link.nodes", "link.bug"]);
});

test("what is reported is what the page does", () => {
  // the value said to be used is the one initialConfig and the slider use
  for (const [f, nodes] of [["nodes=500", MAX_URL_NODES], ["nodes=0", 1], ["nodes=abc", 5]]) {
    const p = new URLSearchParams(f);
    assert.equal(initialConfig({ nodes: p.get("nodes") }).nodes, nodes, f);
    assert.equal(problems(f)[0].params.used, nodes, f);
  }
  assert.equal(initialConfig({ bug: "nonsense" }).bugs, undefined);
  assert.equal(speedExp("100"), 100);
  assert.equal(speedExp("0"), -100);
  assert.equal(speedExp("fast"), -100);
  assert.equal(speedExp("1"), 0);
  assert.equal(speedExp(undefined), undefined);
});

test("every problem has its text in both languages, with all its parameters", () => {
  const all = problems("frob=1&nodes=500&seed=x&bug=no&tutorial=0&at=5&speed=99&lang=fr&paused=maybe")
    .concat(problems("share=abc&at=soon&nodes=3"), problems("tutorial=2&share=abc"));
  assert.ok(all.length >= 11, `only ${all.length} problems`);
  for (const table of [en, zh]) {
    assert.equal(typeof table["link.intro"], "string");
    for (const { key, params } of all) {
      const s = table[key];
      assert.equal(typeof s, "string", `${key} is missing`);
      const filled = s.replace(/\{(\w+)\}/g, (m, name) => (params[name] === undefined ? m : String(params[name])));
      assert.doesNotMatch(filled, /\{\w+\}/, `${key}: a parameter is missing in ${filled}`);
    }
  }
});

test("embeds also take controls; the main page does not", async () => {
  const { EMBED_KEYS } = await import("../ui/config.js");
  const embed = (f) => {
    const p = new URLSearchParams(f);
    return linkProblems((k) => p.get(k) ?? undefined, [...new Set(p.keys())], EMBED_KEYS).map((x) => x.key);
  };
  assert.deepEqual(embed("controls=none&nodes=3"), []);
  assert.deepEqual(embed("controls=all"), ["link.controls"]);
  assert.deepEqual(embed("tutorial=2&nodes=3"), ["link.unknown"]); // not an embed's setting: nothing else follows from it
  assert.deepEqual(keys("controls=none"), ["link.unknown"]);
  // an element: no key list, attributes checked by value
  const el = { nodes: "99", controls: "tiny" };
  assert.deepEqual(linkProblems((k) => el[k], null, EMBED_KEYS).map((x) => x.key), ["link.nodes", "link.controls"]);
  assert.equal(typeof en["link.controls"], "string");
  assert.equal(typeof zh["link.controls"], "string");
});

test("#tutorial=5.3 names chapter 5, beat 3 (indexes 4 and 2); a chapter alone starts at its first beat", () => {
  assert.deepEqual([tutorialIndex("5.3"), tutorialBeat("5.3")], [4, 2]);
  assert.deepEqual([tutorialIndex("2"), tutorialBeat("2")], [1, 0]);
  assert.deepEqual([tutorialIndex(""), tutorialBeat("")], [0, 0]);
  assert.deepEqual(tutorialBeat("5.0"), 0);
  assert.deepEqual(tutorialBeat("5.x"), 0);
});
