package web

import (
	"testing"

	"github.com/eulagate/eulagate/eula/translog"
	"github.com/eulagate/eulagate/locales/ui"
)

// TestAuditFindingMeaning checks that the console says what every kind of
// audit finding means in every language of the catalogs, in that
// language's own words, beside the audit's exact detail.
func TestAuditFindingMeaning(t *testing.T) {
	msgs, err := ui.Messages()
	if err != nil {
		t.Fatal(err)
	}
	english := consoleLang(ui.Source.String(), "")
	for tag := range msgs {
		L := consoleLang(tag.String(), "")
		if L.Lang() != tag.String() {
			t.Fatalf("consoleLang(%s) chose %s", tag, L.Lang())
		}
		for _, k := range translog.Kinds {
			f := auditFinding(L, translog.Finding{Kind: k, Index: 7, RecordID: "r-1", Detail: "exact detail"})
			key := consoleKeys + auditKindKey(k)
			switch {
			case f.Meaning == "" || f.Meaning == key:
				t.Errorf("%s: finding %q has no meaning (catalog key %s)", tag, k, key)
			case tag != ui.Source && f.Meaning == english.Get(auditKindKey(k)):
				t.Errorf("%s: finding %q is explained in English", tag, k)
			}
			if f.Kind != string(k) || f.Index != "7" || f.Record != "r-1" || f.Detail != "exact detail" {
				t.Errorf("%s: finding %q shown as %+v", tag, k, f)
			}
		}
	}
}
