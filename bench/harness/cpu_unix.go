//go:build unix

package harness

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user plus system) this process has used,
// all threads included, so the garbage collector's work counts too.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
