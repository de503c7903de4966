//go:build tools

// Package tools pins the CNCF distribution registry so `go build github.com/distribution/distribution/v3/cmd/registry`
// builds the pinned release: the real OCI registry the image-reading tests push to and scan from.
package tools

import _ "github.com/distribution/distribution/v3/cmd/registry"
