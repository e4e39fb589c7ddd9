package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"

	"github.com/eulagate/eulagate/eula"
)

// requireAdmin checks the administrator credential of a request: an
// "Authorization: Bearer <token>" header equal to the configured token,
// compared in constant time. With no token configured, every
// administrator endpoint is refused. Errors wrap eula.ErrUnauthorized.
func (s *Server) requireAdmin(r *http.Request) error {
	if len(s.adminToken) == 0 {
		return fmt.Errorf("administrator endpoints are disabled: start the server with --admin-token: %w", eula.ErrUnauthorized)
	}
	client := clientOf(r)
	if wait := s.signIns.wait(client, s.now()); wait > 0 {
		return triesError{wait}
	}
	auth := r.Header.Get("Authorization")
	scheme, got, ok := strings.Cut(auth, " ")
	ok = ok && strings.EqualFold(scheme, "Bearer") // the scheme is case-insensitive (RFC 9110)
	if !ok || got == "" {
		return fmt.Errorf("send the administrator token as Authorization: Bearer <token>: %w", eula.ErrUnauthorized)
	}
	if !s.adminTokenMatches(client, got) {
		return fmt.Errorf("the administrator token is wrong: %w", eula.ErrUnauthorized)
	}
	return nil
}

// adminTokenMatches reports whether got is the administrator token,
// compared in constant time, and keeps the limit on wrong tokens
// (signInLimit) that the console's sign-in and the API share: a wrong token
// counts against client, the right one forgets client's wrong ones. A
// server without a token matches none and counts nothing.
func (s *Server) adminTokenMatches(client, got string) bool {
	if len(s.adminToken) == 0 {
		return false
	}
	// Hash both sides so the comparison takes the same time whatever the
	// lengths.
	a, b := sha256.Sum256([]byte(got)), sha256.Sum256(s.adminToken)
	if subtle.ConstantTimeCompare(a[:], b[:]) != 1 {
		s.signIns.fail(client, s.now())
		return false
	}
	s.signIns.succeed(client)
	return true
}
