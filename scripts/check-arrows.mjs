#!/usr/bin/env node
// Arrows one way: fails when the modules of src/ and adapters/ import each other in a circle,
// file by file or folder by folder (a folder is the directory a file sits in; the files at the
// root of src/ form the folder "src"). Run by `npm test` before the tests (`npm run arrows`).
//
//   node scripts/check-arrows.mjs              report cycles, exit 1 if there is any
//   node scripts/check-arrows.mjs --graph      also print the folder graph (who imports whom)
//   node scripts/check-arrows.mjs --root DIR   check another tree
//
// `checkArrows(root)` does the same in-process and returns the exit code and the lines (the
// checker's own test runs it on small trees, the TypeScript parser loaded once).
//
// What counts. Folders: every import or re-export written in the source, `import()` calls and
// type-only imports (`import type`, `import('…').T`) included: a folder that needs another's
// types depends on it, so the folders must form a DAG even for types. Files: the imports that
// remain at run time (everything but `import type` / `export type`); a cycle there means a
// module can run while another it needs is half-initialised. A file cycle through type-only
// imports is erased by the compiler and, the folder rule holding, stays inside one folder: it
// is listed as a note, not a failure. Imports are read with the TypeScript parser (no type
// checking; about a second).
//
// The seam. Adapters (adapters/) see the core only as `Core` (src/core.ts): they never import
// the modules behind it (src/bot.ts, src/runtime.ts, the store, the gazetteer, the incident
// sources, the content loader) and never take the Bot class, the store or the runtime from
// the core's entry (src/index.ts), types included. A file that does is a failure.
import { readdirSync, statSync, readFileSync, existsSync } from 'node:fs';
import { join, dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
// The parser of TypeScript 5 (installed as `typescript-5`): TypeScript 7, which typechecks,
// has no stable JavaScript API yet.
import ts from 'typescript-5';

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) find(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The names an import or re-export takes from its module ('*' for a namespace or `export *`; none for a bare import). */
function importedNames(node) {
  if (ts.isExportDeclaration(node)) {
    if (!node.exportClause || ts.isNamespaceExport(node.exportClause)) return ['*'];
    return node.exportClause.elements.map((e) => (e.propertyName ?? e.name).text);
  }
  const clause = node.importClause;
  if (!clause) return [];
  const names = clause.name ? ['default'] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push('*');
  else if (bindings) names.push(...bindings.elements.map((e) => (e.propertyName ?? e.name).text));
  return names;
}

/** Module specifiers of one file (static imports and re-exports, `import()`, `import x = require()`), each with whether it is type-only. */
function specifiers(file) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(node) ? node.importClause?.isTypeOnly === true : node.isTypeOnly;
      found.push({ spec: node.moduleSpecifier.text, typeOnly, names: importedNames(node) });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) found.push({ spec: arg.text, typeOnly: false, names: ['*'] });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      // import('…').Name: the name's first part (a namespace path is judged by its head).
      const head = (q) => (ts.isIdentifier(q) ? q.text : head(q.left));
      found.push({ spec: node.argument.literal.text, typeOnly: true, names: [node.qualifier ? head(node.qualifier) : '*'] });
    } else if (ts.isExternalModuleReference(node) && ts.isStringLiteral(node.expression)) {
      found.push({ spec: node.expression.text, typeOnly: false, names: ['*'] });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The project file a relative specifier names ('./x.js' → x.ts, './dir/index.js'), or undefined for packages. */
function resolveSpecifier(ROOT, from, spec) {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, join(base, 'index.ts')]) {
    if (candidate.endsWith('.ts') && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  if (existsSync(base) && statSync(base).isFile()) return base; // JSON and other assets
  throw new Error(`${relative(ROOT, from)}: cannot resolve '${spec}'`);
}

/** Strongly connected components with more than one node (Tarjan). */
function cycles(graph) {
  let index = 0;
  const stack = [];
  const info = new Map();
  const found = [];
  const connect = (v) => {
    const vi = { index, low: index, onStack: true };
    index += 1;
    info.set(v, vi);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!info.has(w)) {
        connect(w);
        vi.low = Math.min(vi.low, info.get(w).low);
      } else if (info.get(w).onStack) {
        vi.low = Math.min(vi.low, info.get(w).index);
      }
    }
    if (vi.low === vi.index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        info.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!info.has(v)) connect(v);
  return found;
}

/** Modules behind the seam: adapters never import them (src/core.ts is what they see). */
const BEHIND_SEAM = [/^src\/bot\.ts$/, /^src\/runtime\.ts$/, /^src\/store\//, /^src\/places\/gazetteer\.ts$/, /^src\/sources\//, /^src\/content\/load\.ts$/];
/** Names the core's entry exports for the application, tests and benchmarks, never for adapters ('*': all of them at once). */
const NOT_FOR_ADAPTERS = new Set(['Bot', 'BotDeps', 'Runtime', 'createRuntime', 'Store', '*']);

/**
 * Checks the tree at `ROOT`: `code` 0 when the arrows run one way (1 otherwise), `stdout` and
 * `stderr` the lines the command prints; `graph` adds the folder graph.
 */
export function checkArrows(ROOT, { graph = false } = {}) {
  const stdout = [];
  const stderr = [];
  const SCOPES = ['src', 'adapters'].filter((s) => existsSync(join(ROOT, s)));
  const rel = (p) => relative(ROOT, p).split(sep).join('/');
  const folderOf = (p) => rel(dirname(p));

  const files = SCOPES.flatMap((s) => find(join(ROOT, s))).sort();
  /** file → files it imports at run time; file → every file it imports (types too) */
  const fileGraph = new Map();
  const typeFileGraph = new Map();
  /** folder → folder → example "file → file" import */
  const folderEdges = new Map();
  for (const file of files) {
    const targets = new Set();
    const allTargets = new Set();
    for (const { spec, typeOnly } of specifiers(file)) {
      const target = resolveSpecifier(ROOT, file, spec);
      if (!target || !target.endsWith('.ts') || !SCOPES.some((s) => rel(target).startsWith(`${s}/`))) continue;
      if (!typeOnly) targets.add(rel(target));
      allTargets.add(rel(target));
      const [from, to] = [folderOf(file), folderOf(target)];
      if (from === to) continue;
      if (!folderEdges.has(from)) folderEdges.set(from, new Map());
      const examples = folderEdges.get(from);
      if (!examples.has(to)) examples.set(to, []);
      examples.get(to).push(`${rel(file)} → ${rel(target)}`);
    }
    fileGraph.set(rel(file), [...targets]);
    typeFileGraph.set(rel(file), [...allTargets]);
  }
  const seamBreaks = [];
  for (const file of files) {
    if (!rel(file).startsWith('adapters/')) continue;
    for (const { spec, names } of specifiers(file)) {
      const target = resolveSpecifier(ROOT, file, spec);
      if (!target) continue;
      const to = rel(target);
      if (BEHIND_SEAM.some((r) => r.test(to))) seamBreaks.push(`${rel(file)} → ${to}`);
      else if (to === 'src/index.ts') for (const name of names.filter((n) => NOT_FOR_ADAPTERS.has(n))) seamBreaks.push(`${rel(file)} → ${to} (${name === '*' ? 'everything' : name})`);
    }
  }

  const folderGraph = new Map([...folderEdges].map(([from, to]) => [from, [...to.keys()]]));

  if (graph) {
    for (const [from, to] of [...folderEdges].sort(([a], [b]) => a.localeCompare(b))) {
      stdout.push(`${from} → ${[...to.keys()].sort().join(', ')}`);
    }
  }

  const fileCycles = cycles(fileGraph);
  const folderCycles = cycles(folderGraph);
  const typeCycles = cycles(typeFileGraph).filter((c) => !c.some((f) => fileCycles.some((v) => v.includes(f))));
  for (const component of typeCycles) {
    stdout.push(`note: files importing each other through types only (inside ${[...new Set(component.map((f) => f.replace(/\/[^/]*$/, '')))].join(', ')}): ${component.join(', ')}`);
  }
  for (const component of fileCycles) {
    stderr.push(`file cycle among ${component.length} files:`);
    for (const f of component) stderr.push(`  ${f} → ${fileGraph.get(f).filter((t) => component.includes(t)).join(', ')}`);
  }
  for (const component of folderCycles) {
    stderr.push(`folder cycle among ${component.join(', ')}:`);
    for (const from of component) {
      for (const to of component) {
        const examples = folderEdges.get(from)?.get(to);
        if (examples) stderr.push(`  ${from} → ${to} (${examples.length}): ${examples.slice(0, 3).join('; ')}${examples.length > 3 ? '; …' : ''}`);
      }
    }
  }
  for (const line of seamBreaks) stderr.push(`adapter past the seam (adapters see the core only as Core, src/core.ts): ${line}`);
  const folders = new Set(files.map(folderOf));
  stdout.push(`arrows: ${files.length} files in ${folders.size} folders; ${fileCycles.length} file cycle(s) at run time, ${folderCycles.length} folder cycle(s), ${seamBreaks.length} adapter import(s) past the seam`);
  return { code: fileCycles.length + folderCycles.length + seamBreaks.length === 0 ? 0 : 1, stdout, stderr };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rootFlag = process.argv.indexOf('--root');
  const root = rootFlag > 0 ? resolve(process.argv[rootFlag + 1] ?? '.') : resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const { code, stdout, stderr } = checkArrows(root, { graph: process.argv.includes('--graph') });
  for (const line of stdout) console.log(line);
  for (const line of stderr) console.error(line);
  process.exitCode = code;
}
