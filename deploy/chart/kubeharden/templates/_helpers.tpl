{{- define "kubeharden.labels" -}}
app.kubernetes.io/name: kubeharden
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- /* The report APIs `reports` writes, as a JSON list of role suffixes; anything else fails the install. */}}
{{- define "kubeharden.reportApis" -}}
{{- $apis := dict "policyreport" (list "policyreports") "openreports" (list "openreports") "both" (list "policyreports" "openreports") "none" (list) -}}
{{- if not (hasKey $apis .Values.reports) }}{{ fail (printf "reports must be policyreport, openreports, both or none, not %v" .Values.reports) }}{{ end -}}
{{- get $apis .Values.reports | toJson -}}
{{- end }}
