//go:build js && wasm

// The Raft Sandbox as a Cloudflare Worker: the site handler of `go run
// serve.go` (package site: the static files and the /render.svg picture
// links), compiled to wasm and run by github.com/syumai/workers, with the
// built site (dist/, packed by ./pack: assets/ and manifest_gen.go) embedded
// in the binary.
//
//	./build.sh worker           # builds dist/, packs it, compiles this, writes the glue
//	cd worker && npx wrangler@4.86.0 deploy
//
// The handler is stateless: the glue may start a fresh Go instance for any
// request. docs/deploy.md says why the files are embedded rather than served
// by Workers' static-assets binding, and what it costs.
package main

import (
	"embed"

	"github.com/syumai/workers"

	"raftsandbox/site"
	"raftsandbox/worker/assetfs"
)

//go:embed assets
var packed embed.FS

func main() {
	fsys, err := assetfs.FromEntries(packed, "assets", manifest)
	if err != nil {
		panic("the Worker's embedded site is damaged (rebuild it with ./build.sh worker): " + err.Error())
	}
	workers.Serve(site.New(fsys))
}
