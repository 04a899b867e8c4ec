// Package e2e drives the built site (dist/) in headless Chromium, served by
// the real handler (package site), from `go test`.
//
// A test looks like this:
//
//	func TestLeaderElected(t *testing.T) {
//		h := e2e.Start(t)                  // dist/ on 127.0.0.1:<free port>
//		p := h.Page(t, "/index.html")      // a fresh tab, console watched
//		p.WaitFor(`window.sandbox?.state().leader != null`, 5*time.Second)
//		p.Click(`[data-node="A"]`)
//		p.Screenshot("leader")             // e2e/artifacts/TestLeaderElected-leader.png
//		var term int
//		p.Eval(`window.sandbox.state().nodes[0].term`, &term)
//	}
//
// Every page fails its test when the page logs an error, throws an uncaught
// exception, breaks the Content-Security-Policy or fails to load a resource,
// unless the test allows that message with Page.AllowConsole. Waiting is done
// by polling a JavaScript condition (WaitFor), never by sleeping.
//
// The tests need Chromium: $CHROMIUM, or /usr/bin/chromium,
// /usr/bin/chromium-browser or /usr/bin/google-chrome. When none is found the
// tests fail, unless E2E_SKIP=1 is set, which skips them (say so when you do).
// They need dist/: run ./build.sh build first.
//
// The package's TestMain must call Main, so that one browser serves every
// test and is stopped at the end.
package e2e

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"raftsandbox/site"
)

// Artifacts is where screenshots go, relative to the package directory.
const Artifacts = "artifacts"

// Root is the repository root, relative to the package directory.
var Root = ".."

// Main runs the tests and then stops the browser. Call it from TestMain:
//
//	func TestMain(m *testing.M) { e2e.Main(m) }
//
// The tutorial walks (TestTutorialBeats, TestTutorialDeep) run their tabs as
// parallel subtests that spend most of their time waiting on a paused page
// (each beat's second of stillness): Main lets four run at once whatever
// the number of cores (go test's default is GOMAXPROCS), unless
// -test.parallel is given.
func Main(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		if err := flag.Set("test.parallel", "4"); err != nil {
			fmt.Fprintln(os.Stderr, "e2e:", err)
		}
	}
	code := m.Run()
	Shutdown()
	os.Exit(code)
}

// Shutdown stops the browser, if one was started.
func Shutdown() { stopBrowser() }

// FindChromium returns the Chromium to use, or an error that says how to get
// one.
func FindChromium() (string, error) {
	if c := os.Getenv("CHROMIUM"); c != "" {
		if _, err := exec.LookPath(c); err != nil {
			return "", fmt.Errorf("CHROMIUM=%s is not an executable: %v", c, err)
		}
		return c, nil
	}
	for _, c := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if _, err := os.Stat(c); err == nil {
			return c, nil
		}
	}
	return "", errors.New("Chromium is missing: the end-to-end tests need it. Install it " +
		"(Debian/Ubuntu: apt-get install chromium; ./build.sh test does this when run as root) " +
		"or set CHROMIUM=/path/to/chrome. To skip these tests knowingly, set E2E_SKIP=1")
}

// DistDir returns the built site, failing the test when it is missing.
func DistDir(t testing.TB) string {
	t.Helper()
	dist := filepath.Join(Root, "dist")
	if _, err := os.Stat(filepath.Join(dist, "index.html")); err != nil {
		t.Fatalf("e2e: %s/index.html is missing: run ./build.sh build first", dist)
	}
	return dist
}

// Harness is a served site plus the browser.
type Harness struct {
	URL string // the site's base URL, without a trailing slash
	Dir string // the directory served
}

// Start serves dist/ with the site handler on 127.0.0.1:0 and makes sure
// the browser is running.
func Start(t testing.TB) *Harness {
	t.Helper()
	needBrowser(t) // first: E2E_SKIP=1 skips even without dist/
	return StartDir(t, DistDir(t))
}

// StartDir serves any directory (a fixture) with the site handler.
func StartDir(t testing.TB, dir string) *Harness {
	t.Helper()
	needBrowser(t)
	srv := httptest.NewServer(site.New(os.DirFS(dir)))
	t.Cleanup(srv.Close)
	return &Harness{URL: srv.URL, Dir: dir}
}

// Page opens a new tab on the site at path (for example "/index.html").
func (h *Harness) Page(t testing.TB, path string) *Page {
	t.Helper()
	return Open(t, h.URL+path)
}

// ConsoleMessage is one console message, uncaught exception or browser
// log entry of a page. Type is "log", "info", "warning", "error",
// "exception", ...
type ConsoleMessage struct {
	Type, Text, URL string
}

func (m ConsoleMessage) String() string { return m.Type + ": " + m.Text }

// Page is one browser tab.
type Page struct {
	t      testing.TB
	tab    *tab
	URL    string
	closed bool

	mu      sync.Mutex
	console []ConsoleMessage
	allowed []*regexp.Regexp
}

// InitScript runs in every page before the page's own scripts and keeps
// its measurements in window.__e2e:
//
//	rafRequested, rafRun  requestAnimationFrame calls, and callbacks run
//	frameMs               the duration of each callback (last 5000)
//	readyAt               performance.now() at the raft-sandbox-ready event
//	firstFrameAt          performance.now() at the end of the first frame
//	                      callback after ready (the first interactive frame)
//	csp                   Content-Security-Policy violations
//	longTasks             durations of long tasks (> 50 ms)
//
// performance.now() counts from the start of the navigation.
const InitScript = `(() => {
  const probe = { rafRequested: 0, rafRun: 0, frameMs: [], csp: [], longTasks: [], readyAt: null, firstFrameAt: null };
  Object.defineProperty(window, "__e2e", { value: probe, enumerable: false });
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => {
    probe.rafRequested++;
    return raf((ts) => {
      probe.rafRun++;
      const t0 = performance.now();
      try { cb(ts); } finally {
        const t1 = performance.now();
        probe.frameMs.push(t1 - t0);
        if (probe.frameMs.length > 5000) probe.frameMs.splice(0, 1000);
        if (probe.readyAt !== null && probe.firstFrameAt === null) probe.firstFrameAt = t1;
      }
    });
  };
  window.addEventListener("raft-sandbox-ready", () => { if (probe.readyAt === null) probe.readyAt = performance.now(); });
  document.addEventListener("securitypolicyviolation", (e) => {
    probe.csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
  });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.longTasks.push(e.duration);
    }).observe({ type: "longtask", buffered: true });
  } catch (e) { /* no long task timing in this browser */ }
})();`

// Open opens a new tab (in its own browser context: no shared storage) at
// any URL, file:// included.
func Open(t testing.TB, url string) *Page {
	t.Helper()
	needBrowser(t)
	p := &Page{t: t, URL: url}
	tb, err := openTab(func(m ConsoleMessage) {
		p.mu.Lock()
		p.console = append(p.console, m)
		p.mu.Unlock()
	})
	if err != nil {
		t.Fatalf("e2e: opening a tab: %v", err)
	}
	p.tab = tb
	t.Cleanup(p.Close)
	p.Navigate(url)
	return p
}

// Close checks the console (see Problems) and closes the tab. It runs by
// itself when the test ends; call it earlier to stop a page that would
// otherwise keep running (and using the CPU) until then.
func (p *Page) Close() {
	p.t.Helper()
	if p.closed {
		return
	}
	if p.t.Failed() {
		p.Screenshot("failed")
	}
	p.checkConsole()
	p.closed = true
	p.tab.close()
}

// must fails the test when a driver step failed.
func (p *Page) must(what string, err error) {
	p.t.Helper()
	if err != nil {
		p.t.Fatalf("e2e: %s: %v", what, err)
	}
}

// Navigate loads url in the tab and waits for its load event.
func (p *Page) Navigate(url string) {
	p.t.Helper()
	p.URL = url
	p.must("navigate to "+url, p.tab.navigate(url))
}

// Eval evaluates a JavaScript expression and decodes its value (JSON) into
// out, which may be nil. A promise is awaited. An exception fails the test.
func (p *Page) Eval(js string, out any) {
	p.t.Helper()
	if err := p.TryEval(js, out); err != nil {
		p.t.Fatalf("e2e: eval %s: %v", short(js), err)
	}
}

// TryEval is Eval that returns the error instead of failing.
func (p *Page) TryEval(js string, out any) error {
	raw, err := p.tab.eval(js)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

// WaitFor polls the JavaScript condition until it is truthy, failing the
// test (with a screenshot) after timeout. An exception while polling counts
// as false (the page may still be loading), and the last one is reported.
func (p *Page) WaitFor(cond string, timeout time.Duration) {
	p.t.Helper()
	if ok, last := p.poll(cond, timeout); !ok {
		p.Screenshot("waitfor-timeout")
		if last != nil {
			p.t.Fatalf("e2e: %s was not true within %v (last error: %v)%s", short(cond), timeout, last, p.consoleTail())
		}
		p.t.Fatalf("e2e: %s was not true within %v%s", short(cond), timeout, p.consoleTail())
	}
}

// Within polls the JavaScript condition as WaitFor does and says whether it
// became true within timeout, without failing the test.
func (p *Page) Within(cond string, timeout time.Duration) bool {
	ok, _ := p.poll(cond, timeout)
	return ok
}

func (p *Page) poll(cond string, timeout time.Duration) (bool, error) {
	deadline := time.Now().Add(timeout)
	var last error
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		var ok bool
		err := p.TryEval("!!("+cond+")", &ok)
		if err == nil && ok {
			return true, nil
		}
		if err != nil {
			last = err
		}
		if time.Now().After(deadline) {
			return false, last
		}
		<-tick.C
	}
}

// Click clicks the first element that matches the CSS selector, waiting
// until it is visible.
func (p *Page) Click(sel string) {
	p.t.Helper()
	p.must("click "+sel, p.tab.click(sel))
}

// Type focuses the element that matches the selector and types text into
// it, key by key.
func (p *Page) Type(sel, text string) {
	p.t.Helper()
	p.must("type into "+sel, p.tab.sendKeys(sel, text))
}

// SetValue sets the value of an input (no key events).
func (p *Page) SetValue(sel, value string) {
	p.t.Helper()
	p.must("set value of "+sel, p.tab.setValue(sel, value))
}

// Press sends keys to the focused element: a key name ("Enter", "Escape",
// "Tab", "Backspace", "Space", "ArrowLeft", "ArrowRight", "ArrowUp",
// "ArrowDown", "Home", "End", "Delete", "PageUp", "PageDown") or literal
// text ("s", "?").
func (p *Page) Press(key string) {
	p.t.Helper()
	p.must("press "+key, p.tab.press(key))
}

// Focus focuses the element that matches the selector.
func (p *Page) Focus(sel string) {
	p.t.Helper()
	p.must("focus "+sel, p.tab.focus(sel))
}

// Resize sets the viewport (for example 390x844 for a phone).
func (p *Page) Resize(width, height int64) {
	p.t.Helper()
	p.must("resize", p.tab.resize(width, height))
}

// ColorScheme makes the page see the system's colour scheme as "light" or
// "dark" (prefers-color-scheme), as when the reader changes it.
func (p *Page) ColorScheme(scheme string) {
	p.t.Helper()
	p.must("emulate prefers-color-scheme "+scheme, p.tab.colorScheme(scheme))
}

// Hide puts another tab in front of this page, as a reader switching tabs
// does: the page's document.visibilityState becomes "hidden". Call the
// returned func to bring the page back to the front.
func (p *Page) Hide() (show func()) {
	p.t.Helper()
	back, err := p.tab.hide()
	p.must("hide the tab", err)
	return func() {
		p.t.Helper()
		p.must("show the tab", back())
	}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Screenshot saves the viewport as e2e/artifacts/<test>-<name>.png and
// returns the file's path. Look at them: the page must look finished.
func (p *Page) Screenshot(name string) string {
	p.t.Helper()
	png, err := p.tab.screenshot()
	if err != nil {
		p.t.Errorf("e2e: screenshot %s: %v", name, err)
		return ""
	}
	if err := os.MkdirAll(Artifacts, 0o755); err != nil {
		p.t.Errorf("e2e: %v", err)
		return ""
	}
	file := filepath.Join(Artifacts, unsafeName.ReplaceAllString(p.t.Name()+"-"+name, "_")+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		p.t.Errorf("e2e: %v", err)
		return ""
	}
	p.t.Logf("screenshot: %s", file)
	return file
}

// AllowConsole lets console errors that match the regular expression pass
// (for a test that provokes one on purpose).
func (p *Page) AllowConsole(pattern string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.allowed = append(p.allowed, regexp.MustCompile(pattern))
}

// Console returns the console messages so far.
func (p *Page) Console() []ConsoleMessage {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]ConsoleMessage(nil), p.console...)
}

// Problems returns the console errors, uncaught exceptions and CSP
// violations so far that no AllowConsole pattern matches.
func (p *Page) Problems() []string {
	var csp []string
	_ = p.TryEval(`window.__e2e ? window.__e2e.csp : []`, &csp)
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, m := range p.console {
		if m.Type == "error" || m.Type == "exception" {
			text := m.String()
			if m.URL != "" {
				text += " (" + m.URL + ")"
			}
			out = append(out, text)
		}
	}
	for _, v := range csp {
		out = append(out, "CSP violation: "+v)
	}
	var kept []string
outer:
	for _, s := range out {
		for _, re := range p.allowed {
			if re.MatchString(s) {
				continue outer
			}
		}
		kept = append(kept, s)
	}
	return kept
}

func (p *Page) checkConsole() {
	p.t.Helper()
	if probs := p.Problems(); len(probs) > 0 {
		p.t.Errorf("e2e: %s logged %d problem(s):\n  %s", p.URL, len(probs), strings.Join(probs, "\n  "))
	}
}

func (p *Page) consoleTail() string {
	msgs := p.Console()
	if len(msgs) == 0 {
		return ""
	}
	if len(msgs) > 10 {
		msgs = msgs[len(msgs)-10:]
	}
	var b strings.Builder
	b.WriteString("\nlast console messages:")
	for _, m := range msgs {
		b.WriteString("\n  " + m.String())
	}
	return b.String()
}

func short(js string) string {
	js = strings.Join(strings.Fields(js), " ")
	if len(js) > 120 {
		return js[:117] + "..."
	}
	return js
}

// FileURL returns the file:// URL of a local path.
func FileURL(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	abs = filepath.ToSlash(abs)
	if runtime.GOOS == "windows" {
		abs = "/" + abs
	}
	return "file://" + abs
}

// AXNode is one node of the browser's accessibility tree, as a screen
// reader gets it: its computed role and name ("button", "B, leader, term 2").
type AXNode struct {
	Role, Name, Description string
	Ignored                 bool // not exposed (aria-hidden, presentational, invisible...)
	Properties              map[string]string
}

// AXTree returns Chromium's whole accessibility tree of the page (the
// DevTools protocol's Accessibility.getFullAXTree), in document order. It
// first lets two frames render: Chromium brings the tree up to date with
// the page's rendering, as an assistive technology then gets it.
func (p *Page) AXTree() []AXNode {
	p.t.Helper()
	p.Eval(`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, nil)
	nodes, err := p.tab.axTree()
	p.must("read the accessibility tree", err)
	return nodes
}
