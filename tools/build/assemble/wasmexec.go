package assemble

import (
	"bytes"
	"errors"
)

// PatchWasmExec changes one function of Go's wasm_exec.js before it goes
// into the site: loadString, which turns every string that Go hands to
// JavaScript into a JS string.
//
// Go's version decodes with TextDecoder. In a browser that is Blink's
// decoder, which returns strings that Blink keeps in its string cache
// behind weak V8 handles; a page that receives a large string each frame
// (state() at 51 nodes is about 35 KB of JSON) piles them up, and V8 then
// runs their weak callbacks in one task after a major collection: 30 to
// 160 ms on the main thread, growing with the run (traced in headless
// Chromium: docs/page.md, "Long tasks"). Node has no such cache, so the
// Node benchmarks never saw it. The patched loadString builds ASCII strings
// (all of the JSON the bridge writes, ids, commands) in JavaScript with
// String.fromCharCode, which Blink never sees, and hands anything else to
// TextDecoder as before. Over 45 s at 51 nodes this took the weak-callback
// tasks from five (10 to 40 ms each) to none and the major collections from
// 14 to 3.
//
// A file that is not Go's wasm_exec.js (no loadString), or is patched
// already, is returned as it is; Go's file in a shape this patch does not know is an error, so a Go
// upgrade that changes it cannot drop the fix silently.
func PatchWasmExec(src []byte) ([]byte, error) {
	if !bytes.Contains(src, []byte("const loadString")) || bytes.Contains(src, []byte("const decodeGoString")) {
		return src, nil // not Go's file, or patched already (a built dist/ as the input)
	}
	const decoderLine = `const decoder = new TextDecoder("utf-8");`
	const decodeCall = `return decoder.decode(new DataView(this._inst.exports.mem.buffer, saddr, len));`
	if bytes.Count(src, []byte(decoderLine)) != 1 || bytes.Count(src, []byte(decodeCall)) != 1 {
		return nil, errors.New("wasm_exec.js: loadString is not in the shape tools/build/assemble.PatchWasmExec knows (a new Go release?): update the patch")
	}
	const helper = decoderLine + `
	// raft-sandbox (tools/build/assemble/wasmexec.go): ASCII strings are built
	// here, not by TextDecoder, whose strings Blink caches behind weak handles
	// that cost long tasks after each major collection. Short ones (property
	// names, ids, a call's event fields) are kept by where they are and
	// checked byte for byte, so that the same bytes give the same string
	// without garbage; the memory is read through one view, not a new one
	// per string.
	let mem8 = new Uint8Array(0);
	const shortStrings = new Map();
	const decodeGoString = (buffer, addr, len) => {
		if (mem8.buffer !== buffer) mem8 = new Uint8Array(buffer);
		const b = mem8, end = addr + len;
		for (let i = addr; i < end; i++) {
			if (b[i] > 127) return decoder.decode(new Uint8Array(buffer, addr, len));
		}
		if (len <= 32) {
			const key = (addr * 33 + len) & 0x3fffffff;
			const known = shortStrings.get(key);
			if (known !== undefined && known.length === len) {
				let i = 0;
				while (i < len && known.charCodeAt(i) === b[addr + i]) i++;
				if (i === len) return known;
			}
			const s = String.fromCharCode.apply(null, b.subarray(addr, end));
			if (shortStrings.size >= 4096) shortStrings.clear();
			shortStrings.set(key, s);
			return s;
		}
		let s = "";
		for (let i = addr; i < end; i += 8192) {
			s += String.fromCharCode.apply(null, b.subarray(i, Math.min(end, i + 8192)));
		}
		return s;
	};`
	out := bytes.Replace(src, []byte(decoderLine), []byte(helper), 1)
	out = bytes.Replace(out, []byte(decodeCall), []byte(`return decodeGoString(this._inst.exports.mem.buffer, saddr, len);`), 1)
	return out, nil
}
