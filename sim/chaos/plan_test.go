package chaos

import (
	"reflect"
	"testing"

	"raftsandbox/raft"
	"raftsandbox/sim"
)

func TestPlanIsAPureFunctionOfTheSeed(t *testing.T) {
	for seed := uint64(1); seed <= 50; seed++ {
		a := NewPlan(seed, raft.Bugs{}, DefaultProfile())
		b := NewPlan(seed, raft.Bugs{}, DefaultProfile())
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("seed %d: two plans differ", seed)
		}
	}
	if reflect.DeepEqual(NewPlan(1, raft.Bugs{}, DefaultProfile()).Faults, NewPlan(2, raft.Bugs{}, DefaultProfile()).Faults) {
		t.Fatal("seeds 1 and 2 give the same schedule")
	}
}

func TestPlanShape(t *testing.T) {
	p := DefaultProfile()
	seen := map[FaultKind]int{}
	ops := map[sim.Op]int{}
	for seed := uint64(1); seed <= 200; seed++ {
		plan := NewPlan(seed, raft.Bugs{}, p)
		c := plan.Config
		if c.Seed != seed || c.Nodes < p.MinSize || c.Nodes > p.MaxSize {
			t.Fatalf("seed %d: bad config %+v", seed, c)
		}
		if c.LatencyMinMs <= 0 || c.LatencyMaxMs <= c.LatencyMinMs || c.SnapshotEvery < p.SnapshotMin {
			t.Fatalf("seed %d: bad config %+v", seed, c)
		}
		last := int64(0)
		for _, e := range plan.Faults {
			if e.At < last || e.At <= 0 || e.At >= plan.FaultUntil {
				t.Fatalf("seed %d: event %v out of order or outside the fault phase", seed, e)
			}
			last = e.At
			seen[e.Kind]++
			switch e.Kind {
			case KindPartition:
				if e.Groups < 2 || e.Groups > 3 {
					t.Fatalf("seed %d: bad partition %v", seed, e)
				}
			case KindRates:
				if e.DropPct < 0 || e.DropPct > 30 || e.DupPct < 0 || e.DupPct > 20 || e.ReorderPct < 0 || e.ReorderPct > 30 {
					t.Fatalf("seed %d: bad rates %v", seed, e)
				}
			case KindLatency:
				if e.LatencyMinMs <= 0 || e.LatencyMaxMs <= e.LatencyMinMs {
					t.Fatalf("seed %d: bad latency %v", seed, e)
				}
			}
		}
		if len(plan.Clients) != p.Clients {
			t.Fatalf("seed %d: %d clients, want %d", seed, len(plan.Clients), p.Clients)
		}
		for _, client := range plan.Clients {
			// enough requests for a client that never waits
			if n := int64(len(client)); n*p.ThinkMs < p.FaultMs {
				t.Fatalf("seed %d: only %d requests for a client", seed, n)
			}
			for _, op := range client {
				ops[op.Input.Op]++
				if op.ThinkMs < 0 || op.ThinkMs >= 2*p.ThinkMs {
					t.Fatalf("seed %d: think time %d", seed, op.ThinkMs)
				}
				if back, err := sim.ParseCommand(op.Input.String()); err != nil || back != op.Input {
					t.Fatalf("seed %d: %q reads back as %+v, %v", seed, op.Input.String(), back, err)
				}
			}
		}
	}
	for _, k := range faultKinds {
		if seen[k] == 0 && p.Weights[k] > 0 {
			t.Errorf("200 plans never contain a %s", k)
		}
	}
	for _, o := range []sim.Op{sim.OpSet, sim.OpAdd, sim.OpGet} {
		if ops[o] == 0 {
			t.Errorf("200 plans never issue a %s", o)
		}
	}
}

func TestNamedProfiles(t *testing.T) {
	used := map[FaultKind]bool{}
	for _, name := range ProfileNames() {
		p, err := ProfileByName(name)
		if err != nil {
			t.Fatal(err)
		}
		for k, w := range p.Weights {
			used[k] = used[k] || w > 0
		}
	}
	for _, k := range faultKinds {
		if !used[k] {
			t.Errorf("no profile ever injects a %s", k)
		}
	}
	if _, err := ProfileByName("nope"); err == nil {
		t.Error("an unknown profile name was accepted")
	}
	for _, bug := range AllBugNames() {
		if _, err := ProfileByName(BugProfile(bug)); err != nil {
			t.Errorf("bug %s: %v", bug, err)
		}
	}
}

func TestProfileWeightsSelectFaults(t *testing.T) {
	p := DefaultProfile()
	p.Weights = map[FaultKind]int{KindCrash: 1}
	for seed := uint64(1); seed <= 20; seed++ {
		for _, e := range NewPlan(seed, raft.Bugs{}, p).Faults {
			if e.Kind != KindCrash {
				t.Fatalf("seed %d: a %s with only crashes weighted", seed, e.Kind)
			}
		}
	}
}
