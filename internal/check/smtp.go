package check

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strconv"
	"syscall"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

// defaultHelo is keepalived's HELO name when none is configured.
const defaultHelo = "smtpchecker.keepalived.org"

// smtpProber is SMTP_CHECK: banner 220, HELO answered 250, QUIT.
type smtpProber struct {
	co   connOpts
	helo string
}

func newSMTPProber(co connOpts, c *config.Checker) *smtpProber {
	p := &smtpProber{co: co, helo: defaultHelo}
	if c.SMTP != nil && c.SMTP.HeloName != "" {
		p.helo = c.SMTP.HeloName
	}
	return p
}

func (p *smtpProber) key() string { return p.co.key() + "|" + p.helo }

// Probe holds the conversation.
func (p *smtpProber) Probe(ctx context.Context, _ int) Result {
	srv := "[" + p.co.dst.Addr().String() + "]:" + strconv.Itoa(int(p.co.dst.Port()))
	fail := func(format string) Result {
		return Result{Reason: fmt.Sprintf(format, srv), Exit: -1}
	}
	c, err := p.co.dial(ctx, "tcp")
	if err != nil {
		switch {
		case isTimeout(err):
			return fail("Connection timeout to server %s")
		case errors.Is(err, syscall.ECONNREFUSED):
			return fail("Could not connect to server %s")
		}
		return fail("Error connecting to server %s")
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { _ = c.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	rd := bufio.NewReader(c)
	readStatus := func() (int, *Result) {
		_ = c.SetReadDeadline(time.Now().Add(p.co.timeout))
		line, err := rd.ReadString('\n')
		if err != nil {
			r := fail("Read failure from server %s")
			if isTimeout(err) {
				r = fail("Read timeout from server %s")
			}
			return 0, &r
		}
		return smtpStatus(line), nil
	}
	write := func(s string) *Result {
		_ = c.SetWriteDeadline(time.Now().Add(p.co.timeout))
		if _, err := c.Write([]byte(s)); err != nil {
			r := fail("Write failure to server %s")
			if isTimeout(err) {
				r = fail("Write timeout to server %s")
			}
			return &r
		}
		return nil
	}
	if st, r := readStatus(); r != nil {
		return *r
	} else if st != 220 {
		return fail("Bad greeting banner from server %s")
	}
	if r := write("HELO " + p.helo + "\r\n"); r != nil {
		return *r
	}
	if st, r := readStatus(); r != nil {
		return *r
	} else if st != 250 {
		return fail("Bad HELO response from server %s")
	}
	if r := write("QUIT\r\n"); r != nil {
		return *r
	}
	if _, r := readStatus(); r != nil {
		return *r
	}
	return Result{OK: true, Exit: -1}
}

// smtpStatus reads a reply code as keepalived does: exactly three digits
// followed by a space or the end of the line ("250-" continuation lines
// do not count).
func smtpStatus(line string) int {
	for len(line) > 0 && (line[len(line)-1] == '\n' || line[len(line)-1] == '\r') {
		line = line[:len(line)-1]
	}
	if len(line) < 3 || (len(line) > 3 && line[3] != ' ') {
		return -1
	}
	n, err := strconv.Atoi(line[:3])
	if err != nil {
		return -1
	}
	return n
}
