module raftsandbox/worker

go 1.26

require raftsandbox v0.0.0

require github.com/syumai/workers v0.33.0

replace raftsandbox => ..
