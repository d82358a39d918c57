package ipvs

// daemonScript is the guest half of TestVMDaemon: one boot runs every
// scenario against our keepalived binary (/usr/local/sbin/keepalived, by
// full path: the guest's PATH finds stock keepalived first). Each scenario
// prints "== NAME" and then "ok NAME" or "FAIL NAME: why"; the Go side
// asserts on these lines. Connection counters (`ipvsadm -Ln --stats`, the
// Conns column) are taken after one connection attempt per TCP service:
// a service or destination deleted and created again would read 0.
const daemonScript = `
set -u
K=/usr/local/sbin/keepalived
C=/vmtest/conf
dump() { ipvsadm -S -n | sort; }
conns() { ipvsadm -Ln --stats | awk '$1=="TCP"||$1=="UDP"||$1=="FWM"||$1=="->" {print $1, $2, $3}'; }
fail() { echo "FAIL $*"; }
# start NAME CONF [ARGS]: our daemon in the background, logging to
# /tmp/NAME.log; waits until its checkers pid file names it (written once
# the IPVS subsystem has started).
start() {
	name=$1 conf=$2; shift 2
	$K -n -l -D -G -C -f $C/$conf -p /tmp/ka.pid -c /tmp/kc.pid -r /tmp/kr.pid "$@" >/tmp/$name.log 2>&1 &
	pid=$!
	i=0
	while [ "$(cat /tmp/kc.pid 2>/dev/null)" != "$pid" ]; do
		i=$((i+1)); [ $i -gt 300 ] && { fail "$name: not started in 30 s"; cat /tmp/$name.log; return 1; }
		kill -0 $pid 2>/dev/null || { fail "$name: exited"; cat /tmp/$name.log; return 1; }
		sleep 0.1
	done
}
# hup NAME: SIGHUP and wait for the Nth "Reload finished" in /tmp/NAME.log.
hup() {
	want=$(( $(grep -c 'Reload finished' /tmp/$1.log) + 1 ))
	kill -HUP $pid
	i=0
	while [ "$(grep -c 'Reload finished' /tmp/$1.log)" -lt $want ]; do
		i=$((i+1)); [ $i -gt 300 ] && { fail "$1: reload not finished in 30 s"; return 1; }
		sleep 0.1
	done
}
stop() { kill -$1 $pid; wait $pid 2>/dev/null; }
# same WHAT FILE-A FILE-B
same() { cmp -s $2 $3 || { fail "$1"; diff $2 $3; }; }
# noerr NAME: no error in /tmp/NAME.log (moby/ipvs's own warning that
# modprobe found no /lib/modules in the guest is not ours).
noerr() { if grep -iE 'exist|error|fail|warn' /tmp/$1.log | grep -v 'Running modprobe ip_vs'; then fail "$1: log has errors"; fi; }
# changed A B: lines only in A ("- "), then lines only in B ("+ ").
changed() { grep -vxF -f $2 $1 | sed 's/^/- /'; grep -vxF -f $1 $2 | sed 's/^/+ /'; }
ops() { grep -c 'IPVS: ' /tmp/$1.log; }

ip link add d0 type dummy && ip link set d0 up && ip addr add 10.10.255.254/16 dev d0
ipvsadm -A -t 10.9.9.9:1 -s rr && ipvsadm -a -t 10.9.9.9:1 -r 10.9.9.10:1 -m
dump > /tmp/foreign.txt

echo "== start"
start s1 a.conf
dump > /tmp/a.txt
cat /tmp/a.txt
same "start: table" /vmtest/want-a.txt /tmp/a.txt
noerr s1
echo "ops-start: $(ops s1)"
echo "ok start"

# One connection attempt per TCP service (the SYNs go nowhere).
for vip in 10.10.0.1:80 10.10.0.2:443; do
	nc ${vip%:*} ${vip#*:} </dev/null >/dev/null 2>&1 & ncpid=$!
	sleep 0.3; kill $ncpid 2>/dev/null; wait $ncpid 2>/dev/null
done
# The kernel sums its per-CPU counters every 2 s: wait for them.
i=0
while conns > /tmp/c0.txt; [ "$(grep -c '^TCP 10.10.0.* 1$' /tmp/c0.txt)" != 2 ]; do
	i=$((i+1)); [ $i -gt 100 ] && { fail "traffic: no connection counted"; break; }
	sleep 0.1
done
cat /tmp/c0.txt
# Our op log (debug lines "IPVS: <op>"): a restart adopts everything, a
# weight change updates one destination.
nops=$(ops s1)

echo "== kill9"
stop 9
dump > /tmp/k.txt
same "kill9: table after kill -9" /tmp/a.txt /tmp/k.txt
start s2 a.conf
dump > /tmp/r.txt
same "kill9: table after restart" /tmp/a.txt /tmp/r.txt
conns > /tmp/c1.txt
same "kill9: connection counters after restart" /tmp/c0.txt /tmp/c1.txt
if [ "$(dump | uniq -d)" != "" ]; then fail "kill9: duplicate lines"; fi
noerr s2
echo "ops-restart: $(ops s2)"
[ $nops -gt 0 ] && [ "$(ops s2)" != 0 ] && fail "kill9: restart changed the table: $(grep 'IPVS: ' /tmp/s2.log)"
echo "ok kill9"

echo "== restore"
ipvsadm -D -u 10.10.0.3:53
hup s2
dump > /tmp/h.txt
same "restore: table after HUP" /tmp/a.txt /tmp/h.txt
conns | grep -v '^UDP\|10.10.1.6:53' > /tmp/c3.txt
grep -v '^UDP\|10.10.1.6:53' /tmp/c0.txt > /tmp/c4.txt
same "restore: connection counters of the other services" /tmp/c4.txt /tmp/c3.txt
noerr s2
echo "ops-restore: $(ops s2)"
echo "ok restore"

echo "== weight"
before=$(ops s2)
cp $C/b.conf $C/a.conf
hup s2
dump > /tmp/w.txt
changed /tmp/a.txt /tmp/w.txt > /tmp/wd.txt
cat /tmp/wd.txt
same "weight: diff" /vmtest/want-weight.diff /tmp/wd.txt
conns > /tmp/c2.txt
same "weight: connection counters" /tmp/c0.txt /tmp/c2.txt
noerr s2
echo "ops-weight: $(( $(ops s2) - before ))"
grep 'IPVS: ' /tmp/s2.log | tail -n $(( $(ops s2) - before ))
[ $nops -gt 0 ] && [ $(( $(ops s2) - before )) != 1 ] && fail "weight: not exactly one netlink operation"
echo "ok weight"

echo "== term"
stop TERM
dump > /tmp/t.txt
same "term: table after SIGTERM" /tmp/foreign.txt /tmp/t.txt
noerr s2
echo "ok term"

echo "== dontrelease"
start s3 b.conf -I
stop TERM
dump > /tmp/i.txt
same "dontrelease: table after SIGTERM with -I" /tmp/w.txt /tmp/i.txt
noerr s3
echo "ok dontrelease"
echo "== done"
`
