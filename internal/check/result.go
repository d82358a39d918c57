package check

import "context"

// Result is the outcome of one probe.
type Result struct {
	// OK reports success.
	OK bool
	// Reason is keepalived's wording of a failure ("Timeout connecting",
	// "HTTP status code error to", ...) or, for MISC_CHECK, the exit
	// description; empty on success.
	Reason string
	// Detail is extra text for logs (an error message); may be empty.
	Detail string
	// Exit is a MISC_CHECK exit status (or signal number when Signaled);
	// -1 when not applicable.
	Exit int
	// Signaled reports that Exit is a signal number.
	Signaled bool
	// TimedOut reports a MISC_CHECK killed at misc_timeout.
	TimedOut bool
	// Success is the success wording of HTTP_GET ("HTTP status code",
	// "MD5 digest").
	Success string
}

// Prober runs one probe of a check. Step numbers the url of HTTP_GET and
// SSL_GET checks (0 for other kinds). Probe must return when ctx is done.
type Prober interface {
	Probe(ctx context.Context, step int) Result
}

// ProberFunc adapts a function to Prober.
type ProberFunc func(ctx context.Context, step int) Result

// Probe calls f.
func (f ProberFunc) Probe(ctx context.Context, step int) Result { return f(ctx, step) }
