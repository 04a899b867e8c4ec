//go:build !js

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// browser is the one Chromium of the test binary, started on first use.
var browser struct {
	once   sync.Once
	ctx    context.Context // a chromedp context with the browser attached
	cancel func()
	err    error
	dir    string
}

func stopBrowser() {
	if browser.cancel != nil {
		browser.cancel()
	}
	if browser.dir != "" {
		os.RemoveAll(browser.dir)
	}
}

// needBrowser starts the shared browser, failing (or, with E2E_SKIP=1,
// skipping) the test when there is no Chromium.
func needBrowser(t testing.TB) {
	t.Helper()
	if os.Getenv("E2E_SKIP") == "1" {
		t.Skip("E2E_SKIP=1: end-to-end tests skipped on request")
	}
	browser.once.Do(func() {
		exe, err := FindChromium()
		if err != nil {
			browser.err = err
			return
		}
		dir, err := os.MkdirTemp("", "raft-sandbox-e2e-chromium-")
		if err != nil {
			browser.err = err
			return
		}
		browser.dir = dir
		opts := []chromedp.ExecAllocatorOption{
			chromedp.ExecPath(exe),
			chromedp.UserDataDir(dir),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.NoDefaultBrowserCheck,
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-dev-shm-usage", true),
			chromedp.Flag("disable-extensions", true),
			chromedp.Flag("force-color-profile", "srgb"),
			chromedp.Flag("password-store", "basic"),
			// No renderer-backgrounding flags: a hidden tab behaves as
			// it would for a reader.
			chromedp.WindowSize(1280, 800),
		}
		actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
		bctx, bcancel := chromedp.NewContext(actx)
		// The first Do starts the browser; its context must carry no
		// timeout (see chromedp.Run).
		if err := chromedp.Do(bctx); err != nil {
			bcancel()
			acancel()
			browser.err = fmt.Errorf("starting %s: %w", exe, err)
			return
		}
		browser.ctx = bctx
		browser.cancel = func() { bcancel(); acancel() }
	})
	if browser.err != nil {
		t.Fatalf("e2e: %v", browser.err)
	}
}

// tab is one chromedp tab, in its own browser context.
type tab struct {
	ctx    context.Context
	cancel func()
}

func openTab(onConsole func(ConsoleMessage)) (*tab, error) {
	ctx, cancel := chromedp.NewContext(browser.ctx, chromedp.WithNewBrowserContext())
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			onConsole(ConsoleMessage{Type: string(m.Type), Text: m.Text, URL: m.URL})
		}
	}()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: InitScript}); err != nil {
		cancel()
		return nil, fmt.Errorf("installing the init script: %w", err)
	}
	return &tab{ctx: ctx, cancel: cancel}, nil
}

func (tb *tab) close() { tb.cancel() }

func (tb *tab) do(timeout time.Duration, steps ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(tb.ctx, timeout)
	defer cancel()
	return chromedp.Do(ctx, steps...)
}

func (tb *tab) navigate(url string) error {
	return tb.do(30*time.Second, chromedp.Navigate(url))
}

func (tb *tab) eval(js string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
}

func (tb *tab) click(sel string) error {
	return tb.do(10*time.Second, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

func (tb *tab) sendKeys(sel, text string) error {
	return tb.do(10*time.Second, chromedp.SendKeys(chromedp.CSS(sel), text, chromedp.NodeVisible))
}

func (tb *tab) setValue(sel, value string) error {
	return tb.do(10*time.Second, chromedp.SetValue(chromedp.CSS(sel), value))
}

var keys = map[string]string{
	"Enter": kb.Enter, "Escape": kb.Escape, "Tab": kb.Tab, "Backspace": kb.Backspace,
	"Space": " ", "ArrowLeft": kb.ArrowLeft, "ArrowRight": kb.ArrowRight,
	"ArrowUp": kb.ArrowUp, "ArrowDown": kb.ArrowDown, "Home": kb.Home, "End": kb.End,
	"Delete": kb.Delete, "PageUp": kb.PageUp, "PageDown": kb.PageDown,
}

func (tb *tab) press(key string) error {
	k, ok := keys[key]
	if !ok {
		k = key
	}
	return tb.do(10*time.Second, chromedp.KeyEvent(k))
}

func (tb *tab) focus(sel string) error {
	return tb.do(10*time.Second, chromedp.Focus(chromedp.CSS(sel)))
}

func (tb *tab) resize(width, height int64) error {
	return tb.do(10*time.Second, chromedp.EmulateViewport(width, height))
}

// colorScheme emulates the system's prefers-color-scheme ("light", "dark",
// or "" for the real one).
func (tb *tab) colorScheme(scheme string) error {
	params := emulation.SetEmulatedMediaParams{}
	if scheme != "" {
		params.Features = []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}
	}
	_, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, params)
	return err
}

func (tb *tab) screenshot() ([]byte, error) {
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	return chromedp.Run(ctx, chromedp.CaptureScreenshot())
}

// hide minimizes the tab's window, as a reader who switches away does, so
// that the page becomes hidden (visibilityState "hidden"). show restores
// the window.
func (tb *tab) hide() (show func() error, err error) {
	win, err := chromedp.Call(tb.ctx, cdpbrowser.GetWindowForTarget, cdpbrowser.GetWindowForTargetParams{})
	if err != nil {
		return nil, err
	}
	set := func(state cdpbrowser.WindowState) error {
		_, err := chromedp.CallBrowser(tb.ctx, cdpbrowser.SetWindowBounds, cdpbrowser.SetWindowBoundsParams{
			WindowID: win.WindowID, Bounds: &cdpbrowser.Bounds{WindowState: state},
		})
		return err
	}
	if err := set(cdpbrowser.WindowStateMinimized); err != nil {
		return nil, err
	}
	return func() error { return set(cdpbrowser.WindowStateNormal) }, nil
}

// axTree reads the page's accessibility tree (Accessibility.getFullAXTree).
func (tb *tab) axTree() ([]AXNode, error) {
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	res, err := chromedp.Call(ctx, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
	if err != nil {
		return nil, err
	}
	str := func(v *accessibility.Value) string {
		if v == nil || len(v.Value) == 0 {
			return ""
		}
		var s string
		if json.Unmarshal(v.Value, &s) == nil {
			return s
		}
		return string(v.Value) // a number or a boolean, as JSON
	}
	out := make([]AXNode, 0, len(res.Nodes))
	for _, n := range res.Nodes {
		a := AXNode{Role: str(n.Role), Name: str(n.Name), Description: str(n.Description), Ignored: n.Ignored}
		if len(n.Properties) > 0 {
			a.Properties = make(map[string]string, len(n.Properties))
			for _, pr := range n.Properties {
				a.Properties[string(pr.Name)] = str(pr.Value)
			}
		}
		out = append(out, a)
	}
	return out, nil
}
