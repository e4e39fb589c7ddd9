package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/eulagate/eulagate/eula"
)

// csrfTTL is how long a page's CSRF token stays valid.
const csrfTTL = 24 * time.Hour

// csrf issues and checks the tokens that browser-origin POSTs must carry.
// A token is an issue time signed with the server's secret: a page from
// another site cannot read it, and no cookie is needed, so the viewer also
// works inside a host's iframe where third-party cookies are blocked.
type csrf struct {
	key []byte
	now func() time.Time
}

func (c csrf) sign(t int64) string {
	m := hmac.New(sha256.New, c.key)
	fmt.Fprintf(m, "eulagate csrf v1 %d", t)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// token returns a fresh token.
func (c csrf) token() string {
	t := c.now().Unix()
	return strconv.FormatInt(t, 10) + "." + c.sign(t)
}

// check validates a token. Errors wrap eula.ErrForbidden.
func (c csrf) check(token string) error {
	ts, sig, ok := strings.Cut(token, ".")
	t, err := strconv.ParseInt(ts, 10, 64)
	if !ok || err != nil || !hmac.Equal([]byte(sig), []byte(c.sign(t))) {
		return fmt.Errorf("the page's security token is missing or wrong: reload the page and decide again: %w", eula.ErrForbidden)
	}
	if age := c.now().Sub(time.Unix(t, 0)); age > csrfTTL || age < -time.Minute {
		return fmt.Errorf("the page has expired: reload it and decide again: %w", eula.ErrForbidden)
	}
	return nil
}

// fromBrowser reports whether a request was sent by a browser page (and so
// needs a CSRF token) rather than by an installer's or script's HTTP client.
func fromBrowser(r *http.Request) bool {
	return r.Header.Get("Origin") != "" || r.Header.Get("Sec-Fetch-Site") != "" ||
		r.Header.Get("Sec-Fetch-Mode") != "" || r.Header.Get("Cookie") != ""
}

// crossSite reports whether a browser says the request comes from another
// site, which no legitimate page of ours does.
func crossSite(r *http.Request) bool {
	return r.Header.Get("Sec-Fetch-Site") == "cross-site"
}

// crossOrigin is Go's check of Sec-Fetch-Site and, where a browser sends
// only Origin, of Origin against Host: a form posted from another origin is
// refused even with a harvested token.
var crossOrigin = http.NewCrossOriginProtection()
