// The house rules (docs/architecture.md, "The layout"), checked by `npm run lint:deps` in `npm test`.
// Folders are layers: a folder may import its own files and anything below it, never above.
// wire < config, log, sql < sockets, identity < delivery < messages < moderation < fanout < room < http < index
const capabilities = "(sockets|identity|tokens|delivery|messages|moderation|fanout|search|files|webhooks|embed)";
const layers = [
  ["sockets|identity", "delivery|messages|moderation|fanout"],
  ["delivery", "messages|moderation|fanout"],
  ["messages", "moderation|fanout"],
  ["moderation", "fanout"],
];

module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", comment: "Import circles hide which way a dependency points.", from: {}, to: { circular: true } },
    {
      name: "wire-imports-only-wire",
      severity: "error",
      comment: "The wire contract is shared with the page and outside clients: it imports nothing of the server or the page.",
      from: { path: "^src/wire/" },
      to: { path: "^src/", pathNot: "^src/wire/" },
    },
    {
      name: "page-imports-only-wire",
      severity: "error",
      comment: "The page (src/client) may import the wire contract and its own files, nothing of the server.",
      from: { path: "^src/client/" },
      to: { path: "^src/", pathNot: "^src/(client|wire)/" },
    },
    {
      name: "embed-script-imports-only-wire",
      severity: "error",
      comment: "embed.js runs on other sites' pages and must stay small: the postMessage contract in src/wire and its own files only.",
      from: { path: "^src/embed-script/" },
      to: { path: "^(src|packages)/", pathNot: "^src/(wire|embed-script)/" },
    },
    {
      name: "client-library-imports-only-wire",
      severity: "error",
      comment: "The client library (packages/client) is published on its own: it bundles the wire contract and nothing else of the repository.",
      from: { path: "^packages/client/" },
      to: { path: "^(src|test|bench)/", pathNot: "^src/wire/" },
    },
    {
      name: "base-imports-only-wire",
      severity: "error",
      comment: "config, log and sql serve every folder, so they may import only the wire contract.",
      from: { path: "^src/(config|log|sql)\\.ts$" },
      to: { path: "^src/", pathNot: "^src/wire/" },
    },
    {
      name: "capabilities-never-import-room-or-http",
      severity: "error",
      comment: "Dependencies point one way: protocol <- capabilities <- room <- worker.",
      from: { path: `^src/${capabilities}/` },
      to: { path: "^src/(room|http|index\\.ts)" },
    },
    { name: "room-never-imports-http", severity: "error", from: { path: "^src/room/" }, to: { path: "^src/(http/|index\\.ts)" } },
    { name: "nothing-imports-the-entry", severity: "error", from: { pathNot: "^test/" }, to: { path: "^src/index\\.ts$" } },
    ...layers.map(([lower, upper]) => ({
      name: `${lower.replace("|", "-")}-below-${upper.split("|")[0]}`,
      severity: "error",
      comment: "A lower capability never imports a higher one (see the layers above).",
      from: { path: `^src/(${lower})/` },
      to: { path: `^src/(${upper})/` },
    })),
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|\\.wrangler|public)/|worker-configuration\\.d\\.ts$" },
    tsConfig: { fileName: "tsconfig.json" },
    // TypeScript 7 has no compiler API for it to use; swc parses TypeScript as well.
    parser: "swc",
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
