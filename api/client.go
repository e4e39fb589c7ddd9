package api

import (
	"context"
	"encoding/json"
	"fmt"
)

// Doer sends one HTTP request to the server and returns the answer's status
// and body. Path is an API path with its query string (such as
// PathStatus+"?installer=..."), relative to the server's base URL, which
// the Doer knows. Header holds the request's headers by canonical name. An
// error means that no answer came (a status other than 2xx is no error
// here).
//
// Package api/apihttp implements Doer over net/http; the viewer in the
// browser implements it over fetch (package app/client), so that the wasm
// does not link net/http.
type Doer interface {
	Do(ctx context.Context, method, path string, header map[string]string, body []byte) (status int, respBody []byte, err error)
}

// DoerFunc adapts a function to Doer.
type DoerFunc func(ctx context.Context, method, path string, header map[string]string, body []byte) (int, []byte, error)

// Do implements Doer.
func (f DoerFunc) Do(ctx context.Context, method, path string, header map[string]string, body []byte) (int, []byte, error) {
	return f(ctx, method, path, header, body)
}

// Headers the API reads.
const (
	// HeaderIdempotencyKey makes a retried request record once: a retry
	// with the same key and body gets the first answer (200, replayed).
	HeaderIdempotencyKey = "Idempotency-Key"
	// HeaderCSRFToken carries a browser page's CSRF token (View.CSRF).
	HeaderCSRFToken = "X-CSRF-Token"
	// HeaderAuthorization carries the administrator token as "Bearer
	// <token>".
	HeaderAuthorization = "Authorization"
)

// Client calls the API through a Doer: one method per endpoint, typed
// requests and answers. Answers that are not a success are returned as
// *Error; success answers that do not decode wrap ErrUnexpectedAnswer;
// other errors are the Doer's (no answer). A Client is safe for concurrent
// use.
type Client struct {
	doer  Doer
	token string
}

// ClientOption configures a Client.
type ClientOption func(*Client)

// WithAdminToken makes the Client send the administrator token with every
// request (HeaderAuthorization); the administrator endpoints need it.
func WithAdminToken(token string) ClientOption {
	return func(c *Client) { c.token = token }
}

// NewClient returns a Client that sends its requests through d.
func NewClient(d Doer, opts ...ClientOption) *Client {
	c := &Client{doer: d}
	for _, o := range opts {
		o(c)
	}
	return c
}

// CallOption sets a header of one request.
type CallOption func(header map[string]string)

// WithIdempotencyKey sends key as HeaderIdempotencyKey (nothing if empty).
func WithIdempotencyKey(key string) CallOption {
	return func(h map[string]string) { set(h, HeaderIdempotencyKey, key) }
}

// WithCSRFToken sends a browser page's token as HeaderCSRFToken (nothing
// if empty).
func WithCSRFToken(token string) CallOption {
	return func(h map[string]string) { set(h, HeaderCSRFToken, token) }
}

func set(h map[string]string, name, value string) {
	if value != "" {
		h[name] = value
	}
}

// Health calls GET PathHealth.
func (c *Client) Health(ctx context.Context) (Health, error) {
	var out Health
	return out, c.call(ctx, "GET", PathHealth, nil, &out)
}

// OpenAPI returns the OpenAPI document of the API (GET PathOpenAPI).
func (c *Client) OpenAPI(ctx context.Context) (json.RawMessage, error) {
	var out json.RawMessage
	return out, c.call(ctx, "GET", PathOpenAPI, nil, &out)
}

// View returns the View for r (GET PathView).
func (c *Client) View(ctx context.Context, r ViewRequest) (View, error) {
	var out View
	return out, c.call(ctx, "GET", WithQuery(PathView, r.Values()), nil, &out)
}

// Decide records a decision (POST PathDecisions). Browser pages send
// WithCSRFToken; WithIdempotencyKey makes a retry safe.
func (c *Client) Decide(ctx context.Context, r DecisionRequest, opts ...CallOption) (DecisionResponse, error) {
	var out DecisionResponse
	return out, c.call(ctx, "POST", PathDecisions, r, &out, opts...)
}

// Receipt returns the receipt of record id, without personal data (GET
// PathReceipt), for eula.DecodeReceipt.
func (c *Client) Receipt(ctx context.Context, id string) (json.RawMessage, error) {
	var out json.RawMessage
	return out, c.call(ctx, "GET", ReceiptPath(id), nil, &out)
}

// Chain returns the receipts of record id and of the records it derives
// from (GET PathChain).
func (c *Client) Chain(ctx context.Context, id string) (ChainResponse, error) {
	var out ChainResponse
	return out, c.call(ctx, "GET", ChainPath(id), nil, &out)
}

// Status returns whether an installation has accepted the version in force
// (GET PathStatus).
func (c *Client) Status(ctx context.Context, q StatusQuery) (Status, error) {
	var out Status
	return out, c.call(ctx, "GET", WithQuery(PathStatus, q.Values()), nil, &out)
}

// Attest returns the signed status statement of an installation for a
// product, bound to q.Nonce (GET PathAttestation).
func (c *Client) Attest(ctx context.Context, q AttestationQuery) (Attestation, error) {
	var out Attestation
	return out, c.call(ctx, "GET", WithQuery(PathAttestation, q.Values()), nil, &out)
}

// Records returns the export of the records, as JSON Lines or CSV (GET
// PathRecords, administrator).
func (c *Client) Records(ctx context.Context, q RecordsQuery) ([]byte, error) {
	return c.raw(ctx, "GET", WithQuery(PathRecords, q.Values()), "*/*")
}

// Subject returns everything held about one person (GET PathSubjects,
// administrator).
func (c *Client) Subject(ctx context.Context, q SubjectQuery) (SubjectExport, error) {
	var out SubjectExport
	return out, c.call(ctx, "GET", WithQuery(PathSubjects, q.Values()), nil, &out)
}

// Erase erases a person's data for good (POST PathErase, administrator).
func (c *Client) Erase(ctx context.Context, r EraseRequest) (EraseResponse, error) {
	var out EraseResponse
	return out, c.call(ctx, "POST", PathErase, r, &out)
}

// AdminAccept records the system administrator's acceptance of the Update
// Manager terms for computers (POST PathAdminAcceptances, administrator).
func (c *Client) AdminAccept(ctx context.Context, r AdminAcceptanceRequest, opts ...CallOption) (AdminAcceptanceResponse, error) {
	var out AdminAcceptanceResponse
	return out, c.call(ctx, "POST", PathAdminAcceptances, r, &out, opts...)
}

// Delegate records delegated acceptances for an unattended update (POST
// PathDelegations, administrator).
func (c *Client) Delegate(ctx context.Context, r DelegationRequest) (DelegationResponse, error) {
	var out DelegationResponse
	return out, c.call(ctx, "POST", PathDelegations, r, &out)
}

// DealerAccept records a dealer's acceptance on a customer's behalf (POST
// PathDealerAcceptances).
func (c *Client) DealerAccept(ctx context.Context, r DealerAcceptanceRequest, opts ...CallOption) (DealerResponse, error) {
	var out DealerResponse
	return out, c.call(ctx, "POST", PathDealerAcceptances, r, &out, opts...)
}

// Reference returns who accepted for whom, when, under a dealer's
// reference code (GET PathReference).
func (c *Client) Reference(ctx context.Context, code string) (Attribution, error) {
	var out Attribution
	return out, c.call(ctx, "GET", ReferencePath(code), nil, &out)
}

// Confirm records the end user's confirmation of the dealer's acceptance
// with reference code (POST PathConfirmations).
func (c *Client) Confirm(ctx context.Context, code string, r ConfirmationRequest, opts ...CallOption) (DealerResponse, error) {
	var out DealerResponse
	return out, c.call(ctx, "POST", ConfirmationsPath(code), r, &out, opts...)
}

// AffiliateAccept records an affiliate's acceptance under its licensee
// (POST PathAffiliateAcceptances).
func (c *Client) AffiliateAccept(ctx context.Context, r AffiliateAcceptanceRequest, opts ...CallOption) (DecisionResponse, error) {
	var out DecisionResponse
	return out, c.call(ctx, "POST", PathAffiliateAcceptances, r, &out, opts...)
}

// AffiliateStatus returns whether an affiliate has accepted the version in
// force (GET PathAffiliateStatus).
func (c *Client) AffiliateStatus(ctx context.Context, q AffiliateStatusQuery) (AffiliateStatus, error) {
	var out AffiliateStatus
	return out, c.call(ctx, "GET", WithQuery(PathAffiliateStatus, q.Values()), nil, &out)
}

// call sends in (if not nil) as JSON and decodes a success answer into out.
func (c *Client) call(ctx context.Context, method, path string, in, out any, opts ...CallOption) error {
	h := c.header("application/json", opts)
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
		h["Content-Type"] = "application/json"
	}
	data, err := c.do(ctx, method, path, h, body)
	if err != nil {
		return err
	}
	if err := unmarshal(data, out); err != nil {
		return fmt.Errorf("%s %s: %w: %v", method, path, ErrUnexpectedAnswer, err)
	}
	return nil
}

// raw sends a request without a body and returns a success answer's body.
func (c *Client) raw(ctx context.Context, method, path, accept string, opts ...CallOption) ([]byte, error) {
	return c.do(ctx, method, path, c.header(accept, opts), nil)
}

// header returns the headers of a request: Accept, the administrator token
// and those of opts.
func (c *Client) header(accept string, opts []CallOption) map[string]string {
	h := map[string]string{"Accept": accept}
	if c.token != "" {
		h[HeaderAuthorization] = "Bearer " + c.token
	}
	for _, o := range opts {
		o(h)
	}
	return h
}

// do sends a request and returns the body of a success answer; any other
// answer is an *Error.
func (c *Client) do(ctx context.Context, method, path string, h map[string]string, body []byte) ([]byte, error) {
	status, data, err := c.doer.Do(ctx, method, path, h, body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	if status/100 != 2 {
		return nil, newError(method, path, status, data)
	}
	return data, nil
}

// unmarshal decodes one JSON value into v (json.Unmarshal refuses anything
// after it).
func unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
