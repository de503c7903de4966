//go:build tools

// Package tools pins the Helm v3 CLI module so `go build helm.sh/helm/v3/cmd/helm` builds the pinned release.
package tools

import _ "helm.sh/helm/v3/cmd/helm"
