package client

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	ui "github.com/eulagate/eulagate/app"
)

// errHandover is wrapped by every error of decodeView.
var errHandover = errors.New("the page's View cannot be read")

// decodeView reads the View the page carries as JSON (app's
// prerenderedView, written by encoding/json) into v, as json.Unmarshal
// would. It is not json.Unmarshal because it runs before the first render:
// the browser compiles each wasm function on its first call, on the main
// thread, and encoding/json's decoder is large code (its scanner, its
// struct field cache, its literal conversions) that nothing else on the
// start path calls; its first call, and its reflection on every value,
// cost far more than this small decoder. This one reads only what json.Marshal
// writes for a View: objects into structs (fields by their json name) and
// into maps with string keys, arrays into slices, strings, integers,
// booleans and null; a name the View does not have is skipped. The
// handover_test compares it with json.Unmarshal on a View with every field
// set.
func decodeView(data string, v *ui.View) error {
	d := decoder{s: data}
	if err := d.value(reflect.ValueOf(v).Elem()); err != nil {
		return err
	}
	d.space()
	if d.i != len(d.s) {
		return d.fail("text after the value")
	}
	return nil
}

// decoder reads JSON from s, at i.
type decoder struct {
	s string
	i int
}

func (d *decoder) fail(what string) error {
	return fmt.Errorf("%w: %s at offset %d", errHandover, what, d.i)
}

func (d *decoder) space() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// value reads one value into v (settable), or skips it if v is not valid.
func (d *decoder) value(v reflect.Value) error {
	d.space()
	if d.i >= len(d.s) {
		return d.fail("unexpected end")
	}
	if v.IsValid() && v.Kind() == reflect.Pointer {
		if d.literal("null") {
			v.SetZero()
			return nil
		}
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return d.value(v.Elem())
	}
	switch c := d.s[d.i]; {
	case c == '{':
		return d.object(v)
	case c == '[':
		return d.array(v)
	case c == '"':
		s, err := d.str()
		if err != nil {
			return err
		}
		if !v.IsValid() {
			return nil
		}
		if v.Kind() != reflect.String {
			return d.fail("a string for " + v.Type().String())
		}
		v.SetString(s)
		return nil
	case d.literal("null"):
		// As json.Unmarshal: null empties a map or a slice and leaves
		// anything else as it is.
		if v.IsValid() && (v.Kind() == reflect.Map || v.Kind() == reflect.Slice) {
			v.SetZero()
		}
		return nil
	case d.literal("true"):
		return d.boolean(v, true)
	case d.literal("false"):
		return d.boolean(v, false)
	case c == '-' || c >= '0' && c <= '9':
		return d.number(v)
	}
	return d.fail("unexpected character")
}

func (d *decoder) boolean(v reflect.Value, b bool) error {
	if !v.IsValid() {
		return nil
	}
	if v.Kind() != reflect.Bool {
		return d.fail("a boolean for " + v.Type().String())
	}
	v.SetBool(b)
	return nil
}

// literal consumes word if the text continues with it.
func (d *decoder) literal(word string) bool {
	if strings.HasPrefix(d.s[d.i:], word) {
		d.i += len(word)
		return true
	}
	return false
}

func (d *decoder) number(v reflect.Value) error {
	start := d.i
	for d.i < len(d.s) && strings.IndexByte("+-.0123456789eE", d.s[d.i]) >= 0 {
		d.i++
	}
	if !v.IsValid() {
		return nil
	}
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(d.s[start:d.i], 10, v.Type().Bits())
		if err != nil {
			return d.fail("a number for " + v.Type().String())
		}
		v.SetInt(n)
		return nil
	}
	return d.fail("a number for " + v.Type().String())
}

// object reads an object into a struct, a map with string keys, or
// nowhere (v not valid).
func (d *decoder) object(v reflect.Value) error {
	d.i++ // {
	var fields map[string]int
	switch {
	case !v.IsValid():
	case v.Kind() == reflect.Struct:
		fields = fieldsOf(v.Type())
	case v.Kind() == reflect.Map && v.Type().Key().Kind() == reflect.String:
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
	default:
		return d.fail("an object for " + v.Type().String())
	}
	d.space()
	if d.literal("}") {
		return nil
	}
	for {
		d.space()
		if d.i >= len(d.s) || d.s[d.i] != '"' {
			return d.fail("a name expected")
		}
		name, err := d.str()
		if err != nil {
			return err
		}
		d.space()
		if !d.literal(":") {
			return d.fail("':' expected")
		}
		switch {
		case !v.IsValid():
			err = d.value(reflect.Value{})
		case v.Kind() == reflect.Struct:
			f := reflect.Value{}
			if n, ok := fields[name]; ok {
				f = v.Field(n)
			}
			err = d.value(f)
		default:
			e := reflect.New(v.Type().Elem()).Elem()
			if err = d.value(e); err == nil {
				v.SetMapIndex(reflect.ValueOf(name).Convert(v.Type().Key()), e)
			}
		}
		if err != nil {
			return err
		}
		d.space()
		switch {
		case d.literal(","):
		case d.literal("}"):
			return nil
		default:
			return d.fail("',' or '}' expected")
		}
	}
}

// array reads an array into a slice, or nowhere (v not valid).
func (d *decoder) array(v reflect.Value) error {
	d.i++ // [
	if v.IsValid() && v.Kind() != reflect.Slice {
		return d.fail("an array for " + v.Type().String())
	}
	var items reflect.Value
	if v.IsValid() {
		items = reflect.MakeSlice(v.Type(), 0, 0)
	}
	d.space()
	if !d.literal("]") {
		for {
			if !v.IsValid() {
				if err := d.value(reflect.Value{}); err != nil {
					return err
				}
			} else {
				items = reflect.Append(items, reflect.Zero(v.Type().Elem()))
				if err := d.value(items.Index(items.Len() - 1)); err != nil {
					return err
				}
			}
			d.space()
			if d.literal("]") {
				break
			}
			if !d.literal(",") {
				return d.fail("',' or ']' expected")
			}
		}
	}
	if v.IsValid() {
		v.Set(items)
	}
	return nil
}

// str reads a string, its escapes resolved.
func (d *decoder) str() (string, error) {
	d.i++ // "
	start := d.i
	for d.i < len(d.s) {
		switch c := d.s[d.i]; {
		case c == '"':
			s := d.s[start:d.i]
			d.i++
			return s, nil
		case c == '\\':
			return d.escaped(start)
		case c < ' ':
			return "", d.fail("a control character in a string")
		}
		d.i++
	}
	return "", d.fail("an unterminated string")
}

// escaped reads the rest of a string that has escapes, from start.
func (d *decoder) escaped(start int) (string, error) {
	var b strings.Builder
	b.WriteString(d.s[start:d.i])
	for d.i < len(d.s) {
		c := d.s[d.i]
		switch {
		case c == '"':
			d.i++
			return b.String(), nil
		case c < ' ':
			return "", d.fail("a control character in a string")
		case c != '\\':
			b.WriteByte(c)
			d.i++
			continue
		}
		if d.i+1 >= len(d.s) {
			break
		}
		d.i += 2
		switch e := d.s[d.i-1]; e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := d.hex4()
			if !ok {
				return "", d.fail("a bad \\u escape")
			}
			if utf16.IsSurrogate(r) {
				// The second half of the pair follows; a lone half is
				// U+FFFD, as json.Unmarshal reads it.
				first := r
				r = utf8.RuneError
				if save := d.i; strings.HasPrefix(d.s[d.i:], `\u`) {
					d.i += 2
					if r2, ok := d.hex4(); ok && utf16.DecodeRune(first, r2) != utf8.RuneError {
						r = utf16.DecodeRune(first, r2)
					} else {
						d.i = save
					}
				}
			}
			b.WriteRune(r)
		default:
			return "", d.fail("a bad escape")
		}
	}
	return "", d.fail("an unterminated string")
}

// hex4 reads four hexadecimal digits.
func (d *decoder) hex4() (rune, bool) {
	if d.i+4 > len(d.s) {
		return 0, false
	}
	n, err := strconv.ParseUint(d.s[d.i:d.i+4], 16, 32)
	if err != nil {
		return 0, false
	}
	d.i += 4
	return rune(n), true
}

// fieldIndex holds, by struct type, the index of each field by its JSON
// name, as encoding/json names them (the tag's name, else the Go name;
// "-" and unexported fields have none).
var fieldIndex sync.Map // reflect.Type -> map[string]int

func fieldsOf(t reflect.Type) map[string]int {
	if m, ok := fieldIndex.Load(t); ok {
		return m.(map[string]int)
	}
	m := map[string]int{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		m[name] = i
	}
	fieldIndex.Store(t, m)
	return m
}
