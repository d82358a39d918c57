package logging

import (
	"io"
	"log/slog"
	"log/syslog"
	"os"
	"sync"
	"time"
)

// SyslogWriter is the part of *syslog.Writer the handler uses.
type SyslogWriter interface {
	Debug(m string) error
	Info(m string) error
	Warning(m string) error
	Err(m string) error
	Close() error
}

// Options select the outputs of a Handler.
type Options struct {
	// Console receives console lines (keepalived's -l writes to stderr);
	// nil disables the console.
	Console io.Writer
	// File is the -g log file of the parent; subsystems log to derived
	// names (SubsystemFile). "" disables file logging.
	File string
	// Syslog enables syslog output (false with -G). When the local syslog
	// socket does not exist, syslog is silently off.
	Syslog bool
	// Facility is the syslog facility (-S; default LOG_DAEMON).
	Facility syslog.Priority
	// Detail is the number of -D flags: 1 or more enables debug records.
	Detail int
	// Now returns the time stamped on console and file lines (nil: time.Now).
	Now func() time.Time
	// DialSyslog opens a syslog writer (nil: log/syslog.New).
	DialSyslog func(p syslog.Priority, ident string) (SyslogWriter, error)
	// OpenFile opens a log file for appending (nil: os.OpenFile).
	OpenFile func(path string) (io.WriteCloser, error)
}

// sink holds the outputs shared by a Handler and its derived handlers.
type sink struct {
	mu      sync.Mutex
	opt     Options
	syslogs map[string]SyslogWriter // by subsystem; nil value: dial failed
	files   map[string]io.WriteCloser
}

func newSink(opt Options) *sink {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Facility == 0 {
		opt.Facility = syslog.LOG_DAEMON
	}
	if opt.DialSyslog == nil {
		opt.DialSyslog = func(p syslog.Priority, ident string) (SyslogWriter, error) {
			return syslog.New(p, ident)
		}
	}
	if opt.OpenFile == nil {
		opt.OpenFile = func(path string) (io.WriteCloser, error) {
			return os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
		}
	}
	return &sink{opt: opt, syslogs: map[string]SyslogWriter{}, files: map[string]io.WriteCloser{}}
}

// write emits one record's text to every enabled output.
func (s *sink) write(subsystem string, level slog.Level, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.opt.Now()
	line := t.Format("Mon Jan _2 15:04:05 2006") + ": " + msg + "\n"
	if s.opt.Console != nil {
		_, _ = io.WriteString(s.opt.Console, line)
	}
	if f := s.file(subsystem); f != nil {
		_, _ = io.WriteString(f, line)
	}
	if w := s.syslog(subsystem); w != nil {
		_ = sendSyslog(w, level, msg)
	}
}

func sendSyslog(w SyslogWriter, level slog.Level, msg string) error {
	switch {
	case level >= slog.LevelError:
		return w.Err(msg)
	case level >= slog.LevelWarn:
		return w.Warning(msg)
	case level >= slog.LevelInfo:
		return w.Info(msg)
	}
	return w.Debug(msg)
}

// file returns the subsystem's log file, opening it on first use; nil when
// file logging is off or the file cannot be opened.
func (s *sink) file(subsystem string) io.Writer {
	if s.opt.File == "" {
		return nil
	}
	if f, ok := s.files[subsystem]; ok {
		if f == nil {
			return nil
		}
		return f
	}
	f, err := s.opt.OpenFile(SubsystemFile(s.opt.File, subsystem))
	if err != nil {
		s.files[subsystem] = nil
		return nil
	}
	s.files[subsystem] = f
	return f
}

// syslog returns the subsystem's syslog writer, connecting on first use; nil
// when syslog is off or unavailable.
func (s *sink) syslog(subsystem string) SyslogWriter {
	if !s.opt.Syslog {
		return nil
	}
	if w, ok := s.syslogs[subsystem]; ok {
		return w
	}
	w, err := s.opt.DialSyslog(s.opt.Facility|syslog.LOG_INFO, Ident(subsystem))
	if err != nil {
		w = nil
	}
	s.syslogs[subsystem] = w
	return w
}

// close releases files and syslog connections.
func (s *sink) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var first error
	for k, f := range s.files {
		if f != nil {
			if err := f.Close(); err != nil && first == nil {
				first = err
			}
		}
		delete(s.files, k)
	}
	for k, w := range s.syslogs {
		if w != nil {
			if err := w.Close(); err != nil && first == nil {
				first = err
			}
		}
		delete(s.syslogs, k)
	}
	return first
}
