//go:build tools

// Package tools pins krew's own manifest validator (the check krew-index runs on every plugin manifest), so
// `go build sigs.k8s.io/krew/cmd/validate-krew-manifest` builds the pinned release.
package tools

import _ "sigs.k8s.io/krew/cmd/validate-krew-manifest"
