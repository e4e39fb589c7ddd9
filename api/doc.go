// Package api is eulagate's HTTP contract: the one place where the API's
// paths, its request and answer bodies, its error body and codes are
// written, and the one typed Go client that every caller uses.
//
// # The contract
//
//   - Paths: Prefix and the Path constants (PathDecisions, PathStatus, ...),
//     with functions that fill in a pattern's segment (ReceiptPath,
//     ChainPath, ReferencePath, ConfirmationsPath). Endpoints lists every
//     operation with its method and the types of its query, body and
//     answer. The viewer's page paths that more than one program links to
//     (PathViewer, PathDecide, PathDealerConfirm) are here too.
//   - Types: one struct per request and answer (DecisionRequest,
//     DecisionResponse, Status, DelegationRequest, ...), and the View the
//     viewer shows (package app aliases it). The JSON field names are the
//     wire format. Receipts travel as json.RawMessage: package eula owns
//     their format and verifies them.
//   - Errors: every error answer has the body ErrorBody, {"error": {"code",
//     "message"}}, with a Code constant; the Client returns such answers as
//     *Error, with the HTTP status, for errors.As, AsError, ErrorCode and
//     HTTPStatus.
//
// The server (package web) registers its routes with these paths and
// answers with these shapes; its tests check that its answers decode into
// these types without loss and that the OpenAPI document (web/openapi.json)
// describes exactly these paths and fields. A test here fails if any other
// package writes an API path as a literal.
//
// # The client
//
// Client has one method per endpoint. It sends its requests through a Doer,
// which carries one request to the server and brings back the status and
// body, so that the transport is the caller's:
//
//   - native programs (eulagate gate, delegate, admin-accept, tests) use
//     package api/apihttp, over net/http;
//   - the viewer in the browser (package app/client) uses the browser's
//     fetch, so that the wasm links neither net/http nor this package's
//     transport.
//
// # Constraints
//
// The package uses the standard library only, imports neither net/http nor
// package eula, and is compiled into the wasm viewer: whatever is added
// here must be worth its bytes there (wasm/deps_test.go).
package api
