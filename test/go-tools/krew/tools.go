//go:build tools

// Package tools pins krew (the kubectl plugin manager) so `go build sigs.k8s.io/krew/cmd/krew` builds the pinned
// release: the install test runs `krew install --manifest --archive` with it.
package tools

import _ "sigs.k8s.io/krew/cmd/krew"
