package eula

import (
	"fmt"
	"slices"
)

// Product is one product the EULA has specific terms for, as an installer
// names it.
type Product struct {
	// Key is what installers send, such as "xprotect-corporate" or
	// "husky-m20".
	Key string
	// Name is the English product name as the EULA writes it.
	Name string
	// GroupID is the id of the product group section, such as
	// "groups/xprotect-vms"; empty for a product outside any group.
	GroupID string
	// SectionID is the id of the section with the product's specific terms,
	// such as "products/husky-m-series"; several products (the Husky models
	// of a series) share a section.
	SectionID string
}

// Product group section ids of the EULA.
const (
	GroupXProtectVMS        = "groups/xprotect-vms"
	GroupXProtectClients    = "groups/xprotect-clients"
	GroupXProtectExtensions = "groups/xprotect-extensions"
	GroupHusky              = "groups/husky"
	GroupMIPSDKTools        = "groups/mip-sdk-tools"
)

// catalog lists the products of EULA 20250212 in the order of the EULA. It
// is data; a product added by a later version is a line here.
var catalog = []Product{
	{"xprotect-corporate", "Milestone XProtect® Corporate", GroupXProtectVMS, "products/xprotect-corporate"},
	{"xprotect-expert", "Milestone XProtect® Expert", GroupXProtectVMS, "products/xprotect-expert"},
	{"xprotect-professional-plus", "Milestone XProtect® Professional+", GroupXProtectVMS, "products/xprotect-professional-plus"},
	{"xprotect-express-plus", "Milestone XProtect® Express+", GroupXProtectVMS, "products/xprotect-express-plus"},
	{"xprotect-essential-plus", "Milestone XProtect® Essential+", GroupXProtectVMS, "products/xprotect-essential-plus"},
	{"xprotect-smart-client", "Milestone XProtect® Smart Client", GroupXProtectClients, "products/xprotect-smart-client"},
	{"xprotect-web-client", "Milestone XProtect® Web Client", GroupXProtectClients, "products/xprotect-web-client"},
	{"xprotect-mobile", "Milestone XProtect® Mobile", GroupXProtectClients, "products/xprotect-mobile"},
	{"xprotect-mobile-server", "Milestone XProtect® Mobile Server", GroupXProtectClients, "products/xprotect-mobile-server"},
	{"xprotect-access", "Milestone XProtect® Access", GroupXProtectExtensions, "products/xprotect-access"},
	{"xprotect-lpr", "Milestone XProtect® LPR", GroupXProtectExtensions, "products/xprotect-lpr"},
	{"xprotect-management-server-failover", "Milestone XProtect® Management Server Failover", GroupXProtectExtensions, "products/xprotect-management-server-failover"},
	{"xprotect-hospital-assist", "Milestone XProtect® Hospital Assist", GroupXProtectExtensions, "products/xprotect-hospital-assist"},
	{"xprotect-incident-manager", "Milestone XProtect® Incident Manager", GroupXProtectExtensions, "products/xprotect-incident-manager"},
	{"xprotect-transact", "Milestone XProtect® Transact", GroupXProtectExtensions, "products/xprotect-transact"},
	{"xprotect-smart-wall", "Milestone XProtect® Smart Wall", GroupXProtectExtensions, "products/xprotect-smart-wall"},
	{"xprotect-360-split-view", "Milestone XProtect® 360º Split View Plug-in", GroupXProtectExtensions, "products/xprotect-360-split-view"},
	{"xprotect-input-unit-plug-ins", "Milestone XProtect® Input Unit Plug-ins", GroupXProtectExtensions, "products/xprotect-input-unit-plug-ins"},
	{"xprotect-device-pack", "Milestone XProtect® Device Pack", GroupXProtectExtensions, "products/xprotect-device-pack"},
	{"open-network-bridge", "Milestone Open Network Bridge", GroupXProtectExtensions, "products/open-network-bridge"},
	{"xprotect-download-manager", "Milestone XProtect® Download Manager", GroupXProtectExtensions, "products/xprotect-download-manager"},
	{"update-manager", "XProtect Update Manager", GroupXProtectExtensions, "products/xprotect-update-manager"},
	{"husky-ivo", "Milestone Husky IVO™ series Video Surveillance Appliances", GroupHusky, "products/husky-ivo-series"},
	{"husky-ivo-150d", "Milestone Husky 150D", GroupHusky, "products/husky-ivo-series"},
	{"husky-ivo-350t", "Milestone Husky 350T", GroupHusky, "products/husky-ivo-series"},
	{"husky-ivo-350r", "Milestone Husky 350R", GroupHusky, "products/husky-ivo-series"},
	{"husky-ivo-700r", "Milestone Husky 700R", GroupHusky, "products/husky-ivo-series"},
	{"husky-ivo-1000r", "Milestone Husky 1000R", GroupHusky, "products/husky-ivo-series"},
	{"husky-ivo-1800r", "Milestone Husky 1800R", GroupHusky, "products/husky-ivo-series"},
	{"husky-x", "Milestone Husky™ X-series NVRs", GroupHusky, "products/husky-x-series"},
	{"husky-x2", "Milestone Husky™ X2", GroupHusky, "products/husky-x-series"},
	{"husky-x8", "Milestone Husky™ X8", GroupHusky, "products/husky-x-series"},
	{"husky-m", "Milestone Husky™ M-series NVRs", GroupHusky, "products/husky-m-series"},
	{"husky-m20", "Milestone Husky™ M20", GroupHusky, "products/husky-m-series"},
	{"husky-m30", "Milestone Husky™ M30", GroupHusky, "products/husky-m-series"},
	{"husky-m50", "Milestone Husky™ M50", GroupHusky, "products/husky-m-series"},
	{"stablefps", "Milestone StableFPS", GroupMIPSDKTools, "products/stablefps"},
	{"sdk-tools", "Milestone SDK Tools", GroupMIPSDKTools, "products/sdk-tools"},
	{"customer-dashboard", "Milestone Customer Dashboard", "", "products/customer-dashboard"},
}

// Products returns the product catalog in the order of the EULA. The slice is
// a copy.
func Products() []Product {
	return slices.Clone(catalog)
}

// ProductByKey returns the product an installer names by key. The error
// wraps ErrNotFound.
func ProductByKey(key string) (Product, error) {
	for _, p := range catalog {
		if p.Key == key {
			return p, nil
		}
	}
	return Product{}, fmt.Errorf("product %q: %w", key, ErrNotFound)
}

// ProductSections returns the ids of the sections that apply to a product
// beyond the preamble and the general clauses: its group (if any) and its
// own section.
func (p Product) ProductSections() []string {
	if p.GroupID == "" {
		return []string{p.SectionID}
	}
	return []string{p.GroupID, p.SectionID}
}
