//go:build ignore

// Serve the Raft Sandbox on your machine:
//
//	go run serve.go [-addr 127.0.0.1] [-port 8080] [-no-build]
//
// It rebuilds what is stale in dist/ (go run ./tools/build, as ./build.sh
// does), then serves dist/ with the site handler (package site) and prints
// the URL. Ctrl-C stops it gracefully.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"raftsandbox/site"
)

func main() {
	addr := flag.String("addr", "127.0.0.1", "the address to listen on (0.0.0.0 to be reachable from other machines)")
	port := flag.Int("port", 8080, "the port to listen on (0 picks a free one)")
	dist := flag.String("dist", "dist", "the built site to serve")
	noBuild := flag.Bool("no-build", false, "serve dist/ as it is, without rebuilding what is stale")
	quiet := flag.Bool("quiet", false, "do not log requests")
	flag.Parse()
	if err := run(*addr, *port, *dist, !*noBuild, !*quiet); err != nil {
		fmt.Fprintf(os.Stderr, "serve: %v\n", err)
		os.Exit(1)
	}
}

func run(addr string, port int, dist string, build, logRequests bool) error {
	if _, err := os.Stat("go.mod"); err != nil {
		return errors.New("run me from the repository root: cd to the folder with go.mod, then go run serve.go")
	}
	// Take the port first, so that a busy port is reported before a build.
	ln, err := net.Listen("tcp", net.JoinHostPort(addr, strconv.Itoa(port)))
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("port %d is in use; try go run serve.go -port %d", port, port+1)
		}
		return fmt.Errorf("cannot listen on %s port %d: %w", addr, port, err)
	}
	defer ln.Close()

	if build {
		if err := rebuild(); err != nil {
			return fmt.Errorf("%w\n(fix the build, or serve the last build with: go run serve.go -no-build)", err)
		}
	}
	if _, err := os.Stat(filepath.Join(dist, "index.html")); err != nil {
		fmt.Fprintf(os.Stderr, "serve: warning: %s/index.html is missing; / will answer 404 until the page is built\n", dist)
	}

	var h http.Handler = site.New(os.DirFS(dist))
	if logRequests {
		h = logged(h)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()

	host := addr
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	url := "http://" + net.JoinHostPort(host, strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)) + "/"
	fmt.Printf("\nRaft Sandbox: %s\n(serving %s/; Ctrl-C to stop)\n\n", url, dist)

	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	fmt.Println("\nstopping...")
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// rebuild runs the build tool, which redoes only what is stale.
func rebuild() error {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %w", err)
	}
	support := filepath.Join(strings.TrimSpace(string(out)), "lib", "wasm")
	if _, err := os.Stat(filepath.Join(support, "wasm_exec.js")); err != nil {
		support = filepath.Join(strings.TrimSpace(string(out)), "misc", "wasm")
	}
	// -fast: brotli at a low level, so that a changed wasm is served in
	// seconds; ./build.sh build recompresses at the highest level.
	cmd := exec.Command("go", "run", "./tools/build", "-fast", support)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building dist/ failed: %w", err)
	}
	return nil
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

func logged(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		h.ServeHTTP(sw, r)
		fmt.Printf("%s %s %s %d %s\n", start.Format("15:04:05"), r.Method, r.URL.RequestURI(), sw.code,
			time.Since(start).Round(time.Microsecond))
	})
}
