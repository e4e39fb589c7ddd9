package eula

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
)

// MaxSearchPage bounds the records of one page of a console search.
const MaxSearchPage = 200

// MaxSearchCount bounds the counting of a console search's results: past
// it, the search says that more than MaxSearchCount records match, so
// that a search matching much of a large log answers as fast as any.
const MaxSearchCount = 10000

// Query is a console search: the fields of a Filter plus the installation,
// the dealer's reference code and the organisation. Zero fields match
// everything. Offset and Limit select a page of the results in time order
// (log order among records of the same time; appends make the two nearly
// the same, and time order lets an index serve a time range with any other
// field);
// a zero Limit means every result (exports).
type Query struct {
	Filter
	// MachineID matches the installation id.
	MachineID string
	// Reference matches a dealer's reference code, as the dealer wrote it;
	// the Registrar turns it into the commitments records may hold of it
	// (ReferenceCommitments), which the store matches.
	Reference string
	// ReferenceCommitments match a record holding any of them; the
	// Registrar sets them from Reference.
	ReferenceCommitments []string
	// Organization matches the organisation of the actor or of the party
	// bound, exactly.
	Organization string
	// Offset skips that many results; Limit bounds them (0: all).
	Offset, Limit int
	// CountUpTo, if positive, lets Count stop past it: Count then returns
	// CountUpTo + 1 for any larger number of results.
	CountUpTo int64
}

// Validate checks the bounds of q. Errors wrap ErrInvalid.
func (q Query) Validate() error {
	if q.Offset < 0 || q.Limit < 0 || q.Limit > MaxSearchPage || q.CountUpTo < 0 {
		return fmt.Errorf("page offset %d, limit %d: want offset >= 0 and 0 <= limit <= %d: %w", q.Offset, q.Limit, MaxSearchPage, ErrInvalid)
	}
	if len(q.MachineID) > MaxMachineIDLen {
		return fmt.Errorf("installation id: longer than %d bytes: %w", MaxMachineIDLen, ErrInvalid)
	}
	if len(q.ReferenceCommitments) > maxReferenceCommitments {
		return fmt.Errorf("reference: more than %d commitments: %w", maxReferenceCommitments, ErrInvalid)
	}
	return nil
}

// maxReferenceCommitments bounds Query.ReferenceCommitments.
const maxReferenceCommitments = 4

// Tally counts the decisions of one value of a dimension (a version, a
// product, a language, a role or a channel).
type Tally struct {
	Key      string `json:"key"`
	Accepted int64  `json:"accepted"`
	Declined int64  `json:"declined"`
}

// LatestCount counts the installations (installation and product) whose
// latest EULA decision is of this product, version and decision.
type LatestCount struct {
	Product  string
	Version  string
	Decision Decision
	N        int64
}

// Counts is what a ConsoleStore tallies for the overview.
type Counts struct {
	// ByVersion, ByProduct, ByLanguage, ByRole and ByChannel count every
	// record by that field, sorted by key.
	ByVersion, ByProduct, ByLanguage, ByRole, ByChannel []Tally
	// ByDay counts every record by the day (UTC, "2006-01-02") of its
	// time.
	ByDay []Tally
	// Latest counts the installations by their latest EULA decision.
	Latest []LatestCount
	// Installations counts every installation (installation id and
	// product) with any record.
	Installations int64
}

// ConsoleStore is what the console needs of a Store beyond eula.Store:
// searches and counts in the database. Both stores of this module
// implement it.
type ConsoleStore interface {
	// Search calls fn for each record matching q in time order (log order
	// among equal times), with its
	// personal data unless erased, from q.Offset on and at most q.Limit of
	// them (all if 0). Errors: ErrInvalid (q out of bounds).
	Search(ctx context.Context, q Query, fn func(Record) error) error
	// Count returns the number of records matching q, whatever its page,
	// or q.CountUpTo + 1 if q.CountUpTo is positive and more match.
	Count(ctx context.Context, q Query) (int64, error)
	// Counts tallies every record for the overview.
	Counts(ctx context.Context) (Counts, error)
}

// SearchResult is one page of a console search.
type SearchResult struct {
	// Records are the page's records, in time order, with personal data
	// unless erased.
	Records []Record `json:"records"`
	// Total is the number of records matching, on every page, or
	// MaxSearchCount if More.
	Total int64 `json:"total"`
	// More says that more than Total records match: the count stopped
	// at MaxSearchCount.
	More bool `json:"more,omitempty"`
}

// Overview is the console's overview of the records.
type Overview struct {
	// ByVersion, ByProduct, ByLanguage, ByRole and ByChannel count the
	// acceptances and refusals by that field.
	ByVersion, ByProduct, ByLanguage, ByRole, ByChannel []Tally
	// ByDay counts the acceptances and refusals by day (UTC,
	// "2006-01-02"), in order.
	ByDay []Tally
	// States counts the installations (installation and product) by their
	// status under the gate's rule; StateNone counts those with records
	// but no EULA decision.
	States map[State]int64
	// Delegated and Direct count the acceptances derived from an
	// administrator's and those made directly.
	Delegated, Direct int64
}

// consoleStore returns the store's console queries. Errors: ErrInvalid if
// the store has none.
func (g *Registrar) consoleStore() (ConsoleStore, error) {
	cs, ok := g.store.(ConsoleStore)
	if !ok {
		return nil, fmt.Errorf("the store %T has no console queries: %w", g.store, ErrInvalid)
	}
	return cs, nil
}

// Search returns one page of the records matching q and their number, up
// to MaxSearchCount (SearchResult.More says there are more). The caller
// has checked the administrator's credential. A zero q.Limit means
// MaxSearchPage here. Errors: ErrInvalid.
func (g *Registrar) Search(ctx context.Context, q Query) (SearchResult, error) {
	if q.Limit == 0 {
		q.Limit = MaxSearchPage
	}
	if err := q.Validate(); err != nil {
		return SearchResult{}, err
	}
	cs, err := g.consoleStore()
	if err != nil {
		return SearchResult{}, err
	}
	q = g.canonical(q)
	q.CountUpTo = MaxSearchCount
	n, err := cs.Count(ctx, q)
	if err != nil {
		return SearchResult{}, fmt.Errorf("search: %w", err)
	}
	res := SearchResult{Records: []Record{}, Total: min(n, MaxSearchCount), More: n > MaxSearchCount}
	err = cs.Search(ctx, q, func(r Record) error {
		res.Records = append(res.Records, r)
		return nil
	})
	if err != nil {
		return SearchResult{}, fmt.Errorf("search: %w", err)
	}
	return res, nil
}

// canonical replaces the reference code by what records may hold of it:
// the keyed commitment, or the unkeyed one of older records.
func (g *Registrar) canonical(q Query) Query {
	if q.Reference != "" {
		q.ReferenceCommitments = g.referenceCommitments(strings.TrimSpace(q.Reference))
		q.Reference = ""
	}
	return q
}

// ExportSearch writes every record matching q (whatever its page) to w as
// JSON Lines (FormatJSONL or "") or CSV (FormatCSV), streamed, in time order.
// The caller has checked the administrator's credential. Errors: ErrInvalid.
func (g *Registrar) ExportSearch(ctx context.Context, q Query, format string, w io.Writer) error {
	q.Offset, q.Limit = 0, 0
	if err := q.Validate(); err != nil {
		return err
	}
	cs, err := g.consoleStore()
	if err != nil {
		return err
	}
	q = g.canonical(q)
	each := func(fn func(Record) error) error { return cs.Search(ctx, q, fn) }
	switch format {
	case "", FormatJSONL:
		return exportJSONL(each, w)
	case FormatCSV:
		return exportCSV(each, w)
	}
	return fmt.Errorf("format must be %s or %s: %w", FormatJSONL, FormatCSV, ErrInvalid)
}

// Overview counts the records for the console: decisions by version,
// product, language, role and channel, installations by status under the
// gate's rule (the library's current EULA version and its re-acceptance
// rule), and delegated against direct acceptances.
func (g *Registrar) Overview(ctx context.Context) (Overview, error) {
	cs, err := g.consoleStore()
	if err != nil {
		return Overview{}, err
	}
	c, err := cs.Counts(ctx)
	if err != nil {
		return Overview{}, fmt.Errorf("overview: %w", err)
	}
	return OverviewOf(c, g.lib.Latest(DocEULA), g.lib.StillValid(DocEULA)), nil
}

// OverviewOf turns a store's counts into the overview under the gate's
// rule: current is the EULA version in force and still its re-acceptance
// rule (nil: SameVersion). OverviewOf is pure.
func OverviewOf(c Counts, current string, still StillValid) Overview {
	if still == nil {
		still = SameVersion
	}
	o := Overview{
		ByVersion: c.ByVersion, ByProduct: c.ByProduct, ByLanguage: c.ByLanguage,
		ByRole: c.ByRole, ByChannel: c.ByChannel, ByDay: c.ByDay,
		States: map[State]int64{StateAccepted: 0, StateDeclined: 0, StateReacceptanceDue: 0, StateNone: 0},
	}
	var decided int64
	for _, l := range c.Latest {
		decided += l.N
		switch {
		case l.Decision == Declined:
			o.States[StateDeclined] += l.N
		case still(l.Version, current):
			o.States[StateAccepted] += l.N
		default:
			o.States[StateReacceptanceDue] += l.N
		}
	}
	if none := c.Installations - decided; none > 0 {
		o.States[StateNone] = none
	}
	for _, t := range c.ByRole {
		if Role(t.Key) == RoleDelegated {
			o.Delegated += t.Accepted
		} else {
			o.Direct += t.Accepted
		}
	}
	for _, ts := range [][]Tally{o.ByVersion, o.ByProduct, o.ByLanguage, o.ByRole, o.ByChannel, o.ByDay} {
		sort.Slice(ts, func(i, j int) bool { return ts[i].Key < ts[j].Key })
	}
	return o
}

// Installation is everything the console shows of one installation for one
// product: every decision in log order, its status under the rule, and
// each record's receipt checked.
type Installation struct {
	MachineID string
	Product   string
	Status    Status
	// Records are every record of the installation for the product, in
	// log order, with personal data unless erased.
	Records []Record
	// Chains are the delegation chains of the delegated records, by id.
	Chains map[string]*ChainReport
	// Verified is the tree size of the checkpoint each record's receipt
	// verified against, by id; Failed the reason a receipt failed.
	Verified map[string]int64
	Failed   map[string]string
}

// Installation returns an installation's page for a product, each receipt
// checked with VerifyReceipt against verifierKey. Errors: ErrInvalid,
// ErrNotFound (no record).
func (g *Registrar) Installation(ctx context.Context, machineID, product, verifierKey string) (Installation, error) {
	if machineID == "" || product == "" {
		return Installation{}, fmt.Errorf("give installation and product: %w", ErrInvalid)
	}
	q := Query{MachineID: machineID, Filter: Filter{Product: product}}
	if err := q.Validate(); err != nil {
		return Installation{}, err
	}
	cs, err := g.consoleStore()
	if err != nil {
		return Installation{}, err
	}
	in := Installation{MachineID: machineID, Product: product, Records: []Record{},
		Chains: map[string]*ChainReport{}, Verified: map[string]int64{}, Failed: map[string]string{}}
	if err := cs.Search(ctx, q, func(r Record) error { in.Records = append(in.Records, r); return nil }); err != nil {
		return Installation{}, fmt.Errorf("installation %s: %w", clip(machineID), err)
	}
	if len(in.Records) == 0 {
		return Installation{}, fmt.Errorf("installation %s for %s: no record: %w", clip(machineID), clip(product), ErrNotFound)
	}
	sort.Slice(in.Records, func(i, j int) bool { return in.Records[i].Index < in.Records[j].Index })
	in.Status = StatusOf(in.Records, g.lib.Latest(DocEULA), g.lib.StillValid(DocEULA))
	for _, r := range in.Records {
		rc, err := g.store.Receipt(ctx, r.ID)
		if err == nil {
			err = VerifyReceipt(rc, verifierKey)
		}
		if err != nil {
			in.Failed[r.ID] = err.Error()
		} else {
			in.Verified[r.ID] = rc.TreeSize
		}
		if len(r.DerivedFrom) > 0 {
			if ch, err := g.Chain(ctx, r.ID); err == nil {
				in.Chains[r.ID] = &ch
			}
		}
	}
	return in, nil
}

// SubjectCount returns how many records hold personal data about the
// person with this e-mail address, for the confirmation of an erasure.
func (g *Registrar) SubjectCount(ctx context.Context, email string) (int, error) {
	recs, err := g.store.Subject(ctx, email)
	if err != nil {
		return 0, fmt.Errorf("subject: %w", err)
	}
	return len(recs), nil
}
