package apihttp_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/api/apihttp"
)

// TestDoerBase: API paths are appended to the base URL's path (a server
// behind a proxy under a prefix), and answers over the limit are refused.
func TestDoerBase(t *testing.T) {
	var path string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path = r.URL.Path
		io.WriteString(w, `{"status":"ok","version":"v"}`)
	}))
	defer ts.Close()
	prefixed, err := apihttp.ParseBase(ts.URL + "/eula/")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.NewClient(apihttp.New(prefixed)).Health(context.Background()); err != nil {
		t.Fatal(err)
	}
	if path != "/eula/healthz" {
		t.Errorf("path %q", path)
	}

	base, _ := url.Parse(ts.URL)
	small := api.NewClient(apihttp.New(base, apihttp.WithMaxAnswer(8)))
	if _, err := small.Health(context.Background()); err == nil || !strings.Contains(err.Error(), "longer than 8 bytes") {
		t.Errorf("an answer over the limit: %v", err)
	}

	for _, bad := range []string{"ftp://x", "127.0.0.1:8080", "http://", "://"} {
		if _, err := apihttp.ParseBase(bad); !errors.Is(err, apihttp.ErrBaseURL) {
			t.Errorf("ParseBase(%q): %v", bad, err)
		}
	}
}
