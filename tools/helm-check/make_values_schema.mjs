#!/usr/bin/env node
// Writes helm/gridcare/values.schema.json (JSON Schema draft-07, as Helm 3 checks it).
//
// Generated so that the seven services share one definition while dispatch and complaint add their
// one-replica rule; edit this file, run it, commit both. deploy/check-helm.sh runs it with --check
// and fails when the committed schema differs from what it writes.
// Usage: node tools/helm-check/make_values_schema.mjs [--check]
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const out = path.join(root, "helm/gridcare/values.schema.json");

const STR = { type: "string" };
const BOOL = { type: "boolean" };
const OBJ = { type: "object" };
const ARR = { type: "array" };
const LABELS = { type: "object", additionalProperties: { type: "string" } };
const PORT = { type: "integer", minimum: 1, maximum: 65535 };
const QUANTITY = { type: ["string", "integer", "number"] };
const HOST_PORT = { type: "string", pattern: "^[^\\s:,]+:[0-9]{1,5}$" };
const HOST_PORT_LIST = {
  type: "string",
  pattern: "^[^\\s:,]+:[0-9]{1,5}(,[^\\s:,]+:[0-9]{1,5})*$",
};
const DURATION = { type: "string", pattern: "^([0-9]+(ms|s|m|h))+$" };

// An object that takes only the listed properties.
function closed(properties, required = [], extra = {}) {
  const schema = { type: "object", additionalProperties: false, properties };
  if (required.length > 0) schema.required = required;
  return { ...schema, ...extra };
}

const RESOURCES = closed({
  requests: { type: "object", additionalProperties: QUANTITY },
  limits: { type: "object", additionalProperties: QUANTITY },
});

// One service's values. singleReplica: replicaCount at most 1, no HPA, Recreate only.
function service({ singleReplica = false, extra = {} } = {}) {
  const props = {
    enabled: BOOL,
    replicaCount: singleReplica
      ? { type: "integer", minimum: 0, maximum: 1 }
      : { type: "integer", minimum: 0 },
    resources: RESOURCES,
    env: {
      type: "object",
      propertyNames: { pattern: "^GRIDCARE_[A-Z0-9_]+$" },
      additionalProperties: { type: ["string", "integer", "number", "boolean"] },
    },
    extraEnv: {
      type: "array",
      items: closed({ name: STR, value: STR, valueFrom: OBJ }, ["name"]),
    },
    autoscaling: closed(
      {
        enabled: singleReplica ? { type: "boolean", const: false } : BOOL,
        minReplicas: { type: "integer", minimum: 1 },
        maxReplicas: { type: "integer", minimum: 1 },
        targetCPUUtilizationPercentage: { type: "integer", minimum: 1, maximum: 100 },
      },
      ["enabled"],
    ),
    pdb: closed({ create: BOOL, maxUnavailable: { type: ["integer", "string"] } }, ["create"]),
    // The service drains for up to ~15 s on SIGTERM (gRPC 5 s, producer flush 10 s), after the
    // preStop sleep: 30 s is the least that covers both.
    terminationGracePeriodSeconds: { type: "integer", minimum: 30 },
    preStopSleepSeconds: { type: "integer", minimum: 0, maximum: 15 },
    strategy: closed(
      {
        type: singleReplica
          ? { type: "string", const: "Recreate" }
          : { type: "string", enum: ["RollingUpdate", "Recreate"] },
        rollingUpdate: OBJ,
      },
      ["type"],
    ),
    podAnnotations: LABELS,
    podLabels: LABELS,
    nodeSelector: LABELS,
    tolerations: ARR,
    affinity: OBJ,
    topologySpreadConstraints: ARR,
    service: closed({
      type: { type: "string", enum: ["ClusterIP", "NodePort", "LoadBalancer"] },
      annotations: LABELS,
    }),
    ...extra,
  };
  return closed(props, [
    "enabled",
    "replicaCount",
    "resources",
    "autoscaling",
    "pdb",
    "terminationGracePeriodSeconds",
    "strategy",
  ]);
}

const notificationExtra = {
  providerBaseUrl: { type: "string", pattern: "^(|https?://.+/)$" },
  providerToken: closed({ existingSecret: STR, key: { type: "string", minLength: 1 } }),
  callbackBaseUrl: { type: "string", pattern: "^(|https?://.+)$" },
};

const topic = closed(
  {
    name: { type: "string", pattern: "^gridcare\\.[a-z0-9.-]+\\.v[0-9]+$" },
    partitions: { type: "integer", minimum: 1 },
    retentionHours: { type: "integer", minimum: 1 },
  },
  ["name", "partitions", "retentionHours"],
);

const schema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "GridCare chart values",
  type: "object",
  additionalProperties: false,
  required: ["image", "kafka", "redis", "services"],
  properties: {
    global: OBJ,
    nameOverride: STR,
    fullnameOverride: STR,
    commonLabels: LABELS,
    commonAnnotations: LABELS,
    logLevel: { type: "string", enum: ["debug", "info", "warn", "error"] },
    image: closed(
      {
        registry: STR,
        repository: { type: "string", minLength: 1 },
        tag: STR,
        digest: { type: "string", pattern: "^(|sha256:[a-f0-9]{64})$" },
        pullPolicy: { type: "string", enum: ["Always", "IfNotPresent", "Never"] },
        pullSecrets: { type: "array", items: STR },
        binDir: { type: "string", pattern: "^/" },
      },
      ["repository", "binDir"],
    ),
    kafka: closed(
      {
        bootstrapServers: HOST_PORT_LIST,
        securityProtocol: {
          type: "string",
          enum: ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"],
        },
        sasl: closed({
          mechanism: { type: "string", enum: ["", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] },
          existingSecret: STR,
          usernameKey: STR,
          passwordKey: STR,
        }),
        tls: closed({ existingSecret: STR, caKey: STR }),
        topics: closed(
          {
            mode: { type: "string", enum: ["strimzi", "job", "none"] },
            replicas: { type: "integer", minimum: 1 },
            minInsyncReplicas: { type: "integer", minimum: 1 },
            keepOnUninstall: BOOL,
            items: { type: "object", additionalProperties: topic },
            deadLetter: closed({
              partitions: { type: "integer", minimum: 1 },
              retentionHours: { type: "integer", minimum: 1 },
              groups: {
                type: "array",
                uniqueItems: true,
                items: { type: "string", pattern: "^[a-z][a-z0-9-]*$" },
              },
            }),
            strimzi: closed({ clusterName: { type: "string", minLength: 1 }, namespace: STR }),
            job: closed({
              backoffLimit: { type: "integer", minimum: 0 },
              activeDeadlineSeconds: { type: "integer", minimum: 30 },
              resources: RESOURCES,
            }),
          },
          ["mode"],
        ),
      },
      ["bootstrapServers"],
    ),
    redis: closed({ address: HOST_PORT, existingSecret: STR, passwordKey: STR }, ["address"]),
    configFiles: closed({
      mountPath: { type: "string", pattern: "^/" },
      overrides: {
        type: "object",
        additionalProperties: { type: "object", additionalProperties: STR },
      },
      existingConfigMaps: { type: "object", additionalProperties: STR },
    }),
    podSecurityContext: OBJ,
    containerSecurityContext: OBJ,
    serviceAccount: closed({ create: BOOL, automountToken: BOOL, annotations: LABELS }),
    ports: closed({ grpc: PORT, metrics: PORT, http: PORT }),
    networkPolicy: closed({
      enabled: BOOL,
      metricsFrom: ARR,
      extraIngress: ARR,
      restrictEgress: BOOL,
      extraEgress: ARR,
    }),
    serviceMonitor: closed({
      enabled: BOOL,
      namespace: STR,
      labels: LABELS,
      interval: DURATION,
      scrapeTimeout: DURATION,
      honorLabels: BOOL,
    }),
    prometheusRule: closed({ enabled: BOOL, namespace: STR, labels: LABELS }),
    dashboards: closed({ enabled: BOOL, namespace: STR, labels: LABELS, annotations: LABELS }),
    services: closed(
      {
        profile: service(),
        intake: service(),
        repairCrew: service(),
        // Scales out by territory (docs/services/dispatch.md, "Scaling out by territory").
        dispatch: service(),
        // One replica for now: a case's inputs are serialised by in-process locks.
        complaint: service({ singleReplica: true }),
        notification: service({ extra: notificationExtra }),
        analytics: service(),
      },
      ["profile", "intake", "repairCrew", "dispatch", "complaint", "notification", "analytics"],
    ),
  },
};

const text = JSON.stringify(schema, null, 2) + "\n";
if (process.argv[2] === "--check") {
  if (!existsSync(out) || readFileSync(out, "utf8") !== text) {
    console.error(
      "helm/gridcare/values.schema.json is out of date: run node tools/helm-check/make_values_schema.mjs and commit it",
    );
    process.exit(1);
  }
} else {
  writeFileSync(out, text);
}
