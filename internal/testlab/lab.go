package testlab

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"
)

// Config describes a lab: namespace names, and how each host's eth0 is
// set up.
type Config struct {
	// Switch names the namespace holding the bridge br0.
	Switch string
	// Hosts name the host namespaces, each given an eth0 on br0.
	Hosts []string
	// Port names host i's veth end in the switch namespace (at most 15
	// bytes); nil means "p<i>".
	Port func(i int) string
	// Sysctls are set in every host (NAME=VALUE), after IPv6 duplicate
	// address detection is turned off (all, default, eth0).
	Sysctls []string
	// Addrs gives the addresses of host i's eth0, each as the arguments
	// of `ip addr add` before "dev" ("10.0.0.1/24", or "fd00::1/64" then
	// "nodad").
	Addrs func(i int) [][]string
}

// Lab is a built lab: the namespaces of its Config.
type Lab struct {
	Switch string
	Hosts  []string
}

// New builds the lab c describes; its namespaces are deleted in
// t.Cleanup. Hosts' lo and eth0 are up when it returns.
func New(t testing.TB, c Config) *Lab {
	t.Helper()
	for _, ns := range append([]string{c.Switch}, c.Hosts...) {
		Run(t, "ip", "netns", "add", ns)
		t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", ns).Run() })
	}
	IP(t, c.Switch, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0")
	IP(t, c.Switch, "link", "set", "br0", "up")
	for i, ns := range c.Hosts {
		port := fmt.Sprintf("p%d", i)
		if c.Port != nil {
			port = c.Port(i)
		}
		Run(t, "ip", "link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", port, "netns", c.Switch)
		IP(t, c.Switch, "link", "set", port, "master", "br0", "up")
		sysctl := append([]string{"ip", "netns", "exec", ns, "sysctl", "-qw",
			"net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0",
			"net.ipv6.conf.eth0.accept_dad=0"}, c.Sysctls...)
		Run(t, sysctl...)
		if c.Addrs != nil {
			for _, a := range c.Addrs(i) {
				IP(t, ns, append(append([]string{"addr", "add"}, a[0], "dev", "eth0"), a[1:]...)...)
			}
		}
		IP(t, ns, "link", "set", "lo", "up")
		IP(t, ns, "link", "set", "eth0", "up")
	}
	return &Lab{Switch: c.Switch, Hosts: c.Hosts}
}

// ID returns a short token that makes namespace names unique to this test
// process (its pid and a random number): other test binaries may build
// labs at the same time.
func ID() string {
	return fmt.Sprintf("%d%04x", os.Getpid()%100000, rand.IntN(0x10000))
}
