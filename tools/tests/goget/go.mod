// A test module outside the released one: proves that `go get` of the packaged module works.
module example.com/lode-goget-test

go 1.24
