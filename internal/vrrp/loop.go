package vrrp

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Deps are the edges the loop drives. Trackers and Links may be nil (no
// tracking, links assumed up); the others are required.
type Deps struct {
	Transport Transport
	Addrs     AddrManager
	Announcer Announcer
	Notifier  Notifier
	Trackers  TrackerSource
	Links     LinkWatcher
	// VMACs creates the use_vmac interfaces; nil creates none (the
	// instance still runs on the VMAC's name: tests with fakes).
	VMACs VMACManager
	// AddrWatch reports deleted addresses (nil: VIPs removed by hand go
	// unnoticed).
	AddrWatch AddrWatcher
	Clock     LoopClock
	Log       *slog.Logger
}

// loop runs every instance on one goroutine: received adverts, tracker
// and link changes and commands arrive as closures on in, the one timer
// fires at the earliest instance deadline. One goroutine for all instances
// keeps sync groups simple (members change together, in order).
type loop struct {
	deps   Deps
	log    *slog.Logger
	ctx    context.Context
	cancel context.CancelFunc

	// queue holds posted work; wake tells the waiting loop about it.
	queue workQueue
	timer Timer
	armed time.Time
	done  chan struct{}

	insts  []*instance
	byName map[string]*instance
	groups map[string]*syncGroup
	notes  *notifyQueue
	// syncing is set while sync group members are being moved, so their
	// transitions do not trigger further syncing.
	syncing bool
	// watching is set once the link and address watchers run (they
	// outlive reloads).
	watching bool
	// delayedStart is the end of vrrp_startup_delay (zero: none), set at
	// the first start only, as keepalived does; machines built by a
	// reload during the delay honour it too.
	delayedStart time.Time
	// holding and held: apply writes its log lines after its actions.
	holding bool
	held    []heldLine
}

func newLoop(deps Deps) *loop {
	ctx, cancel := context.WithCancel(context.Background())
	l := &loop{
		deps:   deps,
		log:    deps.Log,
		ctx:    ctx,
		cancel: cancel,
		timer:  deps.Clock.NewTimer(),
		done:   make(chan struct{}),
		byName: map[string]*instance{},
		groups: map[string]*syncGroup{},
	}
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}
	l.notes = newNotifyQueue(ctx, deps.Notifier)
	go l.run()
	return l
}

// run is the loop goroutine: it waits in its own epoll_wait when the
// timer is a timerfd (one thread wakes per expiry and sends the advert
// itself), else on channels (fakes in tests, no timerfd).
func (l *loop) run() {
	defer close(l.done)
	if ft, ok := l.timer.(*fdTimer); ok {
		if w, err := newEpollWaiter(ft); err == nil {
			raiseLoopThread()
			l.queue.setWaker(w.wake)
			l.runEpoll(w)
			return
		}
	}
	kick := make(chan struct{}, 1)
	l.queue.setWaker(func() {
		select {
		case kick <- struct{}{}:
		default:
		}
	})
	for {
		select {
		case <-l.ctx.Done():
			l.timer.Stop()
			return
		case <-kick:
			l.runQueued()
		case <-l.timer.C():
			l.armed = time.Time{}
			l.fire()
		}
		l.rearm()
	}
}

// runEpoll is run's loop over an epollWaiter. Posted work runs before the
// timer's instances: an advert read before a deadline moves it.
func (l *loop) runEpoll(w *epollWaiter) {
	defer w.close()
	for {
		if l.ctx.Err() != nil {
			l.timer.Stop()
			return
		}
		expired, err := w.wait()
		if err != nil {
			l.log.Error("VRRP loop: " + err.Error())
			time.Sleep(10 * time.Millisecond)
		}
		l.runQueued()
		if expired {
			l.armed = time.Time{}
			l.fire()
		}
		l.rearm()
	}
}

// runQueued runs the posted work, in order.
func (l *loop) runQueued() {
	for _, f := range l.queue.take() {
		if l.ctx.Err() != nil {
			return
		}
		f()
	}
}

// post queues f for the loop goroutine; false once the loop has ended.
func (l *loop) post(f func()) bool {
	if l.ctx.Err() != nil {
		return false
	}
	l.queue.push(f)
	return true
}

// call runs f on the loop goroutine and waits for it.
func (l *loop) call(ctx context.Context, f func()) error {
	done := make(chan struct{})
	if !l.post(func() { f(); close(done) }) {
		return context.Canceled
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// close ends the loop goroutine and waits for it and for the queued
// notifications (bounded by ctx).
func (l *loop) close(ctx context.Context) {
	l.notes.drain(ctx)
	l.cancel()
	l.queue.kick()
	<-l.done
}

// fire delivers a TimerEvent to every instance whose deadline passed.
func (l *loop) fire() {
	now := l.deps.Clock.Now()
	for _, in := range l.insts {
		if !in.deadline.IsZero() && !in.deadline.After(now) {
			l.handle(in, TimerEvent{})
		}
	}
}

// rearm sets the timer to the earliest deadline.
func (l *loop) rearm() {
	var next time.Time
	for _, in := range l.insts {
		if !in.deadline.IsZero() && (next.IsZero() || in.deadline.Before(next)) {
			next = in.deadline
		}
	}
	if next.Equal(l.armed) {
		return
	}
	l.armed = next
	l.timer.Reset(next)
}

// handle feeds one event to an instance and carries out the actions, then
// moves its sync group if its state changed.
func (l *loop) handle(in *instance, ev Event) {
	if in.gone {
		return
	}
	prev := in.m.State()
	l.apply(in, in.m.Handle(ev))
	if s := in.m.State(); s != prev {
		in.transition = l.deps.Clock.Now()
		l.syncAfter(in, prev, s)
	}
}

// add registers a built instance with the loop.
func (l *loop) add(in *instance) {
	l.insts = append(l.insts, in)
	l.byName[in.spec.Name] = in
}

// drop unregisters an instance.
func (l *loop) drop(in *instance) {
	in.gone = true
	delete(l.byName, in.spec.Name)
	for i, x := range l.insts {
		if x == in {
			l.insts = append(l.insts[:i:i], l.insts[i+1:]...)
			break
		}
	}
}

// notifyQueue runs notifications in order on their own goroutine, so a
// slow script never holds the loop.
type notifyQueue struct {
	mu      sync.Mutex
	q       []Notification
	wake    chan struct{}
	idle    chan struct{} // closed and replaced whenever the queue empties
	running bool
	off     bool // no notifier: pushes are dropped
}

func newNotifyQueue(ctx context.Context, n Notifier) *notifyQueue {
	nq := &notifyQueue{wake: make(chan struct{}, 1), idle: make(chan struct{})}
	if n == nil {
		nq.off = true
		return nq
	}
	go func() {
		for {
			nq.mu.Lock()
			if len(nq.q) == 0 {
				nq.running = false
				close(nq.idle)
				nq.idle = make(chan struct{})
				nq.mu.Unlock()
				select {
				case <-ctx.Done():
					return
				case <-nq.wake:
				}
				continue
			}
			x := nq.q[0]
			nq.q = nq.q[1:]
			nq.running = true
			nq.mu.Unlock()
			n.Notify(ctx, x)
		}
	}()
	return nq
}

// push queues one notification.
func (nq *notifyQueue) push(x Notification) {
	if nq.off {
		return
	}
	nq.mu.Lock()
	nq.q = append(nq.q, x)
	nq.mu.Unlock()
	select {
	case nq.wake <- struct{}{}:
	default:
	}
}

// drain waits until every queued notification was handed over, or ctx
// ends.
func (nq *notifyQueue) drain(ctx context.Context) {
	for {
		nq.mu.Lock()
		empty := len(nq.q) == 0 && !nq.running
		idle := nq.idle
		nq.mu.Unlock()
		if empty {
			return
		}
		select {
		case <-idle:
		case <-ctx.Done():
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
}
