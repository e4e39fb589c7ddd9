package api

import (
	"net/url"
	"strings"
)

// Prefix is the path prefix of version 1 of the HTTP API: the one place in
// the module where it is written.
const Prefix = "/api/v1"

// Paths of the HTTP API. Paths with a {name} segment are patterns, in the
// syntax of net/http.ServeMux and of OpenAPI alike; the functions below
// them fill one in.
const (
	// PathHealth answers GET with Health: the liveness probe.
	PathHealth = "/healthz"
	// PathOpenAPI answers GET with the OpenAPI document of the API.
	PathOpenAPI = Prefix + "/openapi.json"
	// PathView answers GET (ViewRequest) with the View.
	PathView = Prefix + "/view"
	// PathDecisions records a decision: POST DecisionRequest, answered
	// with DecisionResponse.
	PathDecisions = Prefix + "/decisions"
	// PathReceipt answers GET with the receipt of a record (ReceiptPath).
	PathReceipt = Prefix + "/records/{id}/receipt"
	// PathChain answers GET with the ChainResponse of a record
	// (ChainPath).
	PathChain = Prefix + "/records/{id}/chain"
	// PathStatus answers GET (StatusQuery) with Status.
	PathStatus = Prefix + "/status"
	// PathAttestation answers GET (AttestationQuery) with Attestation:
	// what a gate trusts, since only the log's key can sign it.
	PathAttestation = Prefix + "/status/attestation"
	// PathLogCheckpoint answers GET with the log's latest signed checkpoint,
	// as text/plain: a C2SP tlog-checkpoint signed note.
	PathLogCheckpoint = Prefix + "/log/checkpoint"
	// PathLogConsistency answers GET (ConsistencyQuery) with
	// ConsistencyProof: RFC 6962/9162 consistency proof hashes between two
	// tree sizes.
	PathLogConsistency = Prefix + "/log/consistency"
	// PathRecords answers GET (RecordsQuery, administrator) with the
	// records as JSON Lines or CSV.
	PathRecords = Prefix + "/records"
	// PathSubjects answers GET ?email= (administrator) with SubjectExport.
	PathSubjects = Prefix + "/subjects"
	// PathErase erases a person's data: POST EraseRequest
	// (administrator), answered with EraseResponse.
	PathErase = Prefix + "/subjects/erase"
	// PathAdminAcceptances records a system administrator's acceptance
	// for computers: POST AdminAcceptanceRequest (administrator),
	// answered with AdminAcceptanceResponse.
	PathAdminAcceptances = Prefix + "/admin/acceptances"
	// PathDelegations records delegated acceptances: POST
	// DelegationRequest (administrator), answered with
	// DelegationResponse.
	PathDelegations = Prefix + "/delegations"
	// PathDealerAcceptances records a dealer's acceptance: POST
	// DealerAcceptanceRequest, answered with DealerResponse.
	PathDealerAcceptances = Prefix + "/dealer/acceptances"
	// PathReference answers GET with the Attribution of a dealer's
	// reference code (ReferencePath).
	PathReference = Prefix + "/references/{code}"
	// PathConfirmations records an end user's confirmation of a dealer's
	// acceptance: POST ConfirmationRequest, answered with DealerResponse
	// (ConfirmationsPath).
	PathConfirmations = Prefix + "/references/{code}/confirmations"
	// PathAffiliateAcceptances records an affiliate's acceptance: POST
	// AffiliateAcceptanceRequest, answered with DecisionResponse.
	PathAffiliateAcceptances = Prefix + "/affiliates/acceptances"
	// PathAffiliateStatus answers GET (AffiliateStatusQuery) with
	// AffiliateStatus.
	PathAffiliateStatus = Prefix + "/affiliates/status"
)

// Paths of the pages (not the API) that more than one program builds
// links to: both mains, and the gate that prints the kiosk URL.
const (
	// PathViewer is the EULA viewer: read, then accept or decline
	// (parameters: Query).
	PathViewer = "/"
	// PathDecide is where the viewer's plain HTML form posts a decision
	// when the wasm is not running.
	PathDecide = "/decide"
	// PathReadToEnd is where the viewer's plain "I have read to the end"
	// form posts when the page asks for must-read and the wasm is not
	// running: the server sends the reader back to the page with "I
	// accept" enabled (View.ReadToEnd).
	PathReadToEnd = "/read"
	// PathDealerConfirm is the first-boot page where the end user confirms
	// a dealer's acceptance (parameters ref, installer, product, iv, lang).
	PathDealerConfirm = "/dealer/confirm"
	// PathDealer is the dealer's form (GET, parameters lang and product;
	// POST, the form), and PathDealerReceipt its receipt (parameters ref
	// and lang).
	PathDealer        = "/dealer"
	PathDealerReceipt = "/dealer/receipt"
)

// ReceiptPath returns the path of the receipt of record id.
func ReceiptPath(id string) string { return fill(PathReceipt, "id", id) }

// ChainPath returns the path of the chain of record id.
func ChainPath(id string) string { return fill(PathChain, "id", id) }

// ReferencePath returns the path of a dealer's reference code.
func ReferencePath(code string) string { return fill(PathReference, "code", code) }

// ConfirmationsPath returns the path where the end user confirms the
// dealer's acceptance with reference code.
func ConfirmationsPath(code string) string { return fill(PathConfirmations, "code", code) }

// fill replaces the {name} segment of pattern by value, escaped.
func fill(pattern, name, value string) string {
	return strings.Replace(pattern, "{"+name+"}", url.PathEscape(value), 1)
}

// WithQuery returns path with the query string of q, if any.
func WithQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// Endpoint is one operation of the API.
type Endpoint struct {
	// Method and Path are the operation's HTTP method and path pattern.
	Method, Path string
	// Admin is set when the operation needs the administrator token.
	Admin bool
	// Query, Request and Response are zero values of the types of the
	// query parameters, the JSON request body and the JSON answer of the
	// operation; nil when it has none (or the answer is not JSON).
	Query, Request, Response any
}

// Endpoints returns every operation of the API. The server registers each,
// the OpenAPI document describes each, and their tests check both against
// this list.
func Endpoints() []Endpoint {
	return []Endpoint{
		{Method: "GET", Path: PathHealth, Response: Health{}},
		{Method: "GET", Path: PathOpenAPI},
		{Method: "GET", Path: PathView, Query: ViewRequest{}, Response: View{}},
		{Method: "POST", Path: PathDecisions, Request: DecisionRequest{}, Response: DecisionResponse{}},
		{Method: "GET", Path: PathReceipt},
		{Method: "GET", Path: PathChain, Response: ChainResponse{}},
		{Method: "GET", Path: PathStatus, Query: StatusQuery{}, Response: Status{}},
		{Method: "GET", Path: PathAttestation, Query: AttestationQuery{}, Response: Attestation{}},
		{Method: "GET", Path: PathLogCheckpoint},
		{Method: "GET", Path: PathLogConsistency, Query: ConsistencyQuery{}, Response: ConsistencyProof{}},
		{Method: "GET", Path: PathRecords, Admin: true, Query: RecordsQuery{}},
		{Method: "GET", Path: PathSubjects, Admin: true, Query: SubjectQuery{}, Response: SubjectExport{}},
		{Method: "POST", Path: PathErase, Admin: true, Request: EraseRequest{}, Response: EraseResponse{}},
		{Method: "POST", Path: PathAdminAcceptances, Admin: true, Request: AdminAcceptanceRequest{}, Response: AdminAcceptanceResponse{}},
		{Method: "POST", Path: PathDelegations, Admin: true, Request: DelegationRequest{}, Response: DelegationResponse{}},
		{Method: "POST", Path: PathDealerAcceptances, Request: DealerAcceptanceRequest{}, Response: DealerResponse{}},
		{Method: "GET", Path: PathReference, Response: Attribution{}},
		{Method: "POST", Path: PathConfirmations, Request: ConfirmationRequest{}, Response: DealerResponse{}},
		{Method: "POST", Path: PathAffiliateAcceptances, Request: AffiliateAcceptanceRequest{}, Response: DecisionResponse{}},
		{Method: "GET", Path: PathAffiliateStatus, Query: AffiliateStatusQuery{}, Response: AffiliateStatus{}},
	}
}
