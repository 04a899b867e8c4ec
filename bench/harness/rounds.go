package harness

import (
	"fmt"
	"io"
)

// Core names a core and builds a fresh three-node cluster of it.
type Core struct {
	Name string
	New  func() (Cluster, error)
}

// Interleave runs every core in every mode for the given number of rounds,
// interleaved so that a slow patch of a shared machine hurts every core
// alike: within each round and mode the cores take turns, and the core that
// goes first alternates from round to round. Each run gets a fresh cluster.
// Progress lines go to progress (may be io.Discard). A core that fails is
// reported in the returned error and skipped from then on; the others go on.
func Interleave(cores []Core, modes []Mode, proposals, rounds int, progress io.Writer) ([]Result, error) {
	payloads := Payloads(proposals)
	failed := map[string]error{}
	var results []Result
	for round := range rounds {
		for _, mode := range modes {
			for k := range cores {
				core := cores[(k+round)%len(cores)]
				if failed[core.Name] != nil {
					continue
				}
				c, err := core.New()
				if err == nil {
					var r Result
					r, err = Run(core.Name, c, payloads, mode)
					if err == nil {
						results = append(results, r)
						fmt.Fprintf(progress, "round %d/%d  %-14s %-5s %12s proposals/s  %7.2f allocs/prop\n",
							round+1, rounds, mode.Name, core.Name, thousands(r.PerSecond()), r.AllocsPerProposal())
						continue
					}
				}
				failed[core.Name] = err
				fmt.Fprintf(progress, "round %d/%d  %-14s %-5s FAILED: %v\n", round+1, rounds, mode.Name, core.Name, err)
			}
		}
	}
	var err error
	for _, core := range cores {
		if e := failed[core.Name]; e != nil {
			err = fmt.Errorf("%s failed: %w", core.Name, e)
			break
		}
	}
	return results, err
}
