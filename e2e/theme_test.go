//go:build !js

package e2e

import (
	"fmt"
	"testing"
	"time"
)

// TestPageThemeFollowsTheSystem: the "auto" theme follows the system's
// colour scheme, also when it changes while the page is open; the theme
// button then forces light or dark whatever the system says.
func TestPageThemeFollowsTheSystem(t *testing.T) {
	h := Start(t)
	p := h.Page(t, "/index.html#seed=2&paused=1")
	p.ColorScheme("light")
	p.WaitFor(`window.sandbox && window.__app`, 10*time.Second)
	setTheme(p, "auto")
	type look struct {
		Dark  bool   `json:"dark"`
		HTML  bool   `json:"html"`
		Bg    string `json:"bg"`
		Panel string `json:"panel"`
		Theme string `json:"theme"`
	}
	read := func() look {
		t.Helper()
		var l look
		p.Eval(`(() => { const rs = document.querySelector(".rs"); const cs = getComputedStyle(rs);
			return { dark: rs.hasAttribute("data-dark"), html: document.documentElement.hasAttribute("data-dark"),
				bg: cs.getPropertyValue("--bg").trim(), panel: cs.getPropertyValue("--panel").trim(), theme: window.__app.theme }; })()`, &l)
		return l
	}
	light := read()
	if light.Dark || light.HTML || light.Theme != "auto" {
		t.Fatalf("auto theme on a light system: %+v, want no data-dark", light)
	}

	p.ColorScheme("dark")
	p.WaitFor(`document.querySelector(".rs").hasAttribute("data-dark")`, 5*time.Second)
	dark := read()
	if !dark.HTML || dark.Bg == light.Bg || dark.Panel == light.Panel {
		t.Errorf("auto theme after the system turned dark: %+v (light was %+v), want the dark palette on the page and <html>", dark, light)
	}
	p.Screenshot("auto-dark")

	// auto -> light: forced light on a dark system
	p.Eval(`window.__app.cycleTheme()`, nil)
	if l := read(); l.Theme != "light" || l.Dark || l.Bg != light.Bg {
		t.Errorf("forced light on a dark system: %+v, want the light palette %q", l, light.Bg)
	}
	// light -> dark: forced dark on a light system
	p.ColorScheme("light")
	p.Eval(`window.__app.cycleTheme()`, nil)
	if l := read(); l.Theme != "dark" || !l.Dark || l.Bg != dark.Bg {
		t.Errorf("forced dark on a light system: %+v, want the dark palette %q", l, dark.Bg)
	}
	// back to auto: the theme is remembered (localStorage) for the next pages
	p.Eval(`window.__app.cycleTheme()`, nil)
	p.ColorScheme("")
}

// setTheme presses the theme button (through the app) until the page's
// theme is want: "auto", "light" or "dark".
func setTheme(p *Page, want string) {
	p.t.Helper()
	p.Eval(fmt.Sprintf(`(() => { for (let i = 0; i < 3 && window.__app.theme !== %q; i++) window.__app.cycleTheme(); return window.__app.theme; })()`, want), nil)
	p.WaitFor(fmt.Sprintf(`document.documentElement.dataset.theme === %q`, want), 5*time.Second)
}
