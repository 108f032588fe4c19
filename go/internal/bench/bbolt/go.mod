// The bbolt row of `cargo tools bench` (main.go): its own module, so that users of the lode
// module never download bbolt.
module github.com/lode-db/lode/go/internal/bench/bbolt

go 1.24

require (
	github.com/lode-db/lode/go v0.0.0
	go.etcd.io/bbolt v1.4.3
)

require golang.org/x/sys v0.29.0 // indirect

replace github.com/lode-db/lode/go => ../../..
