package vrrpnet

import (
	"log/slog"
	"time"
)

// Options configure a Pool.
type Options struct {
	// Logger receives keepalived-style messages; nil discards them.
	Logger *slog.Logger
	// LogUnknownVRIDs logs adverts for unregistered VRIDs
	// (log_unknown_vrids); they are counted either way.
	LogUnknownVRIDs bool
	// Now is the clock stamping received packets; nil means time.Now.
	Now func() time.Time
	// open replaces the raw sockets in unit tests.
	open opener
}

// defaultQueueLen is a Conn's receive channel capacity unless the Spec
// sets one.
const defaultQueueLen = 64

// addrCacheTTL is how long a socket reuses the interface's address list
// (primary source and own-address checks).
const addrCacheTTL = time.Second

// logEvery is the minimum interval between two log lines of one kind for
// one instance (keepalived rate-limits receive errors too).
const logEvery = time.Second
