package genhash

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// DefaultTimeout is the connect, write and read timeout without -t.
const DefaultTimeout = 5 * time.Second

// options are genhash's command line.
type options struct {
	ssl, sni, verbose, help bool
	server                  netip.Addr
	port                    uint16
	url                     string
	vhost                   string
	fwmark                  uint32
	protocol                string
	timeout                 time.Duration
}

// message is an error printed as keepalived words it (its messages
// start with a capital letter).
type message string

// Error returns the message.
func (m message) Error() string { return string(m) }

func msgf(format string, a ...any) error { return message(fmt.Sprintf(format, a...)) }

// errUsage asks for the usage text alone.
var errUsage = errors.New("usage")

// long maps long option names to their short letters.
var long = map[string]byte{
	"use-ssl": 'S', "use-sni": 'I', "server": 's', "port": 'p', "url": 'u',
	"use-virtualhost": 'V', "verbose": 'v', "help": 'h', "fwmark": 'm',
	"protocol": 'P', "timeout": 't',
}

// takesArg lists the options with an argument (getopt ":hvSs:V:p:u:m:P:t:I").
const takesArg = "sVpumPt"

// parse reads args as getopt_long does (options may follow operands;
// "--" ends options). A returned error other than errUsage is printed
// before the usage text.
func parse(args []string) (*options, error) {
	o := &options{protocol: "1.0", timeout: DefaultTimeout}
	var rest []string
	set := map[byte]bool{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i+1:]...)
			i = len(args)
		case strings.HasPrefix(a, "--"):
			name, val, hasVal := strings.Cut(a[2:], "=")
			c, ok := long[name]
			if !ok {
				return nil, errUsage
			}
			if strings.IndexByte(takesArg, c) >= 0 && !hasVal {
				if i+1 >= len(args) {
					return nil, msgf("Missing parameter for option --%s", name)
				}
				i++
				val = args[i]
			}
			if err := o.apply(c, val); err != nil {
				return nil, err
			}
			set[c] = true
		case len(a) > 1 && a[0] == '-':
			for j := 1; j < len(a); j++ {
				c := a[j]
				if strings.IndexByte(takesArg, c) >= 0 {
					val := a[j+1:]
					if val == "" {
						if i+1 >= len(args) {
							return nil, msgf("Missing parameter for option -%c", c)
						}
						i++
						val = args[i]
					}
					if err := o.apply(c, val); err != nil {
						return nil, err
					}
					set[c] = true
					break
				}
				if strings.IndexByte("hvSI", c) < 0 {
					return nil, errUsage
				}
				if err := o.apply(c, ""); err != nil {
					return nil, err
				}
			}
		default:
			rest = append(rest, a)
		}
	}
	if len(rest) > 0 {
		return nil, msgf("Unexpected argument(s): %s", strings.Join(rest, " "))
	}
	if o.help || !set['s'] || !set['p'] || !set['u'] {
		return nil, errUsage
	}
	return o, nil
}

func (o *options) apply(c byte, val string) error {
	switch c {
	case 'h':
		o.help = true
	case 'v':
		o.verbose = true
	case 'S':
		o.ssl = true
	case 'I':
		o.sni = true
	case 's':
		a, err := netip.ParseAddr(val)
		if err != nil {
			return msgf("server should be an IP, not %s", val)
		}
		o.server = a
	case 'p':
		n, err := strconv.ParseUint(val, 10, 16)
		if err != nil || n == 0 {
			return msgf("invalid port number '%s'", val)
		}
		o.port = uint16(n)
	case 'u':
		o.url = val
	case 'V':
		o.vhost = val
	case 'm':
		n, err := strconv.ParseUint(val, 0, 32)
		if err != nil {
			return msgf("invalid fwmark '%s'", val)
		}
		o.fwmark = uint32(n)
	case 'P':
		switch val {
		case "1.0", "1.1":
			o.protocol = val
		case "1.0c", "1.0C":
			o.protocol = "1.0C"
		default:
			return msgf("invalid HTTP protocol version '%s'", val)
		}
	case 't':
		n, err := strconv.ParseUint(val, 10, 31)
		if err != nil {
			return msgf("invalid timeout '%s'", val)
		}
		o.timeout = time.Duration(n) * time.Second
	}
	return nil
}
