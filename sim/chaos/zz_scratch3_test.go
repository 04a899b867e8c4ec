//go:build chaoswip

package chaos

import (
	"fmt"
	"strings"
	"testing"
)

func TestScratchQuorum(t *testing.T) {
	for seed := uint64(1); seed <= 600; seed++ {
		_, err := Run(seed, Options{})
		if err != nil {
			s := err.Error()
			i := strings.Index(s, "durable on only")
			if i < 0 {
				fmt.Println(seed, s[:200])
				continue
			}
			fmt.Println(seed, s[i:i+30])
		}
	}
}
