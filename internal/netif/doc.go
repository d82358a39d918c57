// Package netif is the address layer of VRRP: it puts on and takes off the
// kernel what a VRRP instance owns while it is master, and tells the
// network about it, as keepalived 2.2.7 does.
//
//   - [Manager] adds and removes virtual addresses (virtual_ipaddress,
//     virtual_ipaddress_excluded), virtual routes and virtual rules through
//     netlink. Every call is idempotent: adding what is already there and
//     removing what is absent succeed; the results say what changed.
//   - [Announcer] sends gratuitous ARPs and unsolicited Neighbor
//     Advertisements in keepalived's exact frame format through an
//     AF_PACKET socket (it works on interfaces without an IPv4 address,
//     such as a fresh VMAC).
//   - [Manager.CreateVMAC] and [Manager.DeleteVMAC] manage the macvlan of
//     use_vmac.
//   - [Watch] reports link up/down and address changes from netlink
//     subscriptions, for track_interface and VIP restoration.
//
// # Addresses as keepalived programs them
//
// Measured with stock keepalived 2.2.7 in a network namespace:
//   - no prefix length means a host prefix: /32 for IPv4, /128 for IPv6;
//   - no broadcast is set unless brd is given ("+"/"-" set/clear the host
//     bits, as ip(8) does);
//   - every IPv6 address gets IFA_F_NODAD, unless "-nodad" was written
//     (keepalived's "-nodad" turns its default nodad off);
//   - an IPv6 /128 without preferred_lft gets preferred_lft 0 (shown as
//     "deprecated"), so it is not chosen as a source address; preferred_lft
//     applies only to IPv6 (keepalived sends no lifetimes for IPv4);
//   - labels apply only to IPv4; scope is the kernel's own for IPv6;
//   - peer ADDR gives "inet A peer P/len" with the configured length;
//   - routes and rules are created with protocol keepalived (18); a route
//     without scope gets global scope (host for local routes), even with
//     no gateway, unlike ip-route(8).
//
// # VIP restoration
//
// keepalived 2.2.7 does not silently re-add a VIP deleted by hand: the
// netlink reflector logs "Netlink reflector reports IP A removed from IF",
// the instance goes to BACKUP (sending a priority 0 advert), removes its
// VIPs and, on winning the election again, re-adds them all. Addresses
// marked no_track are ignored. [Watch] reports the deletion as an
// [AddrEvent]; the policy belongs to the instance loop.
package netif
