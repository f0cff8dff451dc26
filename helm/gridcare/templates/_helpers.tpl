{{/*
Names and labels.
*/}}
{{- define "gridcare.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "gridcare.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "gridcare.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Name of a component's objects: <fullname>-<component>. Call with (dict "root" $ "component" "intake"). */}}
{{- define "gridcare.componentFullname" -}}
{{- printf "%s-%s" (include "gridcare.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels (immutable in a Deployment): name, instance and component only. */}}
{{- define "gridcare.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gridcare.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Every label of an object. Call with (dict "root" $ "component" "intake"). */}}
{{- define "gridcare.labels" -}}
{{ include "gridcare.selectorLabels" . }}
app.kubernetes.io/part-of: gridcare
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
helm.sh/chart: {{ include "gridcare.chart" .root }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* metadata.annotations from commonAnnotations plus extra (a dict), or nothing. */}}
{{- define "gridcare.annotations" -}}
{{- $all := merge (dict) (.extra | default dict) .root.Values.commonAnnotations -}}
{{- with $all -}}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end -}}
{{- end -}}

{{/*
What each program is, from its main.cpp and deploy/local/services.list (facts, not settings):
  name        the service's name (logs, metrics `service` label, consumer group, Redis prefix)
  binary      the program in image.binDir
  grpc        serves gRPC (gRPC health probes); else a Kafka worker (/readyz, /healthz)
  http        serves HTTP on GRIDCARE_CONSOLE_LISTEN_ADDRESS (console, desk, callbacks)
  profile     calls the profile service (GRIDCARE_PROFILE_SERVICE_TARGET)
  crew        calls the repair-crew service (GRIDCARE_CREW_SERVICE_TARGET)
  configAreas share/gridcare/<area>/ directories it reads (config::InstalledConfigPath); the area
              "calendars" is the working calendar directory (--working-calendar), which the
              chart fills with files/config/sla/calendar-*.json so that adding next year's
              notice is adding a file (intake reloads it live; complaint reads it at start)
Keys are the keys of .Values.services.
*/}}
{{- define "gridcare.catalogue" -}}
profile: {name: profile, binary: profile, grpc: true, http: false, profile: false, crew: false, configAreas: []}
intake: {name: intake, binary: intake, grpc: true, http: false, profile: true, crew: false, configAreas: [calendars, intake, sla]}
repairCrew: {name: repair-crew, binary: repair-crew, grpc: true, http: false, profile: false, crew: false, configAreas: []}
dispatch: {name: dispatch, binary: dispatch, grpc: true, http: true, profile: true, crew: true, configAreas: [calendars, sla]}
complaint: {name: complaint, binary: complaint, grpc: true, http: true, profile: false, crew: false, configAreas: [calendars, complaint, sla]}
notification: {name: notification, binary: notification, grpc: false, http: true, profile: true, crew: false, configAreas: [notification]}
analytics: {name: analytics, binary: analytics, grpc: true, http: false, profile: true, crew: false, configAreas: [calendars, sla]}
{{- end -}}

{{/* The configuration areas used by the enabled services, as a YAML list. */}}
{{- define "gridcare.configAreas" -}}
{{- $areas := list -}}
{{- range $key, $facts := (include "gridcare.catalogue" . | fromYaml) -}}
{{- if (index $.Values.services $key).enabled -}}
{{- $areas = concat $areas $facts.configAreas -}}
{{- end -}}
{{- end -}}
{{- toYaml (uniq $areas | sortAlpha) -}}
{{- end -}}

{{/* Name of the ConfigMap mounted for a configuration area. Call with (dict "root" $ "area" "sla"). */}}
{{- define "gridcare.configMapName" -}}
{{- $existing := index .root.Values.configFiles.existingConfigMaps .area | default "" -}}
{{- if $existing -}}
{{- $existing -}}
{{- else -}}
{{- printf "%s-config-%s" (include "gridcare.fullname" .root) .area | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The data of a configuration area's ConfigMap: shipped files, then overrides. */}}
{{- define "gridcare.configData" -}}
{{- $data := dict -}}
{{- $glob := printf "files/config/%s/*" .area -}}
{{- if eq .area "calendars" -}}
{{- $glob = "files/config/sla/calendar-*.json" -}}
{{- end -}}
{{- range $path, $_ := .root.Files.Glob $glob -}}
{{- $_ := set $data (base $path) ($.root.Files.Get $path) -}}
{{- end -}}
{{- $data = mergeOverwrite $data (index .root.Values.configFiles.overrides .area | default dict) -}}
{{- toYaml $data -}}
{{- end -}}

{{/* The image reference. */}}
{{- define "gridcare.image" -}}
{{- $image := .Values.image -}}
{{- $repository := $image.repository -}}
{{- if $image.registry -}}
{{- $repository = printf "%s/%s" $image.registry $image.repository -}}
{{- end -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $repository $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repository (default .Chart.AppVersion $image.tag) -}}
{{- end -}}
{{- end -}}

{{/* gRPC target of a component inside the cluster. Call with (dict "root" $ "component" "profile"). */}}
{{- define "gridcare.grpcTarget" -}}
{{- printf "%s:%d" (include "gridcare.componentFullname" .) (int .root.Values.ports.grpc) -}}
{{- end -}}

{{/* Whether SASL is on (the security protocol is SASL_*): "true" or "". */}}
{{- define "gridcare.kafkaSasl" -}}
{{- if hasPrefix "SASL_" .Values.kafka.securityProtocol }}true{{ end -}}
{{- end -}}

{{/* Whether TLS is on (SSL or SASL_SSL): "true" or "". */}}
{{- define "gridcare.kafkaTls" -}}
{{- if hasSuffix "SSL" .Values.kafka.securityProtocol }}true{{ end -}}
{{- end -}}

{{/* Fails the render with a clear message when settings do not fit together. */}}
{{- define "gridcare.validate" -}}
{{- $s := .Values.services -}}
{{- if and $s.dispatch.enabled (not $s.repairCrew.enabled) (not (hasKey $s.dispatch.env "GRIDCARE_CREW_SERVICE_TARGET")) -}}
{{- fail "services.dispatch needs the repair-crew service: enable services.repairCrew or set services.dispatch.env.GRIDCARE_CREW_SERVICE_TARGET" -}}
{{- end -}}
{{- range $key, $facts := (include "gridcare.catalogue" . | fromYaml) -}}
{{- $svc := index $s $key -}}
{{- if and $svc.enabled $facts.profile (not $s.profile.enabled) (not (hasKey $svc.env "GRIDCARE_PROFILE_SERVICE_TARGET")) -}}
{{- fail (printf "services.%s needs the profile service: enable services.profile or set services.%s.env.GRIDCARE_PROFILE_SERVICE_TARGET" $key $key) -}}
{{- end -}}
{{- end -}}
{{- if and (include "gridcare.kafkaSasl" .) (or (not .Values.kafka.sasl.existingSecret) (not .Values.kafka.sasl.mechanism)) -}}
{{- fail (printf "kafka.securityProtocol %s needs kafka.sasl.mechanism and kafka.sasl.existingSecret (a Secret with the user name and password)" .Values.kafka.securityProtocol) -}}
{{- end -}}
{{- end -}}
