package web

import (
	"crypto/sha256"
	"sync"
	"time"
)

// Bounds of the kiosk sessions a server remembers.
const (
	// maxSessions is how many sessions are kept; the oldest go first.
	maxSessions = 4096
	// sessionTTL is how long a session's decision is remembered.
	sessionTTL = 24 * time.Hour
)

// sessions remembers which decision was made through which gate's kiosk
// session (api.Query's Session): the one-time token in the URL the gate
// shows. The gate's signed status names that record (eula.Statement's
// Session), so that only a decision made at the kiosk ends its wait.
// Tokens are kept hashed, in memory: a restart forgets them, and the gate
// then keeps waiting (a later boot's gate opens on the recorded
// acceptance).
type sessions struct {
	mu    sync.Mutex
	m     map[[32]byte]sessionDecision
	order [][32]byte
}

type sessionDecision struct {
	record string
	at     time.Time
}

// put remembers that the decision record was made through session token.
func (s *sessions) put(token, record string, now time.Time) {
	if token == "" {
		return
	}
	k := sha256.Sum256([]byte(token))
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[[32]byte]sessionDecision{}
	}
	if _, ok := s.m[k]; !ok {
		s.order = append(s.order, k)
	}
	s.m[k] = sessionDecision{record: record, at: now}
	for len(s.order) > maxSessions {
		delete(s.m, s.order[0])
		s.order = s.order[1:]
	}
}

// get returns the record last decided through session token, if any.
func (s *sessions) get(token string, now time.Time) string {
	if token == "" {
		return ""
	}
	k := sha256.Sum256([]byte(token))
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.m[k]
	if !ok || now.Sub(d.at) > sessionTTL {
		return ""
	}
	return d.record
}
