# Shell helpers (sourced) for network namespaces holding named interfaces.
# The kernel here has no dummy links: each interface is one end of a veth
# pair whose other end (p<name>) stays in the same namespace.

# ns_create NAME IFACE... creates namespace NAME with the interfaces up.
ns_create() {
	local ns=$1
	shift
	ip netns add "$ns"
	ip -n "$ns" link set lo up
	local i
	for i in "$@"; do
		ip -n "$ns" link add "$i" type veth peer name "p$i"
		ip -n "$ns" link set "$i" up
		ip -n "$ns" link set "p$i" up
	done
}

# ns_delete NAME deletes the namespace if it exists.
ns_delete() {
	ip netns del "$1" 2>/dev/null || true
}

# The interfaces the corpus and testdata configurations name.
KA_IFACES=(eth0 eth1 eth2 eth3 ens33 enp0s3)
