{{/*
Names, labels, the environment of each role, and the checks that stop a render with a clear
message (`fail`) before anything reaches a cluster. docs/deployment.md explains each check.
*/}}

{{- define "clv.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "clv.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{/* Selector labels of one role: {root, role}. Never change them on a release: they are immutable. */}}
{{- define "clv.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .role }}
{{- end -}}

{{- define "clv.labels" -}}
{{ include "clv.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Values.image.tag | default .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{/* The chart-made Secret (secrets.values), for trying the chart without a Secret of one's own. */}}
{{- define "clv.generatedSecretName" -}}
{{- printf "%s-env" (include "clv.fullname" .) -}}
{{- end -}}

{{/*
Environment variables that come from a Secret: a dict name → {secret, key}. Each is a key of
the same name in secrets.existingSecret (the names listed in secrets.keys), or in the Secret
the chart makes from secrets.values.
*/}}
{{- define "clv.secretEnv" -}}
{{- $s := .Values.secrets -}}
{{- $out := dict -}}
{{- if $s.existingSecret -}}
{{- range $s.keys -}}
{{- $_ := set $out . (dict "secret" $s.existingSecret "key" .) -}}
{{- end -}}
{{- else -}}
{{- range $name, $_ := $s.values -}}
{{- $_ := set $out $name (dict "secret" (include "clv.generatedSecretName" $) "key" $name) -}}
{{- end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/*
Settings only the API reads (config/api-config.ts): CLV_API_* and CLV_JWT_*. They, and the
secrets among them, go to the API pods only.
*/}}
{{- define "clv.apiOnly" -}}
{{- if regexMatch "^CLV_(API|JWT)_" . }}true{{ end -}}
{{- end -}}

{{/*
The container's env list for one role: {root, role, env (the role's own map), api (bool),
extra (a list of literal entries)}. Shared `env`, then the role's, then Secrets; a name that
comes from a Secret is never also given as a plain value.
*/}}
{{- define "clv.env" -}}
{{- $root := .root -}}
{{- $secretEnv := include "clv.secretEnv" $root | fromJson -}}
{{- $plain := dict -}}
{{- range $name, $value := $root.Values.env -}}
{{- if or $.api (not (include "clv.apiOnly" $name)) -}}
{{- $_ := set $plain $name $value -}}
{{- end -}}
{{- end -}}
{{- range $name, $value := .env -}}
{{- $_ := set $plain $name $value -}}
{{- end -}}
{{- range $name, $value := $plain }}
{{- if and (not (hasKey $secretEnv $name)) (not (kindIs "invalid" $value)) }}
- name: {{ $name }}
  value: {{ include "clv.envValue" $value | quote }}
{{- end }}
{{- end }}
{{- range $name, $ref := $secretEnv }}
{{- if or $.api (not (include "clv.apiOnly" $name)) }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $ref.secret }}
      key: {{ $ref.key }}
{{- end }}
{{- end }}
{{- with .extra }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* A setting as the pods of a role see it (role env over shared env), or "" when unset. */}}
{{- define "clv.setting" -}}
{{- $v := get .root.Values.env .name -}}
{{- if hasKey (.env | default dict) .name }}{{ $v = get .env .name }}{{ end -}}
{{- if kindIs "invalid" $v }}{{ else }}{{ include "clv.envValue" $v }}{{ end -}}
{{- end -}}

{{/*
A value as the variable's text. YAML numbers reach templates as float64, which print as
8.64e+07; a whole number prints as one (86400000), as a person would write it.
*/}}
{{- define "clv.envValue" -}}
{{- if and (kindIs "float64" .) (eq . (floor .)) }}{{ int64 . }}{{ else }}{{ . | toString }}{{ end -}}
{{- end -}}

{{/*
The processors, each processorDefaults overridden by its own entry: a dict name → spec, as
JSON. Only the roles `clv run` knows that need nothing the chart does not give.
*/}}
{{- define "clv.processors" -}}
{{- $out := dict -}}
{{- range $name, $own := .Values.processors -}}
{{- if not (has $name (list "purchases" "features" "scoring" "sink")) -}}
{{- fail (printf "processors.%s: not a role this chart runs (purchases, features, scoring, sink)" $name) -}}
{{- end -}}
{{- $_ := set $out $name (mergeOverwrite (deepCopy $.Values.processorDefaults) ($own | default dict)) -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/* CLV_PARTITIONS as the code reads it (config/config.ts: default 8). */}}
{{- define "clv.partitions" -}}
{{- $p := include "clv.setting" (dict "root" . "name" "CLV_PARTITIONS") -}}
{{- if eq $p "" }}8{{ else }}{{ $p }}{{ end -}}
{{- end -}}

{{/*
Every check that can be made on the values, run once from deployments.yaml. Each message
names the value to change.
*/}}
{{- define "clv.validate" -}}
{{- $v := .Values -}}
{{- $partitions := include "clv.partitions" . -}}
{{- if not (regexMatch "^[1-9][0-9]*$" $partitions) -}}
{{- fail (printf "env.CLV_PARTITIONS=%q: expected a positive integer (partitions per topic)" $partitions) -}}
{{- end -}}
{{- $partitions = atoi $partitions -}}
{{- range $name, $p := include "clv.processors" . | fromJson -}}
{{- if hasKey ($p.env | default dict) "CLV_PARTITIONS" -}}
{{- fail (printf "processors.%s.env.CLV_PARTITIONS: partitions are one setting for every role (topics are created with it); set env.CLV_PARTITIONS" $name) -}}
{{- end -}}
{{- if and $p.enabled (gt (int $p.replicas) $partitions) -}}
{{- fail (printf "processors.%s.replicas=%d is more than env.CLV_PARTITIONS=%d: a consumer group gives each partition to one member, so the extra replicas would sit idle. Lower the replicas or raise the partitions (docs/deployment.md: scaling the processors)" $name (int $p.replicas) $partitions) -}}
{{- end -}}
{{- if lt (int $p.terminationGracePeriodSeconds) 30 -}}
{{- fail (printf "processors.%s.terminationGracePeriodSeconds=%d: expected at least 30 s, the batch in hand (with its retries) plus the 10 s Kafka session timeout; a shorter grace kills it mid-batch and the batch is replayed" $name (int $p.terminationGracePeriodSeconds)) -}}
{{- end -}}
{{- end -}}
{{- $metricsPort := include "clv.setting" (dict "root" . "name" "CLV_METRICS_PORT") -}}
{{- if or (eq $metricsPort "") (eq $metricsPort "0") -}}
{{- fail "env.CLV_METRICS_PORT must be a fixed port (e.g. 9464): 0 lets the process pick any free port, which nothing can scrape" -}}
{{- end -}}
{{- $metricsHost := include "clv.setting" (dict "root" . "name" "CLV_METRICS_HOST") -}}
{{- if has $metricsHost (list "" "127.0.0.1" "localhost" "::1") -}}
{{- fail (printf "env.CLV_METRICS_HOST=%q: processors serve /metrics on it, so it must be reachable from Prometheus (0.0.0.0)" $metricsHost) -}}
{{- end -}}
{{- $apiHost := include "clv.setting" (dict "root" . "name" "CLV_API_HOST" "env" $v.api.env) -}}
{{- if has $apiHost (list "" "127.0.0.1" "localhost" "::1") -}}
{{- fail (printf "api.env.CLV_API_HOST=%q: the API binds loopback unless told otherwise, and then no Service or probe can reach it; use 0.0.0.0" $apiHost) -}}
{{- end -}}
{{- if eq (include "clv.setting" (dict "root" . "name" "CLV_API_AUTH" "env" $v.api.env)) "off" -}}
{{- fail "CLV_API_AUTH=off: authentication may only be off on a loopback host (config/api-config.ts), and the API in a pod is not" -}}
{{- end -}}
{{- $s := $v.secrets -}}
{{- if and $s.existingSecret $s.values -}}
{{- fail "secrets: set existingSecret (a Secret of your own) or values (the chart makes one), not both" -}}
{{- end -}}
{{- if and $s.keys (not $s.existingSecret) -}}
{{- fail "secrets.keys names variables to read from secrets.existingSecret, which is not set" -}}
{{- end -}}
{{- range $name := concat ($s.keys | default list) (keys ($s.values | default dict)) -}}
{{- if not (regexMatch "^CLV_[A-Z0-9_]+$" $name) -}}
{{- fail (printf "secrets: %q is not a clv-stream setting (CLV_…): each key is the environment variable it becomes" $name) -}}
{{- end -}}
{{- end -}}
{{- $secretEnv := include "clv.secretEnv" . | fromJson -}}
{{- $inlineKeys := or (hasKey $secretEnv "CLV_API_KEYS") (ne (include "clv.setting" (dict "root" . "name" "CLV_API_KEYS" "env" $v.api.env)) "") -}}
{{- if and $v.api.keysFile.existingSecret $inlineKeys -}}
{{- fail "API keys: set CLV_API_KEYS (env or secrets) or api.keysFile (a mounted file, CLV_API_KEYS_FILE), not both: the API refuses both" -}}
{{- end -}}
{{- if and $v.api.keysFile.existingSecret (or (hasKey $secretEnv "CLV_API_KEYS_FILE") (ne (include "clv.setting" (dict "root" . "name" "CLV_API_KEYS_FILE" "env" $v.api.env)) "")) -}}
{{- fail "CLV_API_KEYS_FILE is set by the chart from api.keysFile; do not set it in env or secrets as well" -}}
{{- end -}}
{{- if and $v.api.autoscaling.enabled (lt (int $v.api.autoscaling.maxReplicas) (int $v.api.autoscaling.minReplicas)) -}}
{{- fail "api.autoscaling.maxReplicas is less than minReplicas" -}}
{{- end -}}
{{- end -}}

{{/* Pod-level settings shared by every role. */}}
{{- define "clv.podCommon" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Pod annotations: Prometheus scraping by annotation, a restart when the chart's Secret changes. */}}
{{- define "clv.podAnnotations" -}}
{{- $root := .root -}}
{{- if $root.Values.metrics.podAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .port | quote }}
prometheus.io/path: /metrics
{{- end }}
{{- if $root.Values.secrets.values }}
checksum/secret: {{ toJson $root.Values.secrets.values | sha256sum }}
{{- end }}
{{- with $root.Values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The model registry volume (CLV_MODEL_REGISTRY_DIR). */}}
{{- define "clv.modelsVolume" -}}
- name: models
  persistentVolumeClaim:
    claimName: {{ .Values.modelVolume.existingClaim | default (printf "%s-models" (include "clv.fullname" .)) }}
{{- end -}}
