package client

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	ui "github.com/eulagate/eulagate/app"
)

// fill sets every field reachable from v (settable) to a value that is not
// its zero value: strings with characters JSON escapes, two entries in
// every slice and map, every pointer allocated.
func fill(v reflect.Value, seed *int) {
	*seed++
	switch v.Kind() {
	case reflect.String:
		v.SetString(`<a href="x">&amp;</a> \ / ` + "é 日本 😀 \u2028\t\n" + strings.Repeat("z", *seed%3))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*seed) - 3)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), seed)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), seed)
			}
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		fill(s.Index(0), seed)
		fill(s.Index(1), seed)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for _, k := range []string{"a.b", "c \"d\""} {
			e := reflect.New(v.Type().Elem()).Elem()
			fill(e, seed)
			m.SetMapIndex(reflect.ValueOf(k).Convert(v.Type().Key()), e)
		}
		v.Set(m)
	}
}

// fullView returns a View with every field set (fill) and its JSON.
func fullView(t testing.TB) (ui.View, []byte) {
	t.Helper()
	var full ui.View
	seed := 0
	fill(reflect.ValueOf(&full).Elem(), &seed)
	data, err := json.Marshal(full)
	if err != nil {
		t.Fatal(err)
	}
	return full, data
}

// TestDecodeView reads what json.Marshal writes for a View as
// json.Unmarshal reads it.
func TestDecodeView(t *testing.T) {
	full, data := fullView(t)
	indented, err := json.MarshalIndent(full, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, data string }{
		{"every field set", string(data)},
		{"indented", string(indented)},
		{"empty", `{}`},
		{"nulls", `{"sections":null,"labels":null,"changes":null,"outcome":null,"title":null}`},
		{"empty lists", `{"sections":[],"labels":{},"languages":[ ]}`},
		{"unknown names skipped", `{"future":{"a":[1,-2.5e3,true,false,null,"x",{"b":{}}]},"title":"T","more":[[]]}`},
		{"escapes", `{"title":"a\"b\\c\/d\b\f\n\r\t\u00e9\u2028\u003c\ud83d\ude00","lang":"\ud800x","dir":"\udc00\u0041"}`},
		{"a name twice: the last value", `{"title":"a","title":"b"}`},
		{"a section", `{"sections":[{"id":"s1","title":"One","level":2,"eager":true}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want, got ui.View
			if err := json.Unmarshal([]byte(tt.data), &want); err != nil {
				t.Fatal(err)
			}
			if err := decodeView(tt.data, &got); err != nil {
				t.Fatalf("decodeView: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("decodeView read\n%+v\njson.Unmarshal\n%+v", got, want)
			}
		})
	}
}

// TestDecodeViewRefuses refuses what is not a whole View: every cut of a
// View's JSON, and values of the wrong kind.
func TestDecodeViewRefuses(t *testing.T) {
	_, data := fullView(t)
	bad := []string{`"a"`, `[]`, `{"title":1}`, `{"sections":{}}`, `{"sections":[{"level":"1"}]}`,
		`{"readToEnd":"yes"}`, `{"title":"a",}`, `{"title" "a"}`, `{} {}`, `{"title":"a\x"}`, "{\"title\":\"a\nb\"}", `nul`}
	for i := 0; i < len(data); i += 7 {
		bad = append(bad, string(data[:i]))
	}
	for _, b := range bad {
		var v ui.View
		if err := decodeView(b, &v); !errors.Is(err, errHandover) {
			t.Errorf("decodeView(%.40q…) = %v, want an error", b, err)
		}
	}
}

// FuzzDecodeView reads any text without a panic, and reads whatever
// json.Marshal writes for a View that json.Unmarshal read from that text
// as json.Unmarshal reads it.
func FuzzDecodeView(f *testing.F) {
	_, data := fullView(f)
	f.Add(string(data))
	f.Add(`{"sections":[{"id":"s1","title":"One","level":2}],"title":"a\u2028b"}`)
	f.Add(`{"future":[1,-2.5e3,true,null,{"b":{}}]}`)
	f.Fuzz(func(t *testing.T, text string) {
		var v ui.View
		_ = decodeView(text, &v)
		var want ui.View
		if json.Unmarshal([]byte(text), &want) != nil {
			return
		}
		out, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		var got ui.View
		if err := decodeView(string(out), &got); err != nil {
			t.Fatalf("decodeView(%s): %v", out, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("decodeView read\n%+v\njson.Unmarshal\n%+v", got, want)
		}
	})
}
