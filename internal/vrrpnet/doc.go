// Package vrrpnet is the network edge of VRRP: raw IP protocol 112 sockets
// shared by every instance on one interface and address family, as
// keepalived shares them.
//
// A [Pool] opens one socket per (interface, family) on the first
// [Pool.Register] and closes it when the last [Conn] on it closes. The
// socket is bound to the interface (SO_BINDTODEVICE), has multicast
// loopback off, joins each instance's multicast group, and sends with
// TTL/hop limit 255 (unicast_ttl for unicast peers), TOS/traffic class
// 0xc0 and no DF, from the configured source or the interface's primary
// address (IPv6: its link-local address, usable while DAD is pending).
// The interface's addresses (default source, own-packet check) are read
// over a netlink socket opened with the raw socket, so once Register has
// run in a network namespace the Conn works from any thread.
//
// Received packets are decoded with pkg/vrrp (any checksum variant is
// accepted and reported), checked for what the edge knows (TTL 255 for
// multicast, min_ttl/max_ttl and check_unicast_src for unicast peers, our
// own source addresses, VRRPv2 authentication) and handed to the [Conn] of
// their (VRID, family); packets for unknown VRIDs are counted. Every drop is
// counted per reason, with keepalived's statistics counter names.
package vrrpnet
