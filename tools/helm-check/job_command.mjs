#!/usr/bin/env node
// Prints the command line of the topic hook Job (the Job whose container is "kafka-topics") in a
// rendered chart, one word per line: the program's base name first, then its arguments. Used by
// deploy/check-helm.sh to run the chart's own command line against the devbroker.
// Usage: node job_command.mjs FILE   (exits 1 when the file holds no such Job)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const YAML = require("yaml");

const file = process.argv[2];
if (!file || file === "-h" || file === "--help") {
  console.log("usage: node job_command.mjs FILE");
  process.exit(file ? 0 : 2);
}
for (const doc of YAML.parseAllDocuments(readFileSync(file, "utf8"))) {
  const object = doc.toJS();
  if (object?.kind !== "Job") continue;
  const container = object.spec.template.spec.containers.find((c) => c.name === "kafka-topics");
  if (!container) continue;
  for (const word of [path.basename(container.command[0]), ...(container.args ?? [])]) {
    console.log(word);
  }
  process.exit(0);
}
console.error(`job_command.mjs: ${file} holds no Job with a kafka-topics container`);
process.exit(1);
