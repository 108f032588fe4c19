// The Go binding of Lode (package lode): generated cgo glue, a few hand-written files, tests.
module github.com/lode-db/lode/go

go 1.24
