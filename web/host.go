package web

import (
	"net/url"
	"strings"
)

// allowedReturn reports whether ret may be used as a return URL: it must
// parse, have no user info, and start with one of the configured prefixes
// (compared after parsing, so "https://host.example.evil" does not pass for
// "https://host.example").
func (s *Server) allowedReturn(ret string) bool {
	if ret == "" || len(ret) > MaxQueryBytes {
		return false
	}
	u, err := url.Parse(ret)
	if err != nil || u.User != nil || u.Scheme == "" || strings.EqualFold(u.Scheme, "javascript") || strings.EqualFold(u.Scheme, "data") {
		return false
	}
	for _, prefix := range s.returnURLs {
		p, err := url.Parse(prefix)
		if err != nil || !strings.EqualFold(p.Scheme, u.Scheme) || !strings.EqualFold(p.Host, u.Host) {
			continue
		}
		if p.Host == "" || strings.Contains(u.Path, "/../") || strings.HasSuffix(u.Path, "/..") {
			continue
		}
		if u.Path == p.Path || strings.HasPrefix(u.Path, strings.TrimSuffix(p.Path, "/")+"/") {
			return true
		}
	}
	return false
}

// validOrigin reports whether o is a serialized origin: scheme://host[:port],
// never "*" or "null".
func validOrigin(o string) bool {
	u, err := url.Parse(o)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" &&
		u.Path == "" && u.RawQuery == "" && u.Fragment == "" && u.User == nil
}
