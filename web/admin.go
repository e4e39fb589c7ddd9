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
	// The console's sign-in and the API share one limit on wrong tokens.
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
	// Hash both sides so the comparison takes the same time whatever the
	// lengths.
	a, b := sha256.Sum256([]byte(got)), sha256.Sum256(s.adminToken)
	if subtle.ConstantTimeCompare(a[:], b[:]) != 1 {
		s.signIns.fail(client, s.now())
		return fmt.Errorf("the administrator token is wrong: %w", eula.ErrUnauthorized)
	}
	s.signIns.succeed(client)
	return nil
}
