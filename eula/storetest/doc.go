// Package storetest is the conformance suite every eula.Store passes:
// appending and reading back, validation, idempotency, group commit under
// concurrency, receipts, the status query, export, subject access and
// erasure, audits, clean and after tampering with the database, and the
// console's searches and maintained counts (which a store with a method
// CountsFromRecords must equal).
//
// # Use
//
// A store's test calls Run with a function that opens a fresh, empty store
// signing with the given signer:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T, signer note.Signer) eula.Store { ... })
//	}
//
// Tamper tests run when the store has a method DB() *sql.DB; they change,
// delete and swap rows directly and expect the audit to name each.
package storetest
