package app

import (
	"strconv"
	"strings"
)

// Labels are the interface strings of one language, by message key (see
// locales/ui/en.json for the keys). The server fills them from its message
// catalogs; arguments are left as {1}, {2}, ... for Format.
type Labels map[string]string

// Get returns the label for key, or key itself when it is missing.
func (l Labels) Get(key string) string {
	if s, ok := l[key]; ok {
		return s
	}
	return key
}

// Format returns the label for key with {1}, {2}, ... replaced by args.
func (l Labels) Format(key string, args ...string) string {
	s := l.Get(key)
	for i, a := range args {
		s = strings.ReplaceAll(s, "{"+strconv.Itoa(i+1)+"}", a)
	}
	return s
}
