{{- define "kubeharden.labels" -}}
app.kubernetes.io/name: kubeharden
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
