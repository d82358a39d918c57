package metrics

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/vmtest"
)

// vmConf is one NAT virtual server: 10.10.1.1 answers (busybox httpd),
// 10.10.1.2 does not.
const vmConf = `virtual_server 10.10.0.1 80 {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 10.10.1.1 80 {
        weight 2
        TCP_CHECK {
            connect_timeout 1
        }
    }
    real_server 10.10.1.2 80 {
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
}
`

// vmScript runs our daemon with --metrics-listen in the guest, waits
// (through the metrics) for the checkers to settle, sends one connection
// through the virtual server, waits for the kernel's counters, and prints
// the last scrape between "== scrape" and "== end".
const vmScript = `
set -u
K=/usr/local/sbin/keepalived
ip link set lo up
ip link add d0 type dummy && ip link set d0 up
ip addr add 10.10.1.1/24 dev d0 && ip addr add 10.10.1.2/24 dev d0 && ip addr add 10.10.255.254/16 dev d0
mkdir -p /www && echo ok > /www/index.html
busybox httpd -p 10.10.1.1:80 -h /www
$K -n -l -D -G -C -f /vmtest/lvs.conf -p /tmp/ka.pid -c /tmp/kc.pid -r /tmp/kr.pid --metrics-listen=127.0.0.1:9650 >/tmp/ka.log 2>&1 &
pid=$!
scrape() { busybox wget -q -O - http://127.0.0.1:9650/metrics 2>/dev/null; }
# waitfor WHAT PATTERN: poll the metrics (60 s) for a line matching PATTERN.
waitfor() {
	end=$(( $(date +%s) + 60 ))
	until scrape | grep -q "$2"; do
		[ $(date +%s) -gt $end ] && { echo "FAIL $1"; date; cat /tmp/ka.log; scrape | grep '^keepalived_lvs\|^keepalived_ipvs'; return 1; }
		sleep 0.2
	done
	echo "ok $1"
}
waitfor up '^keepalived_lvs_real_server_up{rs="\[10.10.1.1\]:tcp:80",vs="\[10.10.0.1\]:tcp:80"} 1'
waitfor down '^keepalived_lvs_real_server_up{rs="\[10.10.1.2\]:tcp:80",vs="\[10.10.0.1\]:tcp:80"} 0'
ipvsadm -Ln
# Connections through the virtual server, one every 2 s until the
# metrics count one (the kernel sums its per-CPU counters every 2 s).
end=$(( $(date +%s) + 90 )); ok=1
until scrape | grep -q '^keepalived_ipvs_real_server_connections_total{rs="\[10.10.1.1\]:tcp:80",service="\[10.10.0.1\]:tcp:80",vs="\[10.10.0.1\]:tcp:80"} [1-9]'; do
	[ $(date +%s) -gt $end ] && { echo "FAIL traffic"; scrape | grep '^keepalived_ipvs'; ok=0; break; }
	nc 10.10.0.1 80 </dev/null >/dev/null 2>&1 & ncpid=$!
	sleep 1; kill $ncpid 2>/dev/null; wait $ncpid 2>/dev/null
	sleep 1
done
[ $ok = 1 ] && echo "ok traffic"
ipvsadm -Ln --stats
echo "== scrape"
scrape | grep '^keepalived_'
echo "== end"
kill -TERM $pid; wait $pid
echo "exit $?"
`

// TestVMMetrics checks the LVS and IPVS metrics against a real kernel:
// real servers up and down as their TCP_CHECKs say, and the kernel's
// counters after one connection through the virtual server.
func TestVMMetrics(t *testing.T) {
	vmtest.Require(t)
	bin := vmtest.BuildGo(t, "github.com/gokeepalived/keepalived/cmd/keepalived")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	res, err := vmtest.Run(ctx, vmtest.Spec{Files: map[string]vmtest.File{
		"/usr/local/sbin/keepalived": vmtest.FromHost(bin),
		"/vmtest/lvs.conf":           vmtest.FromBytes([]byte(vmConf), 0o644),
	}, Script: vmScript, Timeout: 4 * time.Minute})
	if err != nil {
		t.Fatalf("vm: %v\n%s", err, res.Console)
	}
	out := "\n" + res.Output
	t.Logf("VM run %v, output:\n%s", res.Duration, out)
	for _, step := range []string{"up", "down", "traffic"} {
		if !strings.Contains(out, "\nok "+step+"\n") {
			t.Errorf("step %s did not pass", step)
		}
	}
	_, scrape, _ := strings.Cut(out, "== scrape\n")
	scrape, _, found := strings.Cut(scrape, "== end\n")
	if !found {
		t.Fatal("no scrape in the output")
	}
	vs, svc, rs1, rs2 := `vs="[10.10.0.1]:tcp:80"`, `service="[10.10.0.1]:tcp:80"`, `rs="[10.10.1.1]:tcp:80"`, `rs="[10.10.1.2]:tcp:80"`
	for _, want := range []string{
		`keepalived_lvs_scrape_success 1`,
		`keepalived_lvs_virtual_server_quorum_up{` + vs + `} 1`,
		`keepalived_lvs_real_server_weight{` + rs1 + `,` + vs + `} 2`,
		`keepalived_check_last_success{check="TCP_CHECK",` + rs1 + `,` + vs + `} 1`,
		`keepalived_check_last_success{check="TCP_CHECK",` + rs2 + `,` + vs + `} 0`,
		`keepalived_ipvs_real_server_inactive_connections{` + rs1 + `,` + svc + `,` + vs + `}`,
	} {
		if !strings.Contains(scrape, want) {
			t.Errorf("scrape lacks %q", want)
		}
	}
	for _, name := range []string{
		`keepalived_ipvs_service_connections_total{` + svc + `,` + vs + `}`,
		`keepalived_ipvs_service_packets_in_total{` + svc + `,` + vs + `}`,
		`keepalived_ipvs_service_bytes_in_total{` + svc + `,` + vs + `}`,
		`keepalived_check_duration_seconds_count{check="TCP_CHECK",` + rs1 + `,` + vs + `}`,
		`keepalived_check_failures_total{check="TCP_CHECK",` + rs2 + `,` + vs + `}`,
	} {
		if v := scraped(scrape, name); v < 1 {
			t.Errorf("%s = %v, want at least 1", name, v)
		}
	}
	if strings.Contains(scrape, rs2+`,`+svc) {
		t.Errorf("the down real server has IPVS counters: it should not be in the table")
	}
}

// scraped returns the value of the series named exactly name in a text
// exposition, or -1.
func scraped(text, name string) float64 {
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` (\S+)$`)
	m := re.FindStringSubmatch(text)
	if m == nil {
		return -1
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return -1
	}
	return v
}
