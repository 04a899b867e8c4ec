// Package bench measures this project's Raft core against etcd's raft
// (go.etcd.io/raft/v3) in one harness. It is a separate module so that the
// product never depends on etcd. See docs/benchmarks.md.
//
//	go run ./cmd/corebench           # both cores, interleaved, with ratios
//	go test -bench . -benchmem       # the same harness as Go benchmarks
package bench
