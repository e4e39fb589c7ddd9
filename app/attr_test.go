package app

import "testing"

func TestAttrServer(t *testing.T) {
	for _, test := range []struct{ in, want string }{
		{"plain-token_1.2", "plain-token_1.2"},
		{"Русский 日本語", "Русский 日本語"},
		{`"><script>alert(1)</script>`, "&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;"},
		{`{"a":"b\\c"}`, "{&#34;a&#34;:&#34;b&#92;&#92;c&#34;}"},
		{"nbsp\u00a0", "nbsp&#160;"},
		{"a&b", "a&#38;b"},
	} {
		if got := attrServer(test.in); got != test.want {
			t.Errorf("attrServer(%q) = %q, want %q", test.in, got, test.want)
		}
	}
}
