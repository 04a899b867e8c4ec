// The Worker's entry module. The glue that workers-assets-gen writes
// (build/worker.mjs, with build/runtime.mjs and build/wasm_exec.js) starts
// the Go wasm (build/app.wasm) and hands it each request; the Go side is
// the site handler of serve.go.
//
// Two things are added here:
//   - The handler serves the .br and .gz files that ./build.sh precompressed,
//     with their Content-Encoding; by default the Workers runtime compresses
//     a body whose response names an encoding, so those bytes would be
//     compressed twice. encodeBody "manual" sends them as they are: the
//     same bytes serve.go sends.
//   - A HEAD request is handed to Go as a GET and answered with the GET's
//     headers and no body (the handler answers HEAD with the same headers
//     anyway): the glue would otherwise promise Content-Length bytes of a
//     body it never writes, and the runtime logs an error for each HEAD.
import glue from "./build/worker.mjs";

export default {
  async fetch(request, env, ctx) {
    const head = request.method === "HEAD";
    const res = await glue.fetch(head ? new Request(request, { method: "GET" }) : request, env, ctx);
    if (!head && !res.headers.has("content-encoding")) return res;
    if (head) res.body?.cancel();
    return new Response(head ? null : res.body, { status: res.status, statusText: res.statusText, headers: res.headers, encodeBody: "manual" });
  },
};
