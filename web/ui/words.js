// Words for what the simulator says as codes: reasons ({ code, args } from
// events, requests, violations and thrown errors), message types, invariant
// names, settings. Go never words anything for people; this module turns its
// codes into sentences of the reader's language from web/i18n (keys why.*,
// mt.*, inv.*, setting.*, retry.*, conf.*). docs/sim.md lists the codes.

import { hasKey } from "./i18n.js";
import en from "../i18n/en.js";

// whyText words a reason. params (an event's node, peer, term, ...) are
// merged under the reason's own arguments; an argument "cause" is itself a
// code and is worded first. A condition of a scenario (a beat's facts, from
// checkBeat or a story that does not hold) has "scope" ("all", "majority",
// or "" for its "nodes"), worded as {on}. An unknown code gives the generic sentence.
export function whyText(t, why, params = {}) {
  if (!why || !why.code) return "";
  const args = { ...params, ...(why.args || {}) };
  // a condition's nodes: "all nodes", "a majority", or the names it lists
  if (args.scope !== undefined) args.on = args.scope ? t("why.scope-" + args.scope) : args.nodes;
  if (args.cause) {
    const { cause, ...rest } = args;
    args.cause = whyText(t, { code: cause, args: {} }, rest);
  }
  const key = "why." + why.code;
  return hasKey(key) ? t(key, args) : t("why.unknown");
}

// errorText words a thrown error: by its code when the simulator gave one;
// else its message for an English reader, and a generic sentence in any
// other language (an English message never reaches a reader of another).
export function errorText(t, err) {
  if (err && err.code) return whyText(t, { code: err.code, args: err.args });
  if (t("why.unknown") === en["why.unknown"]) return err && err.message ? err.message : String(err);
  return t("why.unknown");
}

// entryCommand words a log entry's command: a client command as written
// ("SET x 5"), a membership change ("add-learner D", "add-voter D",
// "remove D", from Go) in the reader's language; short: for a log cell.
export function entryCommand(t, command, short = false) {
  const m = /^(add-learner|add-voter|remove) (\S+)$/.exec(command);
  if (!m) return command;
  return t(short ? "cell." + m[1] : "entry." + m[1], { node: m[2] });
}

// msgType names a message type ("Heartbeat") as a common noun ("heartbeat").
export function msgType(t, type) {
  const key = "mt." + type;
  return hasKey(key) ? t(key) : t("mt.other");
}

// invariantName names an invariant ("election-safety").
export function invariantName(t, inv) {
  const key = "inv." + inv;
  return hasKey(key) ? t(key) : t("inv.other");
}

// settingText words a settings change ("prevote on", "latency 10-30ms").
export function settingText(t, detail) {
  const [name, ...rest] = String(detail || "").split(" ");
  const value = rest.join(" ");
  const key = "setting." + name;
  if (!hasKey(key)) return t("setting.other");
  const every = /^every (\d+)$/.exec(value);
  const shown = value === "on" || value === "off" ? t("setting.value." + value) : every ? t("setting.value.every", { n: every[1] }) : value.replace(/ms$/, "");
  return t(key, { value: shown });
}
