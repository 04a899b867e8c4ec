//go:build chaoswip

package chaos

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestScratchSurvey(t *testing.T) {
	counts := map[string]int{}
	examples := map[string]uint64{}
	start := time.Now()
	n := 300
	var vms int64
	for seed := uint64(1); seed <= uint64(n); seed++ {
		res, err := Run(seed, Options{})
		vms += res.VirtualMs
		if err != nil {
			var f *Failure
			errors.As(err, &f)
			key := f.Check + ": " + strings.SplitN(strings.TrimSpace(strings.SplitN(f.Detail, "\n", 3)[min(1, len(strings.SplitN(f.Detail, "\n", 3))-1)]), " ", 4)[0]
			if f.Check == "invariants" {
				key = f.Check + " " + strings.Fields(strings.SplitN(f.Detail, "\n", 3)[1])[0]
			}
			counts[key]++
			if examples[key] == 0 {
				examples[key] = seed
				fmt.Println(seed, f.Detail[:min(len(f.Detail), 300)])
			}
		}
	}
	fmt.Println(counts, examples, time.Since(start)/time.Duration(n), "per seed", vms/int64(n), "virtual ms per seed")
}
