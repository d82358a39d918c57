package check

import "context"

// tcpProber is TCP_CHECK: a successful connect is a success.
type tcpProber struct{ co connOpts }

// Probe connects and closes.
func (p *tcpProber) Probe(ctx context.Context, _ int) Result {
	if err := p.co.connect(ctx); err != nil {
		if isTimeout(err) {
			return Result{Reason: "timeout", Detail: err.Error(), Exit: -1}
		}
		return Result{Reason: "failed", Detail: err.Error(), Exit: -1}
	}
	return Result{OK: true, Exit: -1}
}
