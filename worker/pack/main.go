// Command pack copies the built site (dist/) into the folder the Worker
// embeds (assets/): a manifest and each distinct file content once. It is
// run by `./build.sh worker` from this folder:
//
//	go run ./pack [-dist ../dist] [-out assets]
package main

import (
	"flag"
	"fmt"
	"os"

	"raftsandbox/worker/assetfs"
)

func main() {
	dist := flag.String("dist", "../dist", "the built site")
	out := flag.String("out", "assets", "the folder the Worker embeds")
	flag.Parse()
	if _, err := os.Stat(*dist + "/index.html"); err != nil {
		fmt.Fprintf(os.Stderr, "pack: %s/index.html is missing: build the site first (./build.sh build)\n", *dist)
		os.Exit(1)
	}
	p, err := assetfs.Pack(*dist, *out)
	if err != nil {
		fmt.Fprintf(os.Stderr, "pack: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("pack: %d files of %s (%.1f MB) as %d blobs in %s/ (%.1f MB; %d files kept only as their .gz)\n",
		p.Files, *dist, float64(p.FileBytes)/1e6, p.Blobs, *out, float64(p.BlobBytes)/1e6, p.Gunzipped)
}
