package app

import "github.com/eulagate/eulagate/i18n"

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

// Format returns the label for key with {1}, {2}, ... replaced by args
// (i18n.Format: an argument holding "{2}" stays as it is).
func (l Labels) Format(key string, args ...string) string {
	return i18n.Format(l.Get(key), args...)
}
