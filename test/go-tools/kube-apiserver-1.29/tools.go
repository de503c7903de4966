//go:build tools

// Package tools pins kube-apiserver v1.29 (ValidatingAdmissionPolicy in beta, admissionregistration.k8s.io/v1beta1)
// so `go build k8s.io/kubernetes/cmd/kube-apiserver` builds the pinned release for the v1beta1 export test.
package tools

import _ "k8s.io/kubernetes/cmd/kube-apiserver"
