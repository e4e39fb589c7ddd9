package api_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/api/apihttp"
)

// A native program (here against a stand-in server) asks whether an
// installation has accepted the EULA in force, and branches on the error
// code when the server refuses.
func ExampleClient() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("product") != "husky-m20" {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"error":{"code":"invalid","message":"unknown product"}}`)
			return
		}
		io.WriteString(w, `{"state":"accepted","current_version":"20250212","version":"20250212","record_id":"0190","index":3}`)
	}))
	defer srv.Close()

	base, err := apihttp.ParseBase(srv.URL)
	if err != nil {
		panic(err)
	}
	c := api.NewClient(apihttp.New(base))
	ctx := context.Background()

	st, err := c.Status(ctx, api.StatusQuery{Installer: "box-1", Product: "husky-m20"})
	if err != nil {
		panic(err)
	}
	fmt.Println(st.State, st.Version, st.RecordID)

	_, err = c.Status(ctx, api.StatusQuery{Installer: "box-1", Product: "husky-x9"})
	if e, ok := api.AsError(err); ok && e.Code == api.CodeInvalid {
		fmt.Println(e.Status, e.Message)
	}
	// Output:
	// accepted 20250212 0190
	// 400 unknown product
}
