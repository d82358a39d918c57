package core

import (
	"fmt"
	"net"
)

// sdNotify sends a systemd notification (READY=1, RELOADING=1,
// STOPPING=1) when NOTIFY_SOCKET is set (a leading @ names an abstract
// socket, which package net handles); it does nothing otherwise.
func sdNotify(sys System, state string) error {
	addr := sys.Getenv("NOTIFY_SOCKET")
	if addr == "" {
		return nil
	}
	c, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: addr, Net: "unixgram"})
	if err != nil {
		return fmt.Errorf("sd_notify: %w", err)
	}
	defer func() { _ = c.Close() }()
	if _, err := c.Write([]byte(state)); err != nil {
		return fmt.Errorf("sd_notify: %w", err)
	}
	return nil
}
