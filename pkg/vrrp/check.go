package vrrp

import (
	"crypto/subtle"
	"net/netip"
)

// CheckAuth checks a received VRRPv2 advert against the configured auth
// type and password as keepalived does: a different type is
// ReasonAuthMismatch, a different PASS password (compared in constant
// time, all 8 bytes) ReasonAuthFailure. VRRPv3 adverts always pass.
func CheckAuth(a Advert, authType uint8, pass [8]byte) error {
	if a.Version != Version2 {
		return nil
	}
	if a.AuthType != authType {
		return fail(ReasonAuthMismatch, "received auth type %d, expecting %d", a.AuthType, authType)
	}
	if authType == AuthPass && subtle.ConstantTimeCompare(a.AuthData[:], pass[:]) != 1 {
		return fail(ReasonAuthFailure, "invalid password")
	}
	return nil
}

// CheckAddrs checks a received advert's address list against the
// configured virtual addresses as keepalived does unless
// vrrp_skip_check_adv_addr: the same count (ReasonAddrCount), and every
// configured address present in any order (ReasonAddrList).
func CheckAddrs(a Advert, want []netip.Addr) error {
	if len(a.Addrs) != len(want) {
		return fail(ReasonAddrCount, "received %d addresses, expected %d", len(a.Addrs), len(want))
	}
	for _, w := range want {
		if !containsAddr(a.Addrs, w.Unmap()) {
			return fail(ReasonAddrList, "%v not present in advert", w)
		}
	}
	return nil
}

// containsAddr reports whether list holds a (zones ignored).
func containsAddr(list []netip.Addr, a netip.Addr) bool {
	a = a.WithZone("")
	for _, l := range list {
		if l.Unmap().WithZone("") == a {
			return true
		}
	}
	return false
}
