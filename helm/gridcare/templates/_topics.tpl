{{/*
Every topic as a YAML list of {name, partitions, retentionHours}: kafka.topics.items (sorted by
key) then one dead-letter topic per consumer group (libs/kafka/src/topics.cpp).
*/}}
{{- define "gridcare.topics" -}}
{{- $topics := list -}}
{{- $items := .Values.kafka.topics.items -}}
{{- range $key := keys $items | sortAlpha -}}
{{- $topics = append $topics (index $items $key) -}}
{{- end -}}
{{- $dlq := .Values.kafka.topics.deadLetter -}}
{{- range $group := $dlq.groups -}}
{{- $topics = append $topics (dict "name" (printf "gridcare.dlq.%s.v1" $group) "partitions" $dlq.partitions "retentionHours" $dlq.retentionHours) -}}
{{- end -}}
{{- toYaml $topics -}}
{{- end -}}
