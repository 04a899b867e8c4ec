// Small DOM helpers shared by the view and the controls. Elements are built
// once; updates go through setAttr/setText, which skip writes when the value
// did not change (a frame touches only what moved).

const SVG_NS = "http://www.w3.org/2000/svg";

// h builds an HTML element: h("button", { class: "x", onclick: f }, child...).
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

// s builds an SVG element.
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

function build(el, attrs, children) {
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
      else if (k === "dataset") Object.assign(el.dataset, v);
      else el.setAttribute(k, v === true ? "" : String(v));
    }
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// onIdle runs f once when the page is first idle (at most timeoutMs later):
// work the first frame does not need (building what is hidden until used).
export function onIdle(f, timeoutMs = 2000) {
  if (typeof requestIdleCallback === "function") requestIdleCallback(() => f(), { timeout: timeoutMs });
  else setTimeout(f, 500);
}

// setAttr writes an attribute only when it changed since the last write.
export function setAttr(el, name, value) {
  const cache = el.__attrs || (el.__attrs = Object.create(null));
  const v = String(value);
  if (cache[name] === v) return;
  cache[name] = v;
  el.setAttribute(name, v);
}

// setText replaces an element's text only when it changed, reusing its text
// node: textContent = v would make a new node each time, garbage that the
// collector pays for every frame.
export function setText(el, text) {
  const v = String(text);
  if (el.__text === v) return;
  el.__text = v;
  const t = el.firstChild;
  if (t !== null && t === el.lastChild && t.nodeType === 3 && v !== "") t.data = v;
  else el.textContent = v;
}

// toggleClass adds or removes a class only when needed.
// (the property that remembers it, "__c_" + name, is made once per name)
const CLASS_KEYS = new Map();
export function toggleClass(el, name, on) {
  let key = CLASS_KEYS.get(name);
  if (key === undefined) CLASS_KEYS.set(name, (key = "__c_" + name));
  if (el[key] === on) return;
  el[key] = on;
  el.classList.toggle(name, on);
}

// setShown shows or hides an element (display) and, with it, hides it from
// assistive technology: Chromium keeps exposing a named element inside an
// SVG group hidden by display="none" (its own display is not none), so a
// message or node that left would still be read.
export function setShown(el, on) {
  setAttr(el, "display", on ? "inline" : "none");
  if (el.__shownAT === on) return;
  el.__shownAT = on;
  if (on) el.removeAttribute("aria-hidden");
  else el.setAttribute("aria-hidden", "true");
}
