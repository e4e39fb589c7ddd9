package web

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// Bounds of the console's sign-in limit: after signInFreeFailures wrong
// tokens from one client, each further wrong token makes the client wait
// twice as long as the last (from one second up to signInMaxWait) before
// the next try is read at all, the right token included. A client that
// signs in, or tries nothing for signInForget, starts afresh.
const (
	signInFreeFailures = 5
	signInMaxWait      = 5 * time.Minute
	signInForget       = 30 * time.Minute
	// maxSignInClients bounds the clients remembered; the longest quiet go
	// first.
	maxSignInClients = 4096
)

// signInClient is what the limit remembers of one client.
type signInClient struct {
	failures int
	last     time.Time // the last wrong token
	until    time.Time // no try is read before this
}

// signInLimit slows and refuses repeated wrong administrator tokens from
// one client (by its IP address), at the console's sign-in and on the API
// alike, so that the token cannot be guessed at speed, without locking the
// right token out for longer than signInMaxWait.
type signInLimit struct {
	mu sync.Mutex
	m  map[string]*signInClient
}

// clientOf names the client of r, for the limit and the record's origin:
// its IP address without the port (RemoteAddr as it is when it has none).
func clientOf(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// wait returns how long client must wait before its next try is read;
// zero when it may try now.
func (l *signInLimit) wait(client string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := l.m[client]
	if !ok || !now.Before(c.until) {
		return 0
	}
	return c.until.Sub(now)
}

// fail counts a wrong token from client.
func (l *signInLimit) fail(client string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = map[string]*signInClient{}
	}
	c, ok := l.m[client]
	if !ok || now.Sub(c.last) >= signInForget {
		l.evict(now)
		c = &signInClient{}
		l.m[client] = c
	}
	c.failures++
	c.last = now
	if n := c.failures - signInFreeFailures; n > 0 {
		d := signInMaxWait
		if n <= 20 && time.Second<<(n-1) < signInMaxWait {
			d = time.Second << (n - 1)
		}
		c.until = now.Add(d)
	}
}

// succeed forgets client's wrong tokens.
func (l *signInLimit) succeed(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.m, client)
}

// evict makes room for a client: it drops the clients quiet for
// signInForget and, while still full, the one quiet longest.
func (l *signInLimit) evict(now time.Time) {
	for k, c := range l.m {
		if now.Sub(c.last) >= signInForget {
			delete(l.m, k)
		}
	}
	for len(l.m) >= maxSignInClients {
		var oldest string
		var at time.Time
		for k, c := range l.m {
			if at.IsZero() || c.last.Before(at) {
				oldest, at = k, c.last
			}
		}
		delete(l.m, oldest)
	}
}
