// Go's facts on the JS side (the generated block of raft-sandbox.js, from
// wasm/bridge/facts.go): every message kind Go sends has a glyph and a name,
// every deliberate bug has its texts in both languages, and the page's
// lists are those facts.
import { test } from "node:test";
import assert from "node:assert/strict";

import { bugNames, messageKinds, limits } from "../raft-sandbox.js";
import { GLYPHS, KINDS, kindOf } from "../ui/messages.js";
import { BUG_NAMES, MAX_URL_NODES } from "../ui/config.js";
import en from "../i18n/en.js";
import zh from "../i18n/zh.js";

test("every message kind has a glyph and a name in each language", () => {
  assert.ok(messageKinds.length > 0);
  for (const k of messageKinds) {
    assert.ok(Object.hasOwn(GLYPHS, k), `no glyph for kind ${k}`);
    assert.equal(kindOf({ kind: k }), k);
    for (const [lang, t] of [["en", en], ["zh", zh]]) assert.ok(t["kind." + k], `${lang}: no kind.${k}`);
  }
  assert.deepEqual(KINDS, messageKinds.filter((k) => k !== "other"));
  // a kind Go does not send is drawn as "other"
  assert.equal(kindOf({ kind: "RequestVote" }), "other");
  assert.equal(kindOf({}), "other");
});

test("every deliberate bug has its texts and is offered by the page", () => {
  assert.ok(bugNames.length >= 4);
  assert.deepEqual(BUG_NAMES, bugNames);
  for (const b of bugNames) {
    for (const [lang, t] of [["en", en], ["zh", zh]]) {
      assert.ok(t["set.bug." + b], `${lang}: no set.bug.${b}`);
      assert.ok(t["set.bug." + b + ".about"], `${lang}: no set.bug.${b}.about`);
    }
  }
  assert.equal(MAX_URL_NODES, limits.maxNodes);
});
