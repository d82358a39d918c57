package logging

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// Handler is a slog.Handler writing keepalived-style lines. The record's
// message is the line; attributes, if any, follow as " key=value".
type Handler struct {
	s         *sink
	subsystem string
	prefix    string // group prefix for attribute keys ("g.")
	attrs     string // preformatted attributes from WithAttrs
}

// New returns a Handler with the given outputs. Call Close when done.
func New(opt Options) *Handler {
	return &Handler{s: newSink(opt)}
}

// WithSubsystem returns a logger whose records go to the subsystem's ident
// ("Keepalived_vrrp", ...) and log file.
func WithSubsystem(l *slog.Logger, subsystem string) *slog.Logger {
	return l.With(SubsystemKey, subsystem)
}

// Enabled reports whether records at level are written: debug records
// only with -D.
func (h *Handler) Enabled(_ context.Context, level slog.Level) bool {
	return level >= slog.LevelInfo || h.s.opt.Detail > 0
}

// Handle writes one record.
func (h *Handler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	b.WriteString(h.attrs)
	r.Attrs(func(a slog.Attr) bool {
		appendAttr(&b, h.prefix, a)
		return true
	})
	h.s.write(h.subsystem, r.Level, b.String())
	return nil
}

// WithAttrs returns a handler that adds attrs to every record; the
// SubsystemKey attribute selects the subsystem instead of being printed.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	n := *h
	var b strings.Builder
	b.WriteString(h.attrs)
	for _, a := range attrs {
		if a.Key == SubsystemKey && h.prefix == "" {
			n.subsystem = a.Value.String()
			continue
		}
		appendAttr(&b, h.prefix, a)
	}
	n.attrs = b.String()
	return &n
}

// WithGroup returns a handler that qualifies later attribute keys.
func (h *Handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	n := *h
	n.prefix = h.prefix + name + "."
	return &n
}

// Close releases the handler's files and syslog connections (shared by
// every handler derived from it).
func (h *Handler) Close() error {
	if err := h.s.close(); err != nil {
		return fmt.Errorf("close log outputs: %w", err)
	}
	return nil
}

func appendAttr(b *strings.Builder, prefix string, a slog.Attr) {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return
	}
	if a.Value.Kind() == slog.KindGroup {
		p := prefix
		if a.Key != "" {
			p = prefix + a.Key + "."
		}
		for _, g := range a.Value.Group() {
			appendAttr(b, p, g)
		}
		return
	}
	b.WriteByte(' ')
	b.WriteString(prefix)
	b.WriteString(a.Key)
	b.WriteByte('=')
	s := a.Value.String()
	if s == "" || strings.ContainsAny(s, " \t\n\"=") {
		s = fmt.Sprintf("%q", s)
	}
	b.WriteString(s)
}
