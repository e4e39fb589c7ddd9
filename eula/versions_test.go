package eula_test

import (
	"errors"
	"io/fs"
	"os"
	"testing"
	"testing/fstest"
	"time"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/locales"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"
)

// The versions of the test document set in testdata/versions: A has en,
// hu, ja and ru; B changes two sections materially and has no Hungarian; C
// fixes a typo in one section (editorial) and has no Hungarian either.
const (
	verA = "20250212"
	verB = "20260101"
	verC = "20260301"
)

func versionsLibrary(t testing.TB) *eula.Library {
	t.Helper()
	lib, err := eula.Load(os.DirFS("testdata/versions"))
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

func TestHistory(t *testing.T) {
	lib := versionsLibrary(t)
	en, hu, ja, ru := language.English, language.Hungarian, language.Japanese, language.Russian
	want := []eula.VersionInfo{
		{Version: verA, Change: eula.ChangeMaterial, Languages: []language.Tag{en, hu, ja, ru}},
		{Version: verB, Change: eula.ChangeMaterial, Languages: []language.Tag{en, ja, ru}, Lagging: []language.Tag{hu}},
		{Version: verC, Change: eula.ChangeEditorial, Languages: []language.Tag{en, ja, ru}, Lagging: []language.Tag{hu}},
	}
	if diff := cmp.Diff(want, lib.History(eula.DocEULA), cmp.Comparer(func(a, b language.Tag) bool { return a == b })); diff != "" {
		t.Errorf("History (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"en", "hu", "ja", "ru"}, tagStrings(lib.AllLanguages(eula.DocEULA))); diff != "" {
		t.Errorf("AllLanguages (-want +got):\n%s", diff)
	}
	if got := lib.History("nope"); got != nil {
		t.Errorf("History(nope) = %v, want nil", got)
	}
}

func tagStrings(tags []language.Tag) []string {
	out := []string{}
	for _, t := range tags {
		out = append(out, t.String())
	}
	return out
}

func TestStillValid(t *testing.T) {
	still := versionsLibrary(t).StillValid(eula.DocEULA)
	for _, test := range []struct {
		accepted, current string
		want              bool
	}{
		{verA, verA, true},
		{verB, verB, true},
		{verA, verB, false}, // B is material
		{verA, verC, false}, // B, on the way, is material
		{verB, verC, true},  // C is editorial
		{verC, verB, false}, // a newer acceptance for an older version
		{"19990101", verC, false},
		{verB, "20990101", false},
		{"19990101", "19990101", true},
	} {
		if got := still(test.accepted, test.current); got != test.want {
			t.Errorf("StillValid(%q, %q) = %v, want %v", test.accepted, test.current, got, test.want)
		}
	}
	// The rule of the committed documents: the version in force counts
	// for itself, a version the library never held does not.
	lib, err := eula.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	latest := lib.Latest(eula.DocEULA)
	if still := lib.StillValid(eula.DocEULA); !still(latest, latest) || still("19990101", latest) {
		t.Error("committed EULA: StillValid wrong")
	}
}

// TestStatusFollowsVersions applies the gate's rule with the library's
// StillValid: an acceptance of A is due again under B and C; one of B still
// counts under C.
func TestStatusFollowsVersions(t *testing.T) {
	lib := versionsLibrary(t)
	still := lib.StillValid(eula.DocEULA)
	accepted := func(version string) []eula.Record {
		return []eula.Record{{ID: "r", Index: 1, Time: time.Unix(1, 0), Decision: eula.Accepted, Document: eula.Shown{ID: eula.DocEULA, Version: version}}}
	}
	for _, test := range []struct {
		accepted, current string
		want              eula.State
	}{
		{verA, verA, eula.StateAccepted},
		{verA, verB, eula.StateReacceptanceDue},
		{verA, verC, eula.StateReacceptanceDue},
		{verB, verC, eula.StateAccepted},
		{verC, verC, eula.StateAccepted},
	} {
		if got := eula.StatusOf(accepted(test.accepted), test.current, still); got.State != test.want {
			t.Errorf("accepted %s, current %s: %s, want %s", test.accepted, test.current, got.State, test.want)
		}
	}
}

func TestResolve(t *testing.T) {
	lib := versionsLibrary(t)
	for _, test := range []struct {
		version string
		want    language.Tag
		shown   string // language shown
		lagging bool
	}{
		{verA, language.Hungarian, "hu", false},
		{verA, language.Japanese, "ja", false},
		{verB, language.Hungarian, "en", true}, // never A's Hungarian
		{verC, language.Hungarian, "en", true},
		{verC, language.Russian, "ru", false},
		{verC, language.English, "en", false},
		{verC, language.German, "en", true},
	} {
		d, lagging, err := lib.ResolveVersion(eula.DocEULA, test.version, test.want)
		if err != nil {
			t.Fatal(err)
		}
		if d.Meta.Version != test.version || d.Meta.Language.String() != test.shown || lagging != test.lagging {
			t.Errorf("ResolveVersion(%s, %s) = %s %s lagging %v, want %s %s lagging %v", test.version, test.want,
				d.Meta.Version, d.Meta.Language, lagging, test.version, test.shown, test.lagging)
		}
	}
	d, lagging, err := lib.Resolve(eula.DocEULA, language.Hungarian)
	if err != nil || d.Meta.Version != verC || d.Meta.Language != language.English || !lagging {
		t.Errorf("Resolve(hu) = %v %v %v, want C's English, lagging", d.Meta, lagging, err)
	}
	if _, _, err := lib.ResolveVersion(eula.DocEULA, "19990101", language.English); !errors.Is(err, eula.ErrNotFound) {
		t.Errorf("unknown version: err %v, want ErrNotFound", err)
	}
}

// TestLaggingTranslationOf: a translation made from an older original
// ("translation-of") is loaded but never shown for the newer version.
func TestLaggingTranslationOf(t *testing.T) {
	fsys := copyFS(t, "testdata/versions")
	src, err := os.ReadFile("testdata/versions/eula/" + verA + "/hu.md")
	if err != nil {
		t.Fatal(err)
	}
	d, err := eula.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	d.Meta.Version, d.Meta.TranslationOf = verB, verA
	fsys["eula/"+verB+"/hu.md"] = d.Markdown()
	lib, err := eula.Load(mapFS(fsys))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"en", "hu", "ja", "ru"}, tagStrings(lib.Languages(eula.DocEULA, verB))); diff != "" {
		t.Errorf("Languages (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"en", "ja", "ru"}, tagStrings(lib.CurrentLanguages(eula.DocEULA, verB))); diff != "" {
		t.Errorf("CurrentLanguages (-want +got):\n%s", diff)
	}
	if got, lagging, _ := lib.ResolveVersion(eula.DocEULA, verB, language.Hungarian); got.Meta.Language != language.English || !lagging {
		t.Errorf("ResolveVersion(B, hu) = %s lagging %v, want en lagging", got.Meta.Language, lagging)
	}
}

func TestChangeOf(t *testing.T) {
	lib := versionsLibrary(t)
	for v, want := range map[string]eula.Change{verA: eula.ChangeMaterial, verB: eula.ChangeMaterial, verC: eula.ChangeEditorial} {
		if got, err := lib.ChangeOf(eula.DocEULA, v); err != nil || got != want {
			t.Errorf("ChangeOf(%s) = %q, %v; want %q", v, got, err, want)
		}
	}
	if _, err := lib.ChangeOf("nope", verA); !errors.Is(err, eula.ErrNotFound) {
		t.Errorf("ChangeOf(nope): err %v, want ErrNotFound", err)
	}
}

// copyFS reads every file under dir into a map keyed by slash-separated
// path.
func copyFS(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := fs.WalkDir(os.DirFS(dir), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(os.DirFS(dir), name)
		out[name] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mapFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, text := range files {
		m[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return m
}

// TestDelegationFollowsVersions: under a material version, a computer whose
// user accepted an earlier version in Hungarian is due again, and XProtect
// Update Manager's administrator may accept on the user's behalf; the
// delegated record names the version and the language really in force (the
// new English, Hungarian lagging). Under the editorial version that follows,
// that acceptance still counts and nothing needs delegating. A computer
// that never decided is prompted.
func TestDelegationFollowsVersions(t *testing.T) {
	const (
		userID  = "00000000-0000-4000-8000-0000000000a1"
		adminID = "00000000-0000-4000-8000-0000000000a2"
		delegID = "00000000-0000-4000-8000-0000000000a3"
	)
	lib := versionsLibrary(t)
	still := lib.StillValid(eula.DocEULA)
	user := eula.Record{ID: userID, Index: 1, Time: time.Unix(1, 0),
		Installer: eula.Installer{Product: "xprotect-corporate", Version: "2025.1", MachineID: "srv-1"},
		Product:   "xprotect-corporate", Document: eula.Shown{ID: eula.DocEULA, Version: verA, Language: "hu"},
		Decision: eula.Accepted, Role: eula.RoleEndUser, Channel: eula.ChannelInstaller}
	admins, err := eula.AdminAcceptance(eula.Person{Name: "Ada Admin"}, eula.Shown{ID: eula.DocEULA, Version: verA, Language: "en"}, []string{"srv-1", "srv-2"})
	if err != nil {
		t.Fatal(err)
	}
	admin := admins[0]
	admin.ID, admin.Index = adminID, 2
	history := []eula.Record{user}

	if st := eula.StatusOf(history, verB, still); st.State != eula.StateReacceptanceDue {
		t.Fatalf("under B: %s, want re-acceptance due", st.State)
	}
	shown, lagging, err := lib.ResolveVersion(eula.DocEULA, verB, language.Hungarian)
	if err != nil || !lagging {
		t.Fatalf("ResolveVersion(B, hu) = %v lagging %v", err, lagging)
	}
	d, err := eula.Delegate(eula.Delegation{Computer: "srv-1", Product: "xprotect-corporate", Version: "2026.1",
		Document: eula.Shown{ID: eula.DocEULA, Version: shown.Meta.Version, Language: shown.Meta.Language.String()}},
		[]eula.Record{admin}, history)
	if err != nil {
		t.Fatalf("Delegate under B: %v", err)
	}
	if d.Role != eula.RoleDelegated || d.Document.Version != verB || d.Document.Language != "en" {
		t.Errorf("delegated record: role %s, version %s, language %s; want delegated, %s, en", d.Role, d.Document.Version, d.Document.Language, verB)
	}
	d.ID, d.Index, d.Time = delegID, 3, time.Unix(3, 0)
	history = append(history, d)
	for _, current := range []string{verB, verC} {
		if st := eula.StatusOf(history, current, still); st.State != eula.StateAccepted {
			t.Errorf("after delegation, under %s: %s, want accepted", current, st.State)
		}
	}
	if _, err := eula.Delegate(eula.Delegation{Computer: "srv-2", Product: "xprotect-corporate", Version: "2026.1",
		Document: eula.Shown{ID: eula.DocEULA, Version: verB, Language: "en"}}, []eula.Record{admins[1]}, nil); !errors.Is(err, eula.ErrFirstInstall) {
		t.Errorf("first install on srv-2: %v, want ErrFirstInstall", err)
	}
}
