#!/usr/bin/env node
// Validates rendered Kubernetes manifests (the output of `helm template`) offline:
//   1. every object against its API schema: Kubernetes 1.33 (npm kubernetes-models 4.5, generated
//      from the v1.33.0 OpenAPI spec), the Prometheus Operator CRDs (npm
//      @kubernetes-models/prometheus-operator 4.4), and Strimzi's KafkaTopic (kafka.strimzi.io/
//      v1beta2: the fields this chart uses, written out below; no npm model exists). A kind with no
//      schema is an error, so nothing passes unchecked.
//   2. the chart's own rules: restricted security context, resources and probes on every
//      container, the app.kubernetes.io labels, names that fit, ConfigMaps under 1 MiB.
//   3. with --topics-from <repo>: the KafkaTopic objects are exactly the topics, partitions and
//      retention of libs/kafka/src/topics.cpp.
// Limits: the Kubernetes schemas do not forbid unknown fields (the API server's strict field
// validation does), so a misspelled optional field passes step 1.
//
// Usage: node validate.mjs [--topics-from REPO] FILE...   ("-" reads standard input)
// Prints one line per problem ("FILE: Kind/name: message") and a summary; exits 1 on any problem.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const YAML = require("yaml");

const K8S_VERSION = "1.33.0";

// apiVersion/kind -> module path of its model.
const MODELS = {
  "v1/ConfigMap": "kubernetes-models/v1/ConfigMap",
  "v1/Service": "kubernetes-models/v1/Service",
  "v1/ServiceAccount": "kubernetes-models/v1/ServiceAccount",
  "v1/Secret": "kubernetes-models/v1/Secret",
  "apps/v1/Deployment": "kubernetes-models/apps/v1/Deployment",
  "batch/v1/Job": "kubernetes-models/batch/v1/Job",
  "policy/v1/PodDisruptionBudget": "kubernetes-models/policy/v1/PodDisruptionBudget",
  "autoscaling/v2/HorizontalPodAutoscaler": "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler",
  "networking.k8s.io/v1/NetworkPolicy": "kubernetes-models/networking.k8s.io/v1/NetworkPolicy",
  "monitoring.coreos.com/v1/ServiceMonitor":
    "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor",
  "monitoring.coreos.com/v1/PrometheusRule":
    "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule",
  "monitoring.coreos.com/v1/PodMonitor":
    "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor",
};

// Strimzi KafkaTopic (kafka.strimzi.io/v1beta2), the part of its CRD this chart uses.
const KAFKA_TOPIC_SCHEMA = {
  type: "object",
  required: ["apiVersion", "kind", "metadata", "spec"],
  properties: {
    apiVersion: { const: "kafka.strimzi.io/v1beta2" },
    kind: { const: "KafkaTopic" },
    metadata: {
      type: "object",
      required: ["name", "labels"],
      properties: {
        name: { type: "string", pattern: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", maxLength: 253 },
        labels: {
          type: "object",
          required: ["strimzi.io/cluster"],
          additionalProperties: { type: "string" },
        },
      },
    },
    spec: {
      type: "object",
      additionalProperties: false,
      required: ["partitions", "replicas"],
      properties: {
        topicName: { type: "string", pattern: "^[a-zA-Z0-9._-]{1,249}$" },
        partitions: { type: "integer", minimum: 1 },
        replicas: { type: "integer", minimum: 1, maximum: 32767 },
        config: {
          type: "object",
          additionalProperties: { type: ["string", "integer", "number", "boolean"] },
        },
      },
    },
  },
};

const Ajv = require("ajv");
const ajv = new Ajv({ allErrors: true, strict: false });
const validateKafkaTopic = ajv.compile(KAFKA_TOPIC_SCHEMA);

function schemaErrors(obj) {
  const key = `${obj.apiVersion}/${obj.kind}`;
  if (key === "kafka.strimzi.io/v1beta2/KafkaTopic") {
    if (validateKafkaTopic(obj)) return [];
    return validateKafkaTopic.errors.map((e) => `${e.instancePath || "/"} ${e.message}`);
  }
  const modulePath = MODELS[key];
  if (!modulePath) return [`no schema for ${key} (add its model to tools/helm-check/validate.mjs)`];
  const Model = require(modulePath)[obj.kind];
  try {
    new Model(obj).validate();
    return [];
  } catch (error) {
    return [String(error.message || error)];
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_KEYS = [
  "app.kubernetes.io/name",
  "app.kubernetes.io/instance",
  "app.kubernetes.io/component",
  "app.kubernetes.io/part-of",
  "app.kubernetes.io/managed-by",
];

function containerErrors(c, where) {
  const errors = [];
  const sc = c.securityContext || {};
  if (sc.readOnlyRootFilesystem !== true) errors.push(`${where}: readOnlyRootFilesystem is not true`);
  if (sc.allowPrivilegeEscalation !== false) errors.push(`${where}: allowPrivilegeEscalation is not false`);
  if (sc.runAsNonRoot !== true) errors.push(`${where}: runAsNonRoot is not true`);
  if (!(sc.capabilities?.drop || []).includes("ALL")) errors.push(`${where}: capabilities do not drop ALL`);
  if (sc.seccompProfile?.type !== "RuntimeDefault") errors.push(`${where}: seccompProfile is not RuntimeDefault`);
  for (const kind of ["requests", "limits"]) {
    if (!c.resources?.[kind]?.cpu || !c.resources?.[kind]?.memory) {
      errors.push(`${where}: resources.${kind} must set cpu and memory`);
    }
  }
  return errors;
}

// The chart's own rules, beyond the API schema.
function policyErrors(obj) {
  const errors = [];
  const meta = obj.metadata || {};
  const labels = meta.labels || {};
  const isTopic = obj.kind === "KafkaTopic";
  for (const key of LABEL_KEYS) {
    if (!labels[key]) errors.push(`label ${key} is missing`);
  }
  if (!isTopic && (!DNS_LABEL.test(meta.name || "") || meta.name.length > 63)) {
    errors.push(`name "${meta.name}" is not a DNS label of at most 63 characters`);
  }
  if (obj.kind === "ConfigMap") {
    const size = Buffer.byteLength(JSON.stringify(obj.data || {}));
    if (size > 1000000) errors.push(`data is ${size} bytes; a ConfigMap holds at most 1 MiB`);
  }
  const podSpec = obj.kind === "Deployment" || obj.kind === "Job" ? obj.spec?.template?.spec : null;
  if (podSpec) {
    const psc = podSpec.securityContext || {};
    if (psc.runAsNonRoot !== true) errors.push("pod securityContext.runAsNonRoot is not true");
    if (psc.seccompProfile?.type !== "RuntimeDefault") errors.push("pod seccompProfile is not RuntimeDefault");
    for (const c of podSpec.containers || []) {
      const where = `container ${c.name}`;
      errors.push(...containerErrors(c, where));
      if (obj.kind === "Deployment") {
        for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"]) {
          if (!c[probe]) errors.push(`${where}: ${probe} is missing`);
        }
        const drain = 15 + (c.lifecycle?.preStop?.sleep?.seconds || 0);
        if ((podSpec.terminationGracePeriodSeconds ?? 30) <= drain) {
          errors.push(`terminationGracePeriodSeconds must exceed the drain (${drain} s with the preStop sleep)`);
        }
      }
    }
    const selector = obj.spec?.selector?.matchLabels || {};
    const podLabels = obj.spec?.template?.metadata?.labels || {};
    for (const [k, v] of Object.entries(selector)) {
      if (podLabels[k] !== v) errors.push(`selector ${k}=${v} does not match the pod template's labels`);
    }
  }
  return errors;
}

// libs/kafka/src/topics.cpp and topics.h -> Map name -> {partitions, retentionMs}.
function catalogueTopics(repo) {
  const header = readFileSync(path.join(repo, "libs/kafka/include/gridcare/kafka/topics.h"), "utf8");
  const source = readFileSync(path.join(repo, "libs/kafka/src/topics.cpp"), "utf8");
  const names = {};
  for (const m of header.matchAll(/(k\w+Topic)\s*=\s*"([^"]+)"/g)) names[m[1]] = m[2];
  const topics = new Map();
  for (const m of source.matchAll(/\{std::string\((k\w+Topic)\),\s*(\d+),\s*(\d+)\}/g)) {
    topics.set(names[m[1]], { partitions: Number(m[2]), retentionMs: Number(m[3]) * 3600000 });
  }
  const dlq = source.match(/DeadLetterTopic\(group\),\s*(\d+),\s*(\d+)\}/);
  const groups = header.match(/kConsumerGroups\[\]\s*=\s*\{([^}]*)\}/);
  if (!dlq || !groups || topics.size === 0) throw new Error("cannot read the topic catalogue from libs/kafka");
  for (const g of groups[1].matchAll(/"([^"]+)"/g)) {
    topics.set(`gridcare.dlq.${g[1]}.v1`, { partitions: Number(dlq[1]), retentionMs: Number(dlq[2]) * 3600000 });
  }
  return topics;
}

function topicErrors(objects, repo) {
  const want = catalogueTopics(repo);
  const have = new Map();
  for (const o of objects) {
    if (o.kind === "KafkaTopic") {
      have.set(o.spec.topicName || o.metadata.name, {
        partitions: o.spec.partitions,
        retentionMs: Number(o.spec.config?.["retention.ms"]),
      });
    }
  }
  const errors = [];
  for (const [name, t] of want) {
    const h = have.get(name);
    if (!h) errors.push(`topic ${name} of libs/kafka/src/topics.cpp has no KafkaTopic`);
    else if (h.partitions !== t.partitions || h.retentionMs !== t.retentionMs) {
      errors.push(`topic ${name}: chart ${h.partitions} partitions, ${h.retentionMs} ms; topics.cpp ${t.partitions}, ${t.retentionMs} ms`);
    }
  }
  for (const name of have.keys()) {
    if (!want.has(name)) errors.push(`KafkaTopic ${name} is not in libs/kafka/src/topics.cpp`);
  }
  return errors;
}

function main(argv) {
  let topicsFrom = null;
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--topics-from") topicsFrom = argv[++i];
    else if (argv[i] === "-h" || argv[i] === "--help") {
      console.log("usage: node validate.mjs [--topics-from REPO] FILE...  (- for standard input)");
      return 0;
    } else files.push(argv[i]);
  }
  if (files.length === 0) {
    console.error("validate.mjs: no manifest file given (try --help)");
    return 2;
  }
  let problems = 0;
  let checked = 0;
  for (const file of files) {
    const text = readFileSync(file === "-" ? 0 : file, "utf8");
    const objects = [];
    for (const doc of YAML.parseAllDocuments(text)) {
      if (doc.errors.length > 0) {
        console.log(`${file}: YAML error: ${doc.errors[0].message}`);
        problems++;
        continue;
      }
      const obj = doc.toJS();
      if (obj == null) continue;
      objects.push(obj);
    }
    const kinds = {};
    for (const obj of objects) {
      const id = `${obj.kind}/${obj.metadata?.name}`;
      kinds[obj.kind] = (kinds[obj.kind] || 0) + 1;
      for (const message of [...schemaErrors(obj), ...policyErrors(obj)]) {
        console.log(`${file}: ${id}: ${message}`);
        problems++;
      }
    }
    if (topicsFrom) {
      for (const message of topicErrors(objects, topicsFrom)) {
        console.log(`${file}: ${message}`);
        problems++;
      }
    }
    checked += objects.length;
    const summary = Object.entries(kinds)
      .sort()
      .map(([k, n]) => `${n} ${k}`)
      .join(", ");
    console.log(`${file}: ${objects.length} objects (${summary})`);
  }
  console.log(
    `validate.mjs: ${checked} objects checked against Kubernetes ${K8S_VERSION}, prometheus-operator and Strimzi KafkaTopic schemas: ${problems} problem(s)`,
  );
  return problems === 0 ? 0 : 1;
}

process.exit(main(process.argv.slice(2)));
