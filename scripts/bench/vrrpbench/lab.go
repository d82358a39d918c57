package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"time"
)

// lab is a bridge namespace and two host namespaces, each host with an
// eth0 plugged into the bridge br0.
type lab struct {
	bridge string
	hosts  [2]host
	vip    string
}

// host is one namespace of the lab.
type host struct {
	ns   string
	addr string
	mac  net.HardwareAddr
}

// run runs a command and returns its combined output, wrapped on failure.
func run(name string, args ...string) (string, error) {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}

// newLab creates the namespaces; prefix makes their names unique.
func newLab(prefix string) (*lab, error) {
	l := &lab{bridge: prefix + "b", vip: "10.99.0.200"}
	l.hosts[0] = host{ns: prefix + "h1", addr: "10.99.0.11"}
	l.hosts[1] = host{ns: prefix + "h2", addr: "10.99.0.12"}
	steps := [][]string{
		{"netns", "add", l.bridge},
		{"-n", l.bridge, "link", "set", "lo", "up"},
		{"-n", l.bridge, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0"},
		{"-n", l.bridge, "link", "set", "br0", "up"},
	}
	for i, h := range l.hosts {
		port := fmt.Sprintf("p%d", i+1)
		steps = append(steps,
			[]string{"netns", "add", h.ns},
			[]string{"-n", h.ns, "link", "set", "lo", "up"},
			[]string{"-n", h.ns, "link", "add", "eth0", "type", "veth", "peer", "name", port, "netns", l.bridge},
			[]string{"-n", l.bridge, "link", "set", port, "master", "br0"},
			[]string{"-n", l.bridge, "link", "set", port, "up"},
			[]string{"-n", h.ns, "addr", "add", h.addr + "/24", "dev", "eth0"},
			[]string{"-n", h.ns, "link", "set", "eth0", "up"},
		)
	}
	for _, s := range steps {
		if _, err := run("ip", s...); err != nil {
			l.close()
			return nil, fmt.Errorf("lab setup: %w", err)
		}
	}
	for i := range l.hosts {
		for _, k := range []string{"net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.eth0.rp_filter=0"} {
			if _, err := run("ip", "netns", "exec", l.hosts[i].ns, "sysctl", "-qw", k); err != nil {
				l.close()
				return nil, fmt.Errorf("lab setup: %w", err)
			}
		}
		out, err := run("ip", "-n", l.hosts[i].ns, "-o", "link", "show", "eth0")
		if err != nil {
			l.close()
			return nil, err
		}
		f := strings.Fields(out[strings.Index(out, "link/ether"):])
		if l.hosts[i].mac, err = net.ParseMAC(f[1]); err != nil {
			l.close()
			return nil, fmt.Errorf("lab setup: mac of %s: %w", l.hosts[i].ns, err)
		}
	}
	return l, nil
}

// close deletes the namespaces.
func (l *lab) close() {
	for _, ns := range []string{l.hosts[0].ns, l.hosts[1].ns, l.bridge} {
		_ = exec.Command("ip", "netns", "del", ns).Run()
	}
}

// hasVIP reports whether host i holds the VIP on eth0.
func (l *lab) hasVIP(i int) bool {
	out, err := exec.Command("ip", "-n", l.hosts[i].ns, "-4", "-o", "addr", "show", "dev", "eth0").Output()
	return err == nil && strings.Contains(string(out), " "+l.vip+"/")
}

// dropVIP removes a VIP a killed daemon left behind on host i.
func (l *lab) dropVIP(i int) {
	_ = exec.Command("ip", "-n", l.hosts[i].ns, "addr", "del", l.vip+"/24", "dev", "eth0").Run()
}

// waitVIP polls until host i holds the VIP, or the context ends.
func (l *lab) waitVIP(ctx context.Context, i int) error {
	for !l.hasVIP(i) {
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for the VIP on %s: %w", l.hosts[i].ns, ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
	return nil
}

// writeFile writes a file or exits: used for generated configurations.
func writeFile(path, text string) error {
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
