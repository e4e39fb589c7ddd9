package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/eulagate/eulagate/api"
)

// TestStrictJSONDecision: a decision whose field is given twice, or named
// in another case, is refused with 400 naming the field, and nothing is
// recorded: with the last duplicate winning, {"decision":"declined",
// "decision":"accepted"} recorded an acceptance.
func TestStrictJSONDecision(t *testing.T) {
	ts := newTestServer(t)
	doc := `"document":{"id":"eula","version":"` + currentEULA + `","language":"en"},"product":"husky-m20","installer":{"machine_id":"m-1"}`
	for _, test := range []struct {
		name, body, field string
	}{
		{"decision twice", `{"decision":"declined","decision":"accepted",` + doc + `}`, `\"decision\" is given twice`},
		{"product twice", `{"decision":"accepted",` + doc + `,"product":"husky-x2"}`, `\"product\" is given twice`},
		{"nested field twice", `{"decision":"accepted","document":{"id":"eula","version":"` + currentEULA + `","version":"` + currentEULA + `","language":"en"},"product":"husky-m20"}`, `\"document.version\" is given twice`},
		{"Decision", `{"Decision":"accepted",` + doc + `}`, `unknown field \"Decision\"`},
		{"both cases", `{"decision":"declined","DECISION":"accepted",` + doc + `}`, `unknown field \"DECISION\"`},
		{"nested case", `{"decision":"accepted","document":{"ID":"eula","version":"` + currentEULA + `","language":"en"},"product":"husky-m20"}`, `unknown field \"document.ID\"`},
		{"invalid UTF-8", "{\"decision\":\"accepted\xff\"," + doc + `}`, "UTF-8"},
	} {
		t.Run(test.name, func(t *testing.T) {
			before := len(ts.records(t))
			status, body := ts.do(t, "POST", api.PathDecisions, test.body, "Content-Type", "application/json")
			if status != http.StatusBadRequest || !strings.Contains(body, test.field) || !strings.Contains(body, `"code":"invalid"`) {
				t.Errorf("status %d body %s; want 400 naming %s", status, body, test.field)
			}
			if after := len(ts.records(t)); after != before {
				t.Errorf("a refused body recorded %d records", after-before)
			}
		})
	}
}

// TestStrictJSONEveryEndpoint: every API endpoint that takes a JSON body
// refuses a field given twice and a field named in another case.
func TestStrictJSONEveryEndpoint(t *testing.T) {
	ts := newTestServer(t)
	auth := []string{"Authorization", "Bearer " + testAdminToken}
	for _, test := range []struct {
		path, body string
		admin      bool
	}{
		{api.PathDecisions, `{"decision":"accepted","product":"husky-m20"}`, false},
		{api.PathAdminAcceptances, `{"administrator":{"name":"A"},"computers":["c"]}`, true},
		{api.PathDelegations, `{"product":"husky-m20","version":"1","computers":["c"]}`, true},
		{api.PathDealerAcceptances, `{"product":"husky-m20","customer_accepted":true}`, false},
		{api.ConfirmationsPath("7K3M-Q9TZ-4HR"), `{"product":"husky-m20"}`, false},
		{api.PathAffiliateAcceptances, `{"licensee":"L","product":"xprotect-corporate"}`, false},
		{api.PathErase, `{"email":"a@example.com"}`, true},
	} {
		// The body's first field, given twice, and in upper case.
		first := test.body[2:strings.Index(test.body, `":`)]
		twice := strings.Replace(test.body, `{"`+first+`":`, `{"`+first+`":null,"`+first+`":`, 1)
		upper := strings.Replace(test.body, `{"`+first+`":`, `{"`+strings.ToUpper(first[:1])+first[1:]+`":`, 1)
		for _, c := range []struct{ body, want string }{
			{twice, `field \"` + first + `\" is given twice`},
			{upper, `unknown field \"` + strings.ToUpper(first[:1]) + first[1:] + `\"`},
		} {
			header := []string{"Content-Type", "application/json"}
			if test.admin {
				header = append(header, auth...)
			}
			status, body := ts.do(t, "POST", test.path, c.body, header...)
			if status != http.StatusBadRequest || !strings.Contains(body, c.want) {
				t.Errorf("POST %s %s: status %d body %s; want 400 containing %s", test.path, c.body, status, body, c.want)
			}
		}
	}
}
