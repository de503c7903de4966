//go:build tools

// Package tools pins krew's module so `go build sigs.k8s.io/krew/cmd/validate-krew-manifest` builds the pinned
// release of the validator krew-index runs on every plugin manifest.
package tools

import _ "sigs.k8s.io/krew/cmd/validate-krew-manifest"
