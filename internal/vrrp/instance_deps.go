package vrrp

import (
	"context"
	"net/netip"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
	wire "github.com/gokeepalived/keepalived/pkg/vrrp"
)

// The edges the instance loop drives. Each is a small interface so the loop
// runs against fakes in tests; adapters to the real packages (raw sockets,
// netlink, ARP/NDP, scripts, trackers) live in subsystem_adapters*.go.

// NetSpec is what the transport needs to send and receive one instance's
// adverts.
type NetSpec struct {
	Instance  string     // instance name, for log lines
	Interface string     // interface ("" = unicast without interface)
	Family    int        // 4 or 6
	VRID      uint8      // virtual_router_id
	Version   int        // 2 or 3
	Src       netip.Addr // unicast_src_ip / mcast_src_ip (zero: interface address)
	// SrcIface, when Src is zero, names the interface whose primary
	// address is the source (a VMAC's parent); "" = Interface.
	SrcIface string
	Group    netip.Addr // multicast destination (zero: the family's default)
	Peers    []Peer     // unicast peers (empty: multicast)
	TTL      int        // unicast_ttl (-1 unset)
	// CheckUnicastSrc drops adverts from non-peers (check_unicast_src).
	CheckUnicastSrc bool
	AuthType        uint8        // wire.AuthNone / wire.AuthPass
	AuthPass        [8]byte      // auth_pass, NUL-padded
	VIPs            []netip.Addr // virtual_ipaddress of the advert's family
	Options         wire.Options // checksum variants
}

// Peer is one unicast_peer with its accepted TTL range (0 = no bound).
type Peer struct {
	Addr           netip.Addr
	MinTTL, MaxTTL int
}

// Received is one packet the transport demultiplexed to an instance:
// either an advert that passed the packet-level checks (TTL, checksum,
// type, VRID, authentication, length) or a refused one (Drop not
// ReasonNone), which is only counted.
type Received struct {
	Advert Advert
	Drop   wire.Reason
}

// Transport opens the per-instance endpoints of the VRRP socket pool.
type Transport interface {
	// Open starts receiving for spec; rx is called (from any goroutine)
	// for each packet for this instance.
	Open(ctx context.Context, spec NetSpec, rx func(Received)) (Endpoint, error)
}

// Endpoint is one instance's share of the socket pool.
type Endpoint interface {
	// Send transmits one advert to the group or every unicast peer.
	Send(a wire.Advert) error
	// Source is the address adverts are sent from (the tie-breaker).
	Source() netip.Addr
	// Close stops receiving for the instance.
	Close() error
}

// AddrSet is everything an instance installs as master.
type AddrSet struct {
	Interface string // default device of VIPs without dev
	VIPs      []*config.IPAddress
	EVIPs     []*config.IPAddress
	Routes    []*config.Route
	Rules     []*config.Rule
}

// Empty tells whether the set holds nothing.
func (s AddrSet) Empty() bool {
	return len(s.VIPs)+len(s.EVIPs)+len(s.Routes)+len(s.Rules) == 0
}

// AddrManager installs and removes VIPs, routes and rules (netlink).
// Adding what exists and removing what is absent are not errors.
type AddrManager interface {
	Add(ctx context.Context, set AddrSet) error
	Remove(ctx context.Context, set AddrSet) error
}

// Announcer sends gratuitous ARPs (IPv4) and unsolicited neighbour
// advertisements (IPv6) for addresses on an interface.
type Announcer interface {
	// Announce sends repeat messages per address, spaced by interval
	// (zero: back to back). It may block for the whole burst.
	Announce(ctx context.Context, iface string, addrs []netip.Addr, repeat int, interval time.Duration) error
}

// Notification is one notify event: scripts to run and a FIFO line.
type Notification struct {
	Group    bool   // a sync group (GROUP) rather than an instance (INSTANCE)
	Name     string // instance or group name
	State    string // MASTER, BACKUP, FAULT, STOP, DELETED, MASTER_RX_LOWER_PRI, MASTER_PRIORITY, BACKUP_PRIORITY
	Priority int    // effective priority (0 for groups)
	Scripts  config.Notify
}

// Notifier runs notify scripts and writes notify FIFO lines. The loop
// calls it from one dedicated goroutine, in order, so it may block.
type Notifier interface {
	Notify(ctx context.Context, n Notification)
}

// TrackState is the combined tracker state of one instance.
type TrackState struct {
	Instance string
	// Delta is the sum of the weights tracked objects contribute.
	Delta int
	// Faults names the weight-0 tracked objects that are failing.
	Faults []string
	// Pending names weight-0 vrrp_scripts without a first result; as in
	// keepalived, the instance waits in INIT until none is pending.
	Pending []string
}

// TrackerSource runs the vrrp_script, track_file, track_process and
// track_interface trackers of a model and reports each instance's state
// whenever it changes (and once at start).
type TrackerSource interface {
	Start(ctx context.Context, m *config.Model, update func(TrackState)) error
	Stop()
}

// LinkWatcher reports interface link changes.
type LinkWatcher interface {
	// Watch calls fn (from any goroutine) on each change, until ctx ends.
	Watch(ctx context.Context, fn func(iface string, up bool)) error
	// Up tells whether the interface is up now.
	Up(iface string) (bool, error)
}

// AddrWatcher reports addresses deleted from interfaces, so a master
// notices a VIP removed by hand.
type AddrWatcher interface {
	// WatchRemoved calls fn (from any goroutine) for each address
	// removed from an interface, until ctx ends.
	WatchRemoved(ctx context.Context, fn func(iface string, addr netip.Addr)) error
	// Present tells whether the interface has the address now (a removal
	// reported late may have been undone already, e.g. by a reload moving
	// the address between instances).
	Present(iface string, addr netip.Addr) bool
}

// Timer is the loop's one timer.
type Timer interface {
	// C delivers when the deadline passes.
	C() <-chan time.Time
	// Reset arms the timer for at; the zero time stops it.
	Reset(at time.Time)
	// Stop stops it for good; the loop calls it once, when it ends (a
	// timer may release its resources then).
	Stop()
}

// LoopClock is the loop's time source: real in production, fake in tests.
type LoopClock interface {
	Clock
	NewTimer() Timer
}

// VMACSpec is the macvlan interface of a use_vmac instance.
type VMACSpec struct {
	Name   string // interface name (vrrp.VRID or use_vmac's name)
	Parent string // the instance's interface
	VRID   int
	Family int    // 4 or 6: selects 00:00:5e:00:01:VRID or 00:00:5e:00:02:VRID
	MAC    string // use_vmac's MAC ("" = the virtual router MAC)
	// XmitBase sends and receives adverts on Parent (vmac_xmit_base); the
	// VIPs and their GARPs stay on the VMAC.
	XmitBase bool
}

// VMACManager creates and deletes VMAC interfaces (netlink).
type VMACManager interface {
	// Create creates the interface, or adopts a matching one, and sets it
	// up with keepalived's settings; it reports whether it created it.
	Create(ctx context.Context, v VMACSpec) (bool, error)
	// Delete deletes it; an absent interface is not an error.
	Delete(ctx context.Context, name string) error
}
