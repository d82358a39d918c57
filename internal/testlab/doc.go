// Package testlab builds small network labs for tests: a switch namespace
// holding a bridge, and host namespaces each with an eth0 veth plugged
// into it. Everything it creates is deleted in t.Cleanup, on failure too.
// It also runs commands and functions inside namespaces and captures
// frames there. Only tests use it; tests that need it skip when not root,
// except under CI=true, where they must run.
package testlab
