//go:build js

package e2e

import (
	"errors"
	"testing"
)

// Under GOOS=js there is no browser to drive: the package compiles (so that
// `GOOS=js GOARCH=wasm go vet ./...` covers the tests) and every test skips.

var errNoBrowser = errors.New("no browser under GOOS=js")

func stopBrowser() {}

func needBrowser(t testing.TB) {
	t.Helper()
	t.Skip("e2e: the end-to-end tests run natively, not under GOOS=js")
}

type tab struct{}

func openTab(func(ConsoleMessage)) (*tab, error) { return nil, errNoBrowser }
func (*tab) close()                              {}
func (*tab) navigate(string) error               { return errNoBrowser }
func (*tab) eval(string) ([]byte, error)         { return nil, errNoBrowser }
func (*tab) click(string) error                  { return errNoBrowser }
func (*tab) sendKeys(string, string) error       { return errNoBrowser }
func (*tab) setValue(string, string) error       { return errNoBrowser }
func (*tab) press(string) error                  { return errNoBrowser }
func (*tab) focus(string) error                  { return errNoBrowser }
func (*tab) resize(int64, int64) error           { return errNoBrowser }
func (*tab) screenshot() ([]byte, error)         { return nil, errNoBrowser }
func (*tab) colorScheme(string) error            { return errNoBrowser }

func (*tab) hide() (func() error, error) { return nil, errNoBrowser }
func (*tab) axTree() ([]AXNode, error)   { return nil, errNoBrowser }
