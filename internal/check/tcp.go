package check

import (
	"context"
)

// tcpProber is TCP_CHECK: a successful connect is a success.
type tcpProber struct{ co connOpts }

// Probe connects and closes.
func (p *tcpProber) Probe(ctx context.Context, _ int) Result {
	return tcpResult(p.co.connect(ctx))
}

// direct lets the Runner start the probe on its poller itself, without
// a goroutine (directProber).
func (p *tcpProber) direct() connOpts { return p.co }

// tcpResult is TCP_CHECK's result of a connect.
func tcpResult(err error) Result {
	if err != nil {
		if isTimeout(err) {
			return Result{Reason: "timeout", Detail: err.Error(), Exit: -1}
		}
		return Result{Reason: "failed", Detail: err.Error(), Exit: -1}
	}
	return Result{OK: true, Exit: -1}
}
