package ipvs

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"net"
	"net/netip"

	mobyipvs "github.com/moby/ipvs"
	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netlink/nl"
)

// Netlink is the production Kernel: the service list, flush and timeouts
// through moby/ipvs; every change, the destination lists and the sync
// daemon through our own generic-netlink messages (genlConn), which carry
// what moby/ipvs lacks (destination address family, tunnel type, port
// and flags) and can share one send.
type Netlink struct {
	h    *mobyipvs.Handle
	conn *genlConn
}

var (
	_ Kernel    = (*Netlink)(nil)
	_ OpBatcher = (*Netlink)(nil)
)

// NewNetlink opens the IPVS generic-netlink family of the current network
// namespace (moby/ipvs loads ip_vs with modprobe if needed).
func NewNetlink() (*Netlink, error) {
	h, err := mobyipvs.New("")
	if err != nil {
		return nil, fmt.Errorf("ipvs: open: %w", err)
	}
	f, err := netlink.GenlFamilyGet("IPVS")
	if err != nil {
		h.Close()
		return nil, fmt.Errorf("ipvs: IPVS netlink family: %w", err)
	}
	c, err := newGenlConn(f.ID)
	if err != nil {
		h.Close()
		return nil, fmt.Errorf("ipvs: %w", err)
	}
	return &Netlink{h: h, conn: c}, nil
}

// Close releases the netlink sockets.
func (n *Netlink) Close() {
	n.conn.close()
	n.h.Close()
}

// netmaskToKernel converts a prefix length to moby's Netmask: the IPv4 mask
// bytes read in native order, or the IPv6 prefix length.
func netmaskToKernel(family uint16, prefix int) uint32 {
	if family == AFInet6 {
		return uint32(prefix)
	}
	m := ^uint32(0) << (32 - min(max(prefix, 0), 32))
	if prefix == 0 {
		m = 0
	}
	return nl.NativeEndian().Uint32(binary.BigEndian.AppendUint32(nil, m))
}

// netmaskFromKernel is the inverse of netmaskToKernel.
func netmaskFromKernel(family uint16, v uint32) int {
	if family == AFInet6 {
		return int(v)
	}
	b := make([]byte, 4)
	nl.NativeEndian().PutUint32(b, v)
	return bits.OnesCount32(binary.BigEndian.Uint32(b))
}

func toMoby(s Service) *mobyipvs.Service {
	m := &mobyipvs.Service{
		AddressFamily: s.Family, Protocol: s.Protocol, Port: s.Port, FWMark: s.Fwmark,
		SchedName: s.Sched, Flags: s.Flags, Timeout: s.Timeout,
		Netmask: netmaskToKernel(s.Family, s.Netmask), PEName: s.PEName,
	}
	if s.Fwmark == 0 && s.Addr.IsValid() {
		m.Address = net.IP(addrBytes(s.Addr))
	}
	return m
}

func fromMoby(m *mobyipvs.Service) Service {
	s := Service{ServiceKey: ServiceKey{Family: m.AddressFamily, Protocol: m.Protocol, Port: m.Port, Fwmark: m.FWMark},
		Sched: m.SchedName, Flags: m.Flags, Timeout: m.Timeout,
		Netmask: netmaskFromKernel(m.AddressFamily, m.Netmask), PEName: m.PEName}
	if a, ok := netip.AddrFromSlice(m.Address); ok && m.FWMark == 0 {
		s.Addr = a.Unmap()
	}
	if s.Fwmark != 0 {
		s.Protocol, s.Port = 0, 0
	}
	return s
}

// GetServices implements Kernel.
func (n *Netlink) GetServices() ([]Service, error) {
	ms, err := n.h.GetServices()
	if err != nil {
		return nil, err
	}
	out := make([]Service, 0, len(ms))
	for _, m := range ms {
		out = append(out, fromMoby(m))
	}
	return out, nil
}

// NewService implements Kernel.
func (n *Netlink) NewService(s Service) error { return n.change(Op{Kind: AddService, Service: s}) }

// UpdateService implements Kernel.
func (n *Netlink) UpdateService(s Service) error {
	return n.change(Op{Kind: UpdateService, Service: s})
}

// DelService implements Kernel.
func (n *Netlink) DelService(s Service) error { return n.change(Op{Kind: DelService, Service: s}) }

// Flush implements Kernel.
func (n *Netlink) Flush() error { return n.h.Flush() }

// SetConfig implements Kernel.
func (n *Netlink) SetConfig(t Timeouts) error {
	return n.h.SetConfig(&mobyipvs.Config{TimeoutTCP: t.TCP, TimeoutTCPFin: t.TCPFin, TimeoutUDP: t.UDP})
}

// request sends one IPVS command and returns the reply messages.
func (n *Netlink) request(cmd uint8, dump bool, attrs ...nl.NetlinkRequestData) ([][]byte, error) {
	var b []byte
	for _, a := range attrs {
		b = append(b, a.Serialize()...)
	}
	return n.conn.request(genlReq{cmd: cmd, attrs: b}, dump)
}

// opCmds are the commands of the op kinds.
var opCmds = [...]uint8{
	AddService: cmdNewService, UpdateService: cmdSetService, DelService: cmdDelService,
	AddDest: cmdNewDest, UpdateDest: cmdSetDest, DelDest: cmdDelDest,
}

// appendOp appends the attributes of the request that carries out op.
func appendOp(b []byte, op Op) []byte {
	switch op.Kind {
	case AddService, UpdateService:
		return appendService(b, op.Service)
	case DelService:
		return appendServiceKey(b, op.Service.ServiceKey)
	}
	return appendDest(appendServiceKey(b, op.Service.ServiceKey), op.Dest)
}

// change carries out one op.
func (n *Netlink) change(op Op) error {
	_, err := n.conn.request(genlReq{cmd: opCmds[op.Kind], attrs: appendOp(nil, op)}, false)
	return err
}

// Do implements OpBatcher: the ops go genlBatch to a send.
func (n *Netlink) Do(ops []Op) []error {
	rs := make([]genlReq, len(ops))
	buf := make([]byte, 0, 128*len(ops))
	for i, op := range ops {
		start := len(buf)
		buf = appendOp(buf, op)
		rs[i] = genlReq{cmd: opCmds[op.Kind], attrs: buf[start:len(buf):len(buf)]}
	}
	return n.conn.batch(rs)
}

// GetDestinations implements Kernel.
func (n *Netlink) GetDestinations(s Service) ([]Dest, error) {
	msgs, err := n.request(cmdGetDest, true, encodeServiceKey(s.ServiceKey))
	if err != nil {
		return nil, err
	}
	var out []Dest
	for _, m := range msgs {
		d, ok, err := decodeDestMsg(m, s.Family)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, d)
		}
	}
	return out, nil
}

// NewDestination implements Kernel.
func (n *Netlink) NewDestination(s Service, d Dest) error {
	return n.change(Op{Kind: AddDest, Service: s, Dest: d})
}

// UpdateDestination implements Kernel.
func (n *Netlink) UpdateDestination(s Service, d Dest) error {
	return n.change(Op{Kind: UpdateDest, Service: s, Dest: d})
}

// DelDestination implements Kernel.
func (n *Netlink) DelDestination(s Service, d Dest) error {
	return n.change(Op{Kind: DelDest, Service: s, Dest: d})
}

// StartSyncDaemon starts an IPVS sync daemon (lvs_sync_daemon).
func (n *Netlink) StartSyncDaemon(s SyncDaemon) error {
	_, err := n.request(cmdNewDaemon, false, encodeDaemon(s, true))
	return err
}

// StopSyncDaemon stops the master or backup sync daemon.
func (n *Netlink) StopSyncDaemon(s SyncDaemon) error {
	_, err := n.request(cmdDelDaemon, false, encodeDaemon(s, false))
	return err
}
