package sim

import (
	"fmt"
	"testing"
)

// goldenTrace is the combined trace hash of 100 seeds of randomWorkload. It
// must be the same natively and under GOOS=js GOARCH=wasm (the build runs
// this test in both): a change here means the simulation itself changed —
// update the constant only for a deliberate change of behaviour.
const goldenTrace = 0x53ac7dac36adce6b

func TestCrossPlatformTraceHash(t *testing.T) {
	var combined uint64
	for seed := uint64(1); seed <= 100; seed++ {
		s := randomWorkload(t, seed, 2000)
		combined = mix64(combined ^ s.TraceHash())
	}
	if got := fmt.Sprintf("%#x", combined); combined != goldenTrace {
		t.Fatalf("combined trace hash of 100 seeds = %s, want %#x.\n"+
			"If natively and in wasm the hashes differ, determinism is broken across platforms. If both agree on the new\n"+
			"value, the simulation's behaviour changed (the core or the simulator): check that this was intended, then set\n"+
			"goldenTrace in sim/golden_test.go to it. Replay: go test ./sim/ -run TestCrossPlatformTraceHash -v", got, uint64(goldenTrace))
	}
}
