// Package apihttp carries the requests of an api.Client over net/http: the
// transport of the native programs (eulagate gate, delegate, admin-accept,
// tests). It is a package of its own so that package api stays free of
// net/http, which the wasm viewer must not link; the viewer carries its
// requests over the browser's fetch instead (package app/client).
package apihttp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/eulagate/eulagate/api"
)

// DefaultMaxAnswer bounds the body of an answer read by a Doer unless
// WithMaxAnswer says otherwise: an export or a subject's records can be
// large, but not without bound.
const DefaultMaxAnswer = 16 << 20

// Doer sends API requests to one server over net/http. It implements
// api.Doer.
type Doer struct {
	base   string
	client *http.Client
	max    int64
}

var _ api.Doer = (*Doer)(nil)

// Option configures a Doer.
type Option func(*Doer)

// WithHTTPClient sends the requests with c (for its timeout or transport)
// instead of http.DefaultClient.
func WithHTTPClient(c *http.Client) Option {
	return func(d *Doer) { d.client = c }
}

// WithMaxAnswer bounds the body of an answer to n bytes; a longer one is an
// error.
func WithMaxAnswer(n int64) Option {
	return func(d *Doer) { d.max = n }
}

// New returns a Doer for the server at base, an http or https URL (see
// ParseBase); API paths are appended to its path, so that a server behind
// a proxy at https://host/eula/ is reached as well.
func New(base *url.URL, opts ...Option) *Doer {
	b := *base
	b.RawQuery, b.Fragment = "", ""
	d := &Doer{base: strings.TrimSuffix(b.String(), "/"), client: http.DefaultClient, max: DefaultMaxAnswer}
	for _, o := range opts {
		o(d)
	}
	return d
}

// ErrBaseURL reports a server URL that is not an absolute http or https
// URL.
var ErrBaseURL = errors.New("not an http(s) URL")

// ParseBase parses the URL of a server, such as http://127.0.0.1:8080/,
// and checks that it is an absolute http or https URL with a host. The
// error wraps ErrBaseURL.
func ParseBase(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSuffix(s, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is %w", s, ErrBaseURL)
	}
	return u, nil
}

// Do implements api.Doer.
func (d *Doer) Do(ctx context.Context, method, path string, header map[string]string, body []byte) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, d.base+path, r)
	if err != nil {
		return 0, nil, err
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, d.max+1))
	if err != nil {
		return 0, nil, fmt.Errorf("reading the answer: %w", err)
	}
	if int64(len(data)) > d.max {
		return 0, nil, fmt.Errorf("the answer is longer than %d bytes", d.max)
	}
	return resp.StatusCode, data, nil
}
