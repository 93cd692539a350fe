// Validates Kubernetes objects against the API schemas: kubernetes-models for the built-in kinds, @kubernetes-models/keda
// for KEDA's custom resources. Reads YAML (one or more documents, e.g. `kubectl kustomize deploy/k8s/overlays/eks`) from
// the files named as arguments, or from stdin; prints "ok <apiVersion> <Kind>/<name>" or "invalid ..." per object and
// exits 1 when any object is invalid or has a kind no schema here knows.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const sources = process.argv.length > 2 ? process.argv.slice(2) : ["/dev/stdin"];
const packages = ["kubernetes-models", "@kubernetes-models/keda"];

async function modelFor(apiVersion, kind) {
  for (const pkg of packages) {
    let module;
    try {
      module = await import(`${pkg}/${apiVersion}`);
    } catch {
      continue;
    }
    if (typeof module[kind] === "function") return module[kind];
  }
  return null;
}

let failures = 0;
for (const source of sources) {
  for (const document of parseAllDocuments(readFileSync(source, "utf8"))) {
    if (document.errors.length > 0) {
      console.log(`invalid ${source}: YAML: ${document.errors.map((e) => e.message).join("; ")}`);
      failures++;
      continue;
    }
    const object = document.toJS();
    if (object === null || object === undefined) continue;
    // kustomize writes long base64 values of Secrets as block scalars broken into lines; the API server's base64 decoder
    // ignores line breaks, the schema's "byte" format does not.
    if (object.apiVersion === "v1" && object.kind === "Secret" && object.data) {
      for (const key of Object.keys(object.data)) object.data[key] = String(object.data[key]).replace(/[\r\n]/g, "");
    }
    const name = `${object.apiVersion} ${object.kind}/${object.metadata?.name ?? "?"}`;
    const Model = await modelFor(object.apiVersion, object.kind);
    if (Model === null) {
      console.log(`invalid ${name}: no schema for this apiVersion and kind`);
      failures++;
      continue;
    }
    try {
      new Model(object).validate();
      console.log(`ok ${name}`);
    } catch (error) {
      console.log(`invalid ${name}: ${error.message.replace(/\s+/g, " ")}`);
      failures++;
    }
  }
}
process.exit(failures > 0 ? 1 : 0);
