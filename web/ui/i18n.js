// Translation runtime. Every visible string lives in web/i18n/<lang>.js as a
// flat object of keys; code only ever names keys. Parameters are written
// {name} in the strings.

import en from "../i18n/en.js";
import zh from "../i18n/zh.js";

export const LANGS = { en, zh };

// pickLang chooses a supported language from a requested tag (or the
// browser's), falling back to English.
export function pickLang(requested) {
  const tags = [requested, ...(globalThis.navigator ? navigator.languages || [navigator.language] : [])];
  for (const tag of tags) {
    if (!tag) continue;
    const base = String(tag).toLowerCase().split(/[-_]/)[0];
    if (LANGS[base]) return base;
  }
  return "en";
}

// translator returns t(key, params) for one language. Unknown keys fall back
// to English, then to the key itself so that a missing string is visible.
export function translator(lang) {
  const table = LANGS[lang] || en;
  return function t(key, params) {
    let str = table[key];
    if (str === undefined) str = en[key];
    if (str === undefined) return key;
    if (params) str = str.replace(/\{(\w+)\}/g, (m, name) => (params[name] === undefined || params[name] === null ? m : String(params[name])));
    return str;
  };
}

// has reports whether a key exists in English (the reference table).
export function hasKey(key) {
  return Object.prototype.hasOwnProperty.call(en, key);
}

// applyI18n fills every [data-i18n] element's text and every
// [data-i18n-attr="attr:key;attr:key"] attribute under root.
export function applyI18n(root, t) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of el.dataset.i18nAttr.split(";")) {
      const [attr, key] = pair.split(":");
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
}
