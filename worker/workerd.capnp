# workerd's configuration of the Raft Sandbox Worker, for running the built
# Worker locally (the Worker's test in ./build.sh test does):
#
#   ./build.sh worker
#   npx workerd serve worker/workerd.capnp
#
# It listens on 127.0.0.1:8787 (override: --socket-addr http=127.0.0.1:PORT,
# or hand it a listening socket: --socket-fd http=FD). The modules are the
# ones wrangler.jsonc deploys.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "sandbox", worker = .sandbox)],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "sandbox")],
);

const sandbox :Workerd.Worker = (
  modules = [
    (name = "main.mjs", esModule = embed "main.mjs"),
    (name = "build/worker.mjs", esModule = embed "build/worker.mjs"),
    (name = "build/runtime.mjs", esModule = embed "build/runtime.mjs"),
    (name = "build/wasm_exec.js", esModule = embed "build/wasm_exec.js"),
    (name = "build/app.wasm", wasm = embed "build/app.wasm"),
  ],
  compatibilityDate = "2025-11-01",
);
