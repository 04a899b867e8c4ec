//go:build chaoswip

package chaos

import (
	"fmt"
	"testing"
	"time"
)

func TestScratchCost(t *testing.T) {
	for _, keys := range []int{3, 6, 10} {
		for _, clients := range []int{3, 2} {
			p := DefaultProfile()
			p.Keys = keys
			p.Clients = clients
			start := time.Now()
			fails := 0
			for seed := uint64(1); seed <= 30; seed++ {
				if _, err := Run(seed, Options{Profile: p}); err != nil {
					fails++
				}
			}
			fmt.Println("keys", keys, "clients", clients, time.Since(start)/30, "fails", fails)
		}
	}
	p := DefaultProfile()
	p.Weights = map[Kind]int{KindTimeout: 1}
	start := time.Now()
	for seed := uint64(1); seed <= 30; seed++ {
		Run(seed, Options{Profile: p})
	}
	fmt.Println("no faults", time.Since(start)/30)
}
