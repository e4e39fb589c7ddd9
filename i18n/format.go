package i18n

import (
	"strconv"
	"strings"
)

// Format returns msg with {1}, {2}, ... replaced by args, in one pass: an
// argument that itself holds "{2}" (a product or language name a reader
// typed, an error's text) stays as it is. A placeholder without its
// argument, and any other text in braces, stays as written.
func Format(msg string, args ...string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(msg, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(msg[i:], '}') + i
		if j < i {
			break
		}
		b.WriteString(msg[:i])
		if n, err := strconv.Atoi(msg[i+1 : j]); err == nil && 1 <= n && n <= len(args) {
			b.WriteString(args[n-1])
		} else {
			b.WriteString(msg[i : j+1])
		}
		msg = msg[j+1:]
	}
	b.WriteString(msg)
	return b.String()
}
