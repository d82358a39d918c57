package ipvs

import "time"

// Kernel is the IPVS table of the running kernel. Implementations return
// errors that match os.ErrExist when adding something that exists and
// os.ErrNotExist when changing something that does not (syscall.EEXIST and
// syscall.ENOENT do).
type Kernel interface {
	// GetServices lists every service; fwmark services have an invalid
	// Addr and Protocol 0.
	GetServices() ([]Service, error)
	// GetDestinations lists the destinations of s.
	GetDestinations(s Service) ([]Dest, error)
	NewService(s Service) error
	UpdateService(s Service) error
	DelService(s Service) error
	NewDestination(s Service, d Dest) error
	UpdateDestination(s Service, d Dest) error
	DelDestination(s Service, d Dest) error
	// SetConfig sets the connection timeouts; a zero field leaves the
	// kernel's value unchanged.
	SetConfig(t Timeouts) error
	// Flush removes every service.
	Flush() error
}

// OpBatcher is implemented by kernels that carry out several changes in
// one round trip. Do applies ops in order and returns one error per op,
// with the meanings Kernel's methods give them.
type OpBatcher interface {
	Do(ops []Op) []error
}

// Timeouts are IPVS connection timeouts (lvs_timeouts).
type Timeouts struct {
	TCP, TCPFin, UDP time.Duration
}

// IsZero reports whether no timeout is set.
func (t Timeouts) IsZero() bool { return t.TCP == 0 && t.TCPFin == 0 && t.UDP == 0 }
