//go:build !unix

package harness

import "time"

// processCPU is not available here (for example under js/wasm).
func processCPU() (time.Duration, bool) { return 0, false }
