package script

import (
	"context"
	"errors"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

func sh(cmd string) *config.Script {
	return &config.Script{Args: []string{"/bin/sh", "-c", cmd}}
}

// self runs scripts as ourselves whatever users exist on the machine.
func self() Options {
	return Options{DefaultUser: currentUser(), Grace: 200 * time.Millisecond}
}

func currentUser() string {
	if os.Geteuid() == 0 {
		return "root"
	}
	u := os.Getenv("USER")
	if u == "" {
		u = strconv.Itoa(os.Geteuid())
	}
	return u
}

func checkGoroutines(t *testing.T) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(2 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before {
			t.Errorf("goroutines: %d before, %d after", before, n)
		}
	})
}

func TestExitStatus(t *testing.T) {
	checkGoroutines(t)
	r := New(self())
	for _, tc := range []struct {
		cmd    string
		status int
	}{{"exit 0", 0}, {"exit 1", 1}, {"exit 42", 42}} {
		res := r.Run(context.Background(), Job{Script: sh(tc.cmd), Timeout: 5 * time.Second})
		if res.Err != nil || !res.Exited || res.Status != tc.status || res.TimedOut || res.Signaled {
			t.Errorf("%s: %+v", tc.cmd, res)
		}
		if res.Success() != (tc.status == 0) {
			t.Errorf("%s: Success() = %v", tc.cmd, res.Success())
		}
		if res.Duration <= 0 || res.Pid == 0 {
			t.Errorf("%s: duration %v pid %d", tc.cmd, res.Duration, res.Pid)
		}
	}
	r.Wait()
}

func TestExtraArgsEnvAndStdio(t *testing.T) {
	checkGoroutines(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	t.Setenv("KA_TEST_MARK", "marked")
	s := &config.Script{Args: []string{"/bin/sh", "-c", `echo "$# $1 $2 $3 $4 $KA_TEST_MARK $(cut -d' ' -f5 /proc/$$/stat) $$" > ` + out + `; read x; echo "rc=$?" >> ` + out, "sh"}}
	r := New(self())
	res := r.Run(context.Background(), Job{Script: s, Extra: NotifyArgs(false, "VI_1", StateMaster, 100), Timeout: 5 * time.Second})
	if !res.Success() {
		t.Fatalf("%+v", res)
	}
	b, _ := os.ReadFile(out)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	f := strings.Fields(lines[0])
	if len(f) != 8 || strings.Join(f[:6], " ") != "4 INSTANCE VI_1 MASTER 100 marked" {
		t.Fatalf("args/env: %q", lines[0])
	}
	if f[6] != f[7] || f[6] != strconv.Itoa(res.Pid) {
		t.Errorf("process group %s, pid %s, want own group %d", f[6], f[7], res.Pid)
	}
	if len(lines) != 2 || lines[1] != "rc=1" {
		t.Errorf("stdin not /dev/null (EOF expected): %q", lines)
	}
}

func TestTimeoutTerm(t *testing.T) {
	checkGoroutines(t)
	r := New(self())
	t0 := time.Now()
	res := r.Run(context.Background(), Job{Script: &config.Script{Args: []string{"/bin/sleep", "30"}}, Timeout: 100 * time.Millisecond})
	if !res.TimedOut || !res.Signaled || res.Signal != syscall.SIGTERM || res.Success() {
		t.Fatalf("%+v", res)
	}
	if d := time.Since(t0); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	t.Logf("timeout to exit: %v", res.Duration)
}

func TestKillAtTimeout(t *testing.T) {
	checkGoroutines(t)
	r := New(self())
	res := r.Run(context.Background(), Job{Script: sh(`trap "" TERM; sleep 30`), Timeout: 100 * time.Millisecond, KillAtTimeout: true})
	if !res.TimedOut || res.Signal != syscall.SIGKILL || res.Duration > 2*time.Second {
		t.Fatalf("%+v", res)
	}
}

// A script ignoring SIGTERM, with a child that inherits that, is killed
// with the whole group after the grace period.
func TestTimeoutKillGroup(t *testing.T) {
	checkGoroutines(t)
	dir := t.TempDir()
	pidf := filepath.Join(dir, "child")
	r := New(self())
	s := sh(`trap "" TERM; sleep 30 & echo $! > ` + pidf + `; wait; wait`)
	res := r.Run(context.Background(), Job{Script: s, Timeout: 200 * time.Millisecond})
	if !res.TimedOut || !res.Signaled || res.Signal != syscall.SIGKILL {
		t.Fatalf("%+v", res)
	}
	if res.Duration < 400*time.Millisecond {
		t.Errorf("killed after %v, before timeout+grace", res.Duration)
	}
	b, err := os.ReadFile(pidf)
	if err != nil {
		t.Fatal(err)
	}
	child, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	waitGone(t, child)
}

// A leader obeying SIGTERM has its remaining children killed too.
func TestTimeoutTermKillsChildren(t *testing.T) {
	checkGoroutines(t)
	dir := t.TempDir()
	pidf := filepath.Join(dir, "child")
	r := New(self())
	s := sh(`(trap "" TERM; exec sleep 30) & echo $! > ` + pidf + `; exec sleep 30`)
	res := r.Run(context.Background(), Job{Script: s, Timeout: 200 * time.Millisecond})
	if !res.TimedOut || res.Signal != syscall.SIGTERM {
		t.Fatalf("%+v", res)
	}
	b, _ := os.ReadFile(pidf)
	child, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	waitGone(t, child)
}

func waitGone(t *testing.T, pid int) {
	t.Helper()
	if pid <= 0 {
		t.Fatal("no child pid")
	}
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			return
		}
		// A zombie waiting for its (reparented) reaper is gone enough.
		if f := strings.Fields(string(b)); len(f) > 2 && f[2] == "Z" {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("child %d still running", pid)
	_ = syscall.Kill(pid, syscall.SIGKILL)
}

func TestCancel(t *testing.T) {
	checkGoroutines(t)
	r := New(self())
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan Result, 1)
	if err := r.Start(ctx, Job{Script: &config.Script{Args: []string{"sleep", "30"}}}, func(res Result) { got <- res }); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	cancel()
	res := <-got
	if !res.Canceled || res.Signal != syscall.SIGTERM {
		t.Fatalf("%+v", res)
	}
	r.Wait()
}

func TestConcurrencyBound(t *testing.T) {
	checkGoroutines(t)
	o := self()
	o.MaxConcurrent, o.MaxQueued = 2, 3
	r := New(o)
	dir := t.TempDir()
	// Each job creates a marker while it runs and records how many
	// markers it saw: the peak concurrency.
	done := make(chan Result, 5)
	for i := 0; i < 5; i++ {
		f := filepath.Join(dir, strconv.Itoa(i))
		s := sh(`touch ` + f + `; n=$(ls ` + dir + ` | grep -vc '\.n$'); echo $n > ` + f + `.n; sleep 0.2; rm ` + f)
		if err := r.Start(context.Background(), Job{Script: s, Timeout: 10 * time.Second}, func(res Result) { done <- res }); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Start(context.Background(), Job{Script: sh("true")}, nil); !errors.Is(err, ErrBusy) {
		t.Errorf("6th job: %v, want ErrBusy", err)
	}
	for i := 0; i < 5; i++ {
		if res := <-done; !res.Success() {
			t.Errorf("%+v", res)
		}
	}
	r.Wait()
	peak := 0
	for i := 0; i < 5; i++ {
		b, _ := os.ReadFile(filepath.Join(dir, strconv.Itoa(i)+".n"))
		n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		peak = max(peak, n)
	}
	if peak < 1 || peak > 2 {
		t.Errorf("peak concurrency %d, want 1..2", peak)
	}
	if r.Active() != 0 {
		t.Errorf("active %d", r.Active())
	}
}

func TestSystemForm(t *testing.T) {
	checkGoroutines(t)
	r := New(self())
	ok := r.Run(context.Background(), Job{Script: &config.Script{Args: []string{"</etc/passwd"}}, Timeout: 5 * time.Second})
	if !ok.Success() {
		t.Errorf("</etc/passwd: %+v", ok)
	}
	bad := r.Run(context.Background(), Job{Script: &config.Script{Args: []string{"</nonexistent/file"}}, Timeout: 5 * time.Second})
	if bad.Success() || !bad.Exited {
		t.Errorf("</nonexistent: %+v", bad)
	}
}

func TestStartErrors(t *testing.T) {
	checkGoroutines(t)
	r := New(self())
	if res := r.Run(context.Background(), Job{Script: &config.Script{Args: []string{"/nonexistent/prog"}}}); res.Err == nil {
		t.Errorf("missing program: %+v", res)
	}
	if res := r.Run(context.Background(), Job{Script: &config.Script{Args: []string{"no-such-program-x"}}}); res.Err == nil {
		t.Errorf("missing program in PATH: %+v", res)
	}
	if err := r.Start(context.Background(), Job{}, nil); err == nil {
		t.Error("empty job accepted")
	}
	o := self()
	o.DefaultUser = "no-such-user-ka"
	if res := New(o).Run(context.Background(), Job{Script: sh("true")}); res.Err == nil {
		t.Errorf("missing user: %+v", res)
	}
}

func TestRunAsNobody(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("CI") != "true" {
			t.Skip("needs root")
		}
		t.Fatal("needs root under CI")
	}
	checkGoroutines(t)
	dir, err := os.MkdirTemp("", "ka-script-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "id")
	cmd := `echo "$(id -u) $(id -g) $(id -G)" > ` + out
	check := func(r *Runner, s *config.Script, want string) {
		t.Helper()
		res := r.Run(context.Background(), Job{Script: s, Timeout: 5 * time.Second})
		if !res.Success() {
			t.Fatalf("%+v", res)
		}
		b, _ := os.ReadFile(out)
		if got := strings.TrimSpace(string(b)); got != want {
			t.Errorf("ids %q, want %q", got, want)
		}
		os.Remove(out)
	}
	// Explicit user on the script.
	s := sh(cmd)
	s.User = "nobody"
	check(New(Options{}), s, "65534 65534 65534")
	// Explicit user and group.
	s = sh(cmd)
	s.User, s.Group = "nobody", "root"
	check(New(Options{}), s, "65534 0 0")
	// Default user from script_user.
	check(New(Options{DefaultUser: "nobody"}), sh(cmd), "65534 65534 65534")
	// No script_user: keepalived_script when it exists, else root.
	alias := Lookup{
		User: func(name string) (*user.User, error) {
			if name == DefaultUserName {
				name = "nobody"
			}
			return user.Lookup(name)
		},
		Group: user.LookupGroup,
	}
	check(New(Options{Lookup: alias}), sh(cmd), "65534 65534 65534")
	missing := Lookup{
		User:  func(string) (*user.User, error) { return nil, user.UnknownUserError("x") },
		Group: user.LookupGroup,
	}
	check(New(Options{Lookup: missing}), sh(cmd), "0 0 0")
}
