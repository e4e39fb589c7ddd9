package web

import "testing"

func TestAllowedReturn(t *testing.T) {
	s := &Server{returnURLs: []string{"https://installer.local/cb", "http://127.0.0.1:9999/done/"}}
	for ret, want := range map[string]bool{
		"https://installer.local/cb":              true,
		"https://installer.local/cb?x=1":          true,
		"https://installer.local/cb/step2":        true,
		"https://installer.local/cbx":             false,
		"https://installer.local/cb/../admin":     false,
		"https://installer.local.evil.example/cb": false,
		"https://user@installer.local/cb":         false,
		"http://installer.local/cb":               false,
		"javascript:alert(1)":                     false,
		"http://127.0.0.1:9999/done/ok":           true,
		"http://127.0.0.1:9998/done/ok":           false,
		"":                                        false,
	} {
		if got := s.allowedReturn(ret); got != want {
			t.Errorf("allowedReturn(%q) = %v, want %v", ret, got, want)
		}
	}
}
