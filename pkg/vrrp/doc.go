// Package vrrp is the VRRP wire format: VRRPv2 (RFC 3768) and VRRPv3
// (RFC 5798) advertisements encoded and decoded exactly as keepalived 2.2.7
// puts them on the wire, with its checksum variants, plus the IPv4 header
// keepalived builds around an advertisement for a raw socket.
//
// The package knows nothing of sockets, timers or configuration. Every way a
// packet can be refused is a [Reason], which maps to the keepalived
// statistics counter it increments.
package vrrp
