module raftsandbox/bench

go 1.26

require (
	go.etcd.io/raft/v3 v3.7.0
	raftsandbox v0.0.0
)

require google.golang.org/protobuf v1.36.11 // indirect

replace raftsandbox => ../
