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
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// Netlink is the production Kernel: services through moby/ipvs,
// destinations and the sync daemon through raw generic-netlink messages
// carrying what moby/ipvs lacks (destination address family, tunnel type,
// port and flags).
type Netlink struct {
	h      *mobyipvs.Handle
	family int // IPVS generic-netlink family id
	// sockets holds one generic-netlink socket shared by every request we
	// send ourselves (nl's Execute otherwise opens a socket per request:
	// 10,000 of them to program 1,000 x 10 destinations).
	sockets map[int]*nl.SocketHandle
}

var _ Kernel = (*Netlink)(nil)

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
	sock, err := nl.GetNetlinkSocketAt(netns.None(), netns.None(), unix.NETLINK_GENERIC)
	if err != nil {
		h.Close()
		return nil, fmt.Errorf("ipvs: netlink socket: %w", err)
	}
	if err := sock.SetSendTimeout(&nl.SocketTimeoutTv); err != nil {
		sock.Close()
		h.Close()
		return nil, fmt.Errorf("ipvs: netlink socket: %w", err)
	}
	if err := sock.SetReceiveTimeout(&nl.SocketTimeoutTv); err != nil {
		sock.Close()
		h.Close()
		return nil, fmt.Errorf("ipvs: netlink socket: %w", err)
	}
	return &Netlink{h: h, family: int(f.ID), sockets: map[int]*nl.SocketHandle{
		unix.NETLINK_GENERIC: {Socket: sock},
	}}, nil
}

// Close releases the netlink sockets.
func (n *Netlink) Close() {
	for _, sh := range n.sockets {
		sh.Close()
	}
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
func (n *Netlink) NewService(s Service) error { return n.h.NewService(toMoby(s)) }

// UpdateService implements Kernel.
func (n *Netlink) UpdateService(s Service) error { return n.h.UpdateService(toMoby(s)) }

// DelService implements Kernel.
func (n *Netlink) DelService(s Service) error { return n.h.DelService(toMoby(s)) }

// Flush implements Kernel.
func (n *Netlink) Flush() error { return n.h.Flush() }

// SetConfig implements Kernel.
func (n *Netlink) SetConfig(t Timeouts) error {
	return n.h.SetConfig(&mobyipvs.Config{TimeoutTCP: t.TCP, TimeoutTCPFin: t.TCPFin, TimeoutUDP: t.UDP})
}

// request sends one IPVS command and returns the reply messages.
func (n *Netlink) request(cmd uint8, dump bool, attrs ...nl.NetlinkRequestData) ([][]byte, error) {
	flags := unix.NLM_F_ACK
	if dump {
		flags |= unix.NLM_F_DUMP
	}
	req := nl.NewNetlinkRequest(n.family, flags)
	req.Sockets = n.sockets
	req.AddData(&nl.Genlmsg{Command: cmd, Version: 1})
	for _, a := range attrs {
		req.AddData(a)
	}
	return req.Execute(unix.NETLINK_GENERIC, 0)
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

func (n *Netlink) destCmd(cmd uint8, s Service, d Dest) error {
	_, err := n.request(cmd, false, encodeServiceKey(s.ServiceKey), encodeDest(d))
	return err
}

// NewDestination implements Kernel.
func (n *Netlink) NewDestination(s Service, d Dest) error { return n.destCmd(cmdNewDest, s, d) }

// UpdateDestination implements Kernel.
func (n *Netlink) UpdateDestination(s Service, d Dest) error { return n.destCmd(cmdSetDest, s, d) }

// DelDestination implements Kernel.
func (n *Netlink) DelDestination(s Service, d Dest) error { return n.destCmd(cmdDelDest, s, d) }

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
