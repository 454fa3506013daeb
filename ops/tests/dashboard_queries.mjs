// Runs every panel query and variable query of the given Grafana dashboards against Prometheus,
// with $year set to this year and $area to "all" (or, where the area variable has no "all", to the
// first area it lists). Exits 1 if any fails to parse or returns nothing.
import { readFileSync } from "node:fs";

const [prometheus, ...files] = process.argv.slice(2);
const year = String(new Date().getFullYear());
let failures = 0, checked = 0;

async function query(expr) {
  const url = `${prometheus}/api/v1/query?query=${encodeURIComponent(expr)}`;
  const body = await (await fetch(url)).json();
  if (body.status !== "success") return `error: ${body.error}`;
  return body.data.result.length > 0 ? null : "no data";
}

async function labelValues(definition) {
  const m = definition.match(/^label_values\((\w+),\s*(\w+)\)$/);
  if (!m) return { problem: `not understood: ${definition}` };
  const url = `${prometheus}/api/v1/label/${m[2]}/values?match[]=${encodeURIComponent(m[1])}`;
  const body = await (await fetch(url)).json();
  if (body.status !== "success" || body.data.length === 0) return { problem: "no values" };
  return { problem: null, values: body.data };
}

for (const file of files) {
  const dashboard = JSON.parse(readFileSync(file, "utf8"));
  let area = "all";
  for (const v of dashboard.templating.list.filter((v) => v.type === "query")) {
    const { problem, values } = await labelValues(v.definition);
    checked++;
    if (problem) { failures++; console.log(`FAIL ${dashboard.uid} variable ${v.name}: ${problem}`); }
    if (v.name === "area" && values && !values.includes("all")) area = values[0];
  }
  for (const panel of dashboard.panels) {
    for (const t of panel.targets) {
      const expr = t.expr.replaceAll("$year", year).replaceAll("$area", area);
      const problem = await query(expr);
      checked++;
      if (problem) { failures++; console.log(`FAIL ${dashboard.uid} "${panel.title}": ${problem}\n     ${expr}`); }
    }
  }
}
console.log(`${checked - failures} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
