package kaconf

import (
	"fmt"
	"strings"
	"testing"
)

// bigConfig builds a literal configuration of about 100,000 lines: 2,000
// VRRP instances and 2,000 virtual servers with two real servers each.
func bigConfig() []byte {
	var b strings.Builder
	b.WriteString("global_defs {\n    router_id bench\n}\n")
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&b, `vrrp_instance VI_%d {
    state BACKUP
    interface eth0
    virtual_router_id %d
    priority 100
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass "s3cret"   # quoted
    }
    virtual_ipaddress {
        10.%d.%d.1/24 dev eth0
    }
    track_script {
        chk_%d
    }
    nopreempt
    garp_master_delay 1
    smtp_alert
    notify_master "/usr/local/bin/notify.sh MASTER"
    notify_backup "/usr/local/bin/notify.sh BACKUP"
    unicast_src_ip 10.1.0.1
    unicast_peer {
        10.1.0.2
    }
}
`, i, i%255+1, i/250, i%250, i)
		fmt.Fprintf(&b, `virtual_server 10.%d.%d.1 80 {
    delay_loop 6
    lb_algo rr
    lb_kind DR
    protocol TCP
    persistence_timeout 50
    quorum 1
    hysteresis 0
    alpha
    omega
    sorry_server 192.168.0.254 80
    quorum_up "/usr/local/bin/up.sh"
    quorum_down "/usr/local/bin/down.sh"
    real_server 192.168.%d.1 80 {
        weight 1
        TCP_CHECK {
            connect_timeout 3
        }
    }
    real_server 192.168.%d.2 80 {
        weight 1
        TCP_CHECK { connect_timeout 3 }
    }
    ! comment line
}
`, i/250, i%250, i%250, i%250)
	}
	return []byte(b.String())
}

// BenchmarkReadBytes100k reads a literal ~100,000-line configuration.
func BenchmarkReadBytes100k(b *testing.B) {
	data := bigConfig()
	b.Logf("%d lines, %d bytes", strings.Count(string(data), "\n"), len(data))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f := ReadBytes("bench.conf", data, Options{})
		if len(f.Diags) != 0 || len(f.Nodes) != 4001 {
			b.Fatalf("%d nodes, diags %s", len(f.Nodes), diagText(f.Diags))
		}
	}
}

// BenchmarkReadBytesSeq expands ~SEQ over a multi-line parameter to
// 2,000 VRRP instances (about 34,000 lines).
func BenchmarkReadBytesSeq(b *testing.B) {
	data := []byte(`$VI= \
vrrp_instance VI_${N} { \
    state BACKUP \
    interface eth0 \
    virtual_router_id ${N} \
    priority 100 \
    authentication { \
        auth_type PASS \
        auth_pass s3cret \
    } \
    virtual_ipaddress { \
        10.0.${N}.1/24 \
    } \
    track_script { \
        chk \
    } \
}
~SEQ(N, 1, 2000) $VI
`)
	b.ReportAllocs()
	for b.Loop() {
		f := ReadBytes("bench.conf", data, Options{})
		if len(f.Diags) != 0 || len(f.Nodes) != 2000 {
			b.Fatalf("%d nodes, diags %s", len(f.Nodes), diagText(f.Diags))
		}
	}
}
