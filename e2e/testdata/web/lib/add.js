export const wasmURL = new URL("../raft-sandbox.wasm", import.meta.url).href;

export async function add(a, b) {
  const { instance } = await WebAssembly.instantiateStreaming(fetch(wasmURL));
  return instance.exports.add(a, b);
}
