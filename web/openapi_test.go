package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eulagate/eulagate/api"
)

// The OpenAPI document (openapi.json) is written by hand and tested against
// package api rather than generated from it: it says what Go types cannot
// (summaries, enums, limits, which statuses an operation answers), and the
// tests below check, in both directions, what a client depends on: every
// operation of api.Endpoints and no other, its query parameters, and the
// property names and JSON types of every request and answer body.

// openAPIDoc is the part of an OpenAPI document the tests read.
type openAPIDoc struct {
	OpenAPI    string                               `json:"openapi"`
	Paths      map[string]map[string]*openOp        `json:"paths"`
	Components struct{ Schemas map[string]*schema } `json:"components"`
}

type openOp struct {
	Parameters []struct {
		Name string `json:"name"`
		In   string `json:"in"`
	} `json:"parameters"`
	RequestBody *struct {
		Content map[string]struct{ Schema *schema } `json:"content"`
	} `json:"requestBody"`
	Responses map[string]struct {
		Content map[string]struct{ Schema *schema } `json:"content"`
	} `json:"responses"`
	Security []map[string][]string `json:"security"`
}

type schema struct {
	Ref                  string             `json:"$ref"`
	Type                 string             `json:"type"`
	Properties           map[string]*schema `json:"properties"`
	Items                *schema            `json:"items"`
	AdditionalProperties json.RawMessage    `json:"additionalProperties"`
	Enum                 []string           `json:"enum"`
}

// loadOpenAPI fetches the document from a server, as a client would.
func loadOpenAPI(t *testing.T) *openAPIDoc {
	t.Helper()
	ts := newTestServer(t)
	resp, body := ts.get(t, api.PathOpenAPI)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	var doc openAPIDoc
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	return &doc
}

// TestOpenAPIDescribesEndpoints: the document describes every operation of
// api.Endpoints, and no other.
func TestOpenAPIDescribesEndpoints(t *testing.T) {
	doc := loadOpenAPI(t)
	want := map[string]bool{}
	for _, e := range api.Endpoints() {
		want[e.Method+" "+e.Path] = true
		op := doc.Paths[e.Path][strings.ToLower(e.Method)]
		if op == nil {
			t.Errorf("%s %s is not in openapi.json", e.Method, e.Path)
			continue
		}
		admin := slices.ContainsFunc(op.Security, func(s map[string][]string) bool { _, ok := s["admin"]; return ok })
		if admin != e.Admin {
			t.Errorf("%s %s: security admin %v in openapi.json, api.Endpoints says %v", e.Method, e.Path, admin, e.Admin)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if !want[strings.ToUpper(method)+" "+path] {
				t.Errorf("openapi.json describes %s %s, which is not in api.Endpoints", strings.ToUpper(method), path)
			}
		}
	}
}

// TestServerServesEndpoints: the server routes every operation of
// api.Endpoints to an API handler. A path it does not route falls to the
// pages, which answer GET with HTML and other methods with 405.
func TestServerServesEndpoints(t *testing.T) {
	ts := newTestServer(t)
	for _, e := range api.Endpoints() {
		path := strings.NewReplacer("{id}", "0190", "{code}", "7K3M-Q9TZ-4HR").Replace(e.Path)
		req, err := http.NewRequest(e.Method, ts.URL+path, strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+testAdminToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); resp.StatusCode == http.StatusMethodNotAllowed || strings.HasPrefix(ct, "text/html") {
			t.Errorf("%s %s: %d %s: the server does not route it to the API", e.Method, path, resp.StatusCode, ct)
		}
	}
}

// TestOpenAPIMatchesTypes: each operation's query parameters, request body
// and success answer in the document have the names and JSON types of the
// Go types api.Endpoints gives, recursively; the error body and its codes
// are package api's.
func TestOpenAPIMatchesTypes(t *testing.T) {
	doc := loadOpenAPI(t)
	for _, e := range api.Endpoints() {
		op := doc.Paths[e.Path][strings.ToLower(e.Method)]
		if op == nil {
			continue // TestOpenAPIDescribesEndpoints reports it
		}
		where := e.Method + " " + e.Path
		var query []string
		for _, p := range op.Parameters {
			if p.In == "query" {
				query = append(query, p.Name)
			}
		}
		if diff := diffNames(queryNames(e.Query), query); diff != "" {
			t.Errorf("%s: query parameters %s", where, diff)
		}
		if e.Request != nil {
			if op.RequestBody == nil || op.RequestBody.Content["application/json"].Schema == nil {
				t.Errorf("%s: no JSON request body in openapi.json", where)
			} else {
				checkSchema(t, doc, where+" request", op.RequestBody.Content["application/json"].Schema, reflect.TypeOf(e.Request))
			}
		}
		if e.Response != nil {
			checked := 0
			for status, r := range op.Responses {
				if s := r.Content["application/json"].Schema; strings.HasPrefix(status, "2") && s != nil {
					checkSchema(t, doc, where+" "+status, s, reflect.TypeOf(e.Response))
					checked++
				}
			}
			if checked == 0 {
				t.Errorf("%s: no JSON success answer in openapi.json", where)
			}
		}
	}
	errorSchema := doc.Components.Schemas["Error"]
	if errorSchema == nil {
		t.Fatal("openapi.json has no Error schema")
	}
	checkSchema(t, doc, "Error", errorSchema, reflect.TypeOf(api.ErrorBody{}))
	if codes := errorSchema.Properties["error"].Properties["code"].Enum; !slices.Equal(sorted(codes), sorted(api.Codes())) {
		t.Errorf("error codes in openapi.json %v, package api has %v", codes, api.Codes())
	}
}

// queryNames returns the URL parameters of a query type: the keys of its
// Values() when every field is set.
func queryNames(q any) []string {
	if q == nil {
		return nil
	}
	v := reflect.New(reflect.TypeOf(q)).Elem()
	fill(v)
	var names []string
	for k := range v.Interface().(interface{ Values() url.Values }).Values() {
		names = append(names, k)
	}
	return names
}

// fill sets every string field of a struct (embedded ones included) to "x"
// and every bool field to true.
func fill(v reflect.Value) {
	for i := range v.NumField() {
		switch f := v.Field(i); f.Kind() {
		case reflect.String:
			f.SetString("x")
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Struct:
			fill(f)
		}
	}
}

// checkSchema compares s (resolved) with the JSON encoding of typ.
func checkSchema(t *testing.T, doc *openAPIDoc, where string, s *schema, typ reflect.Type) {
	t.Helper()
	for s.Ref != "" {
		name := strings.TrimPrefix(s.Ref, "#/components/schemas/")
		if s = doc.Components.Schemas[name]; s == nil {
			t.Errorf("%s: $ref to unknown schema %q", where, name)
			return
		}
	}
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	want := ""
	switch {
	case typ == reflect.TypeOf(json.RawMessage{}):
		return // any JSON value (a receipt, a record: package eula's)
	case typ == reflect.TypeOf(time.Time{}):
		want = "string"
	default:
		switch typ.Kind() {
		case reflect.String:
			want = "string"
		case reflect.Bool:
			want = "boolean"
		case reflect.Int, reflect.Int64:
			want = "integer"
		case reflect.Slice:
			want = "array"
		case reflect.Struct, reflect.Map:
			want = "object"
		default:
			t.Errorf("%s: %s has a kind the test does not know", where, typ)
			return
		}
	}
	if s.Type != want {
		t.Errorf("%s: type %q in openapi.json, %q for %s", where, s.Type, want, typ)
		return
	}
	switch {
	case typ.Kind() == reflect.Slice:
		if s.Items == nil {
			t.Errorf("%s: an array without items", where)
			return
		}
		checkSchema(t, doc, where+"[]", s.Items, typ.Elem())
	case typ.Kind() == reflect.Map:
		if len(s.AdditionalProperties) == 0 {
			t.Errorf("%s: a map without additionalProperties", where)
		}
	case typ.Kind() == reflect.Struct && typ != reflect.TypeOf(time.Time{}):
		fields := jsonFields(typ)
		var names, have []string
		for name := range fields {
			names = append(names, name)
		}
		for name := range s.Properties {
			have = append(have, name)
		}
		if diff := diffNames(names, have); diff != "" {
			t.Errorf("%s: properties of %s: %s", where, typ, diff)
		}
		for name, ft := range fields {
			if p := s.Properties[name]; p != nil {
				checkSchema(t, doc, where+"."+name, p, ft)
			}
		}
	}
}

// jsonFields returns the JSON names of a struct's fields, as encoding/json
// writes them (embedded structs flattened, "-" left out), with their types.
func jsonFields(typ reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range typ.NumField() {
		f := typ.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case tag == "-" || !f.IsExported():
		case f.Anonymous && tag == "":
			for name, ft := range jsonFields(f.Type) {
				out[name] = ft
			}
		case tag != "":
			out[tag] = f.Type
		default:
			out[f.Name] = f.Type
		}
	}
	return out
}

// diffNames says which names are only in the Go type (want) and which only
// in the document (have), or "" when they are the same.
func diffNames(want, have []string) string {
	var onlyGo, onlyDoc []string
	for _, n := range want {
		if !slices.Contains(have, n) {
			onlyGo = append(onlyGo, n)
		}
	}
	for _, n := range have {
		if !slices.Contains(want, n) {
			onlyDoc = append(onlyDoc, n)
		}
	}
	if len(onlyGo) == 0 && len(onlyDoc) == 0 {
		return ""
	}
	return "missing from openapi.json " + strings.Join(sorted(onlyGo), ", ") + "; only in openapi.json " + strings.Join(sorted(onlyDoc), ", ")
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
