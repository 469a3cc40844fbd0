/**
 * Finds the error codes each HTTP route can raise, by reading the source with the TypeScript checker: from the
 * route's handler it follows every call into the project's own functions and methods (services, repos, policies,
 * state machines, across modules) and collects the codes of `new AppError(...)` (literal codes, literal unions, and
 * the code maps they index). Codes the platform adds by the route's shape (authentication, validation, idempotency,
 * rate limits) are not listed here: src/server/platform/openapi/openapi.ts derives those from the route's config.
 *
 *   npm run openapi:errors          rewrite src/server/platform/openapi/route-errors.ts
 *   npm run openapi:errors -- --check   exit 1 when the committed map is stale
 *   npm run openapi:errors -- --json    print the analysis (the spec test runs it in a child process)
 *
 * test/openapi-spec.db.test.ts runs the same analysis and fails when the committed map differs from it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { errorCatalog } from '../src/server/platform/errors.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const routeErrorsFile = join(root, 'src/server/platform/openapi/route-errors.ts');

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);
const codes = new Set(Object.keys(errorCatalog));
const isCode = (s: string) => codes.has(s);

/** Route key (`POST /api/v1/orders/:id/cancel`) → sorted error codes found behind its handler. */
export type RouteErrors = Record<string, string[]>;

function literalStrings(type: ts.Type): string[] | null {
  const parts = type.isUnion() ? type.types : [type];
  const out: string[] = [];
  for (const p of parts) {
    if (!p.isStringLiteral()) return null;
    out.push(p.value);
  }
  return out;
}

export function analyzeRouteErrors(): { routes: RouteErrors; unresolved: string[] } {
  const config = ts.parseJsonConfigFileContent(
    ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile).config,
    ts.sys,
    root,
  );
  const program = ts.createProgram({
    rootNames: [join(root, 'src/server/app.ts')],
    options: { ...config.options, noEmit: true },
  });
  const checker = program.getTypeChecker();
  const own = (sf: ts.SourceFile) =>
    !sf.isDeclarationFile && sf.fileName.startsWith(join(root, 'src/')) && !sf.fileName.includes('__tests__');

  // ---- prefixes: app.register(<fn>(…), { prefix: X }) in app.ts --------------------------------------------
  const prefixOf = new Map<string, string>();
  const app = program.getSourceFile(join(root, 'src/server/app.ts'))!;
  const visitApp = (n: ts.Node): void => {
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.name.text === 'register' &&
      n.arguments[0] &&
      ts.isCallExpression(n.arguments[0]) &&
      ts.isIdentifier(n.arguments[0].expression)
    ) {
      const fn = n.arguments[0].expression.text;
      let prefix = '';
      const opts = n.arguments[1];
      if (opts && ts.isObjectLiteralExpression(opts)) {
        for (const p of opts.properties)
          if (ts.isPropertyAssignment(p) && p.name.getText() === 'prefix') {
            const lit = literalStrings(checker.getTypeAtLocation(p.initializer));
            if (lit?.length === 1) prefix = lit[0]!;
          }
      }
      prefixOf.set(fn, prefix);
    }
    ts.forEachChild(n, visitApp);
  };
  visitApp(app);

  // ---- codes behind a function, memoized over the call graph ------------------------------------------------
  const memo = new Map<ts.Node, Set<string>>();
  const inProgress = new Set<ts.Node>();

  const codesOfExpression = (e: ts.Expression, into: Set<string>) => {
    const lit = literalStrings(checker.getTypeAtLocation(e));
    if (lit && lit.length < 40) {
      for (const s of lit) if (isCode(s)) into.add(s);
      return;
    }
    // A wide type (`ErrorCode`): take the literals written in the expression and the maps it indexes.
    const walk = (n: ts.Node): void => {
      if (ts.isStringLiteralLike(n) && isCode(n.text)) into.add(n.text);
      if (ts.isIdentifier(n)) {
        const sym = checker.getSymbolAtLocation(n);
        for (const d of sym?.declarations ?? [])
          if (ts.isVariableDeclaration(d) && d.initializer && own(d.getSourceFile()))
            collectLiterals(d.initializer, into);
      }
      ts.forEachChild(n, walk);
    };
    walk(e);
  };
  const collectLiterals = (n: ts.Node, into: Set<string>): void => {
    if (ts.isStringLiteralLike(n) && isCode(n.text)) into.add(n.text);
    ts.forEachChild(n, (c) => collectLiterals(c, into));
  };

  const bodyOf = (d: ts.Declaration): ts.Node | null => {
    if (
      ts.isFunctionDeclaration(d) ||
      ts.isMethodDeclaration(d) ||
      ts.isArrowFunction(d) ||
      ts.isFunctionExpression(d)
    )
      return d.body ?? null;
    if ((ts.isPropertyAssignment(d) || ts.isVariableDeclaration(d)) && d.initializer) {
      const i = d.initializer;
      if (ts.isArrowFunction(i) || ts.isFunctionExpression(i)) return i.body;
    }
    if (ts.isShorthandPropertyAssignment(d)) {
      const sym = checker.getShorthandAssignmentValueSymbol(d);
      for (const dd of sym?.declarations ?? []) {
        const b = bodyOf(dd);
        if (b) return b;
      }
    }
    return null;
  };

  const codesOfBody = (body: ts.Node): Set<string> => {
    const cached = memo.get(body);
    if (cached) return cached;
    const out = new Set<string>();
    if (inProgress.has(body)) return out;
    inProgress.add(body);
    const visit = (n: ts.Node): void => {
      if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'AppError') {
        if (n.arguments?.[0]) codesOfExpression(n.arguments[0], out);
      }
      // A helper that builds the error from a code argument: `throw fail('ORDER_NOT_FOUND')`.
      if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
        const callee = n.expression;
        const sym = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(callee) ? callee.name : callee);
        const target = sym && sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
        for (const d of target?.declarations ?? []) {
          if (!own(d.getSourceFile())) continue;
          const b = bodyOf(d);
          if (b) for (const c of codesOfBody(b)) out.add(c);
        }
        if (ts.isCallExpression(n) && constructsAppError(target))
          for (const a of n.arguments) codesOfExpression(a, out);
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
    inProgress.delete(body);
    memo.set(body, out);
    return out;
  };
  const constructsAppError = (sym: ts.Symbol | undefined) =>
    (sym?.declarations ?? []).some((d) => {
      const b = own(d.getSourceFile()) ? bodyOf(d) : null;
      let found = false;
      const v = (n: ts.Node): void => {
        if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'AppError')
          found = true;
        if (!found) ts.forEachChild(n, v);
      };
      if (b) v(b);
      return found;
    });

  // ---- urls: literals, template literals over `for … of [...] as const` / Object.entries(map), helper parameters
  type Url = { url: string; extra: ts.Node[] };
  const keysOfObject = (e: ts.Expression): string[] | null => {
    const sym = ts.isIdentifier(e) ? checker.getSymbolAtLocation(e) : undefined;
    const d = sym?.declarations?.[0];
    const init = d && ts.isVariableDeclaration(d) ? d.initializer : undefined;
    const obj = init && ts.isAsExpression(init) ? init.expression : init;
    if (!obj || !ts.isObjectLiteralExpression(obj)) return null;
    return obj.properties.map((p) => p.name?.getText().replace(/^['"]|['"]$/g, '') ?? '');
  };
  const stringsOf = (e: ts.Expression): string[] | null => {
    const lit = literalStrings(checker.getTypeAtLocation(e));
    if (lit) return lit;
    if (ts.isNoSubstitutionTemplateLiteral(e) || ts.isStringLiteral(e)) return [e.text];
    if (ts.isTemplateExpression(e)) {
      let acc = [e.head.text];
      for (const span of e.templateSpans) {
        const vals = stringsOf(span.expression);
        if (!vals) return null;
        acc = acc.flatMap((a) => vals.map((v) => a + v + span.literal.text));
      }
      return acc;
    }
    if (ts.isIdentifier(e)) {
      // for (const [path, body] of Object.entries(map)) / for (const k of Object.keys(map))
      const d = checker.getSymbolAtLocation(e)?.declarations?.[0];
      let n: ts.Node | undefined = d;
      while (n && !ts.isForOfStatement(n)) n = n.parent;
      if (n && ts.isForOfStatement(n) && ts.isCallExpression(n.expression)) {
        const callee = n.expression.expression.getText();
        if ((callee === 'Object.entries' || callee === 'Object.keys') && n.expression.arguments[0])
          return keysOfObject(n.expression.arguments[0]);
      }
    }
    return null;
  };
  /** The urls a route registration stands for; a url that is a parameter of a helper comes from its call sites. */
  const urlsOf = (call: ts.CallExpression): Url[] | null => {
    const arg = call.arguments[0]!;
    const direct = stringsOf(arg);
    if (direct) return direct.map((url) => ({ url, extra: [] }));
    if (!ts.isIdentifier(arg)) return null;
    const d = checker.getSymbolAtLocation(arg)?.declarations?.[0];
    if (!d || !ts.isParameter(d)) return null;
    const fn = d.parent;
    const index = fn.parameters.indexOf(d);
    const fnSym =
      ts.isArrowFunction(fn) && ts.isVariableDeclaration(fn.parent)
        ? checker.getSymbolAtLocation(fn.parent.name)
        : ts.isFunctionDeclaration(fn) && fn.name
          ? checker.getSymbolAtLocation(fn.name)
          : undefined;
    if (!fnSym) return null;
    const out: Url[] = [];
    const scan = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && checker.getSymbolAtLocation(n.expression) === fnSym) {
        const urls = n.arguments[index] ? stringsOf(n.arguments[index]) : null;
        const extra = n.arguments.filter((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a));
        for (const url of urls ?? []) out.push({ url, extra });
      }
      ts.forEachChild(n, scan);
    };
    scan(call.getSourceFile());
    return out.length ? out : null;
  };

  // ---- routes: r.get('/path', { …, handler }) --------------------------------------------------------------
  const routes: RouteErrors = {};
  const unresolved: string[] = [];
  for (const sf of program.getSourceFiles()) {
    // Benchmark routes exist only under BENCH_ROUTES=1 (bench/run.ts), never in the served API.
    if (
      !own(sf) ||
      !sf.fileName.startsWith(join(root, 'src/server/')) ||
      sf.fileName.endsWith('bench-routes.ts')
    )
      continue;
    const visit = (n: ts.Node, plugin: string | null): void => {
      if (ts.isFunctionDeclaration(n) && n.name && prefixOf.has(n.name.text)) plugin = n.name.text;
      if (
        ts.isCallExpression(n) &&
        ts.isPropertyAccessExpression(n.expression) &&
        METHODS.has(n.expression.name.text) &&
        n.arguments.length === 2 &&
        ts.isObjectLiteralExpression(n.arguments[1]!)
      ) {
        const opts = n.arguments[1] as ts.ObjectLiteralExpression;
        const handler = opts.properties.find((p) => p.name?.getText() === 'handler');
        if (handler) {
          const method = n.expression.name.text.toUpperCase();
          const urls = urlsOf(n);
          const where = `${sf.fileName.slice(root.length + 1)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
          const b = ts.isPropertyAssignment(handler)
            ? bodyOf(handler)
            : ts.isMethodDeclaration(handler)
              ? handler.body
              : null;
          if (!urls) unresolved.push(`${method} <url not resolved> at ${where}`);
          else if (!b) unresolved.push(`${method} handler is not a function literal at ${where}`);
          else {
            const prefix = plugin ? (prefixOf.get(plugin) ?? '') : '';
            for (const { url, extra } of urls) {
              const found = new Set(codesOfBody(b));
              for (const x of extra) for (const c of codesOfBody(x)) found.add(c);
              const key = `${method} ${prefix}${url}`;
              routes[key] = [...new Set([...(routes[key] ?? []), ...found])].sort();
            }
          }
        }
      }
      ts.forEachChild(n, (c) => visit(c, plugin));
    };
    visit(sf, null);
  }
  return { routes, unresolved };
}

export function renderRouteErrors(routes: RouteErrors): string {
  const keys = Object.keys(routes).sort();
  // Laid out as Biome formats it (110 columns), so `npm run lint` and the generator agree.
  const lines = keys.map((k) => {
    const one = `  '${k}': [${routes[k]!.map((c) => `'${c}'`).join(', ')}],`;
    return one.length <= 110 ? one : `  '${k}': [\n${routes[k]!.map((c) => `    '${c}',\n`).join('')}  ],`;
  });
  return `// Generated by \`npm run openapi:errors\` (scripts/openapi-errors.ts): the error codes each route's handler can
// raise, found by following its calls through the source. Do not edit; re-run the script after changing a handler or
// service. The codes every route of a kind can return (401/403/422/429 …) come from openapi.ts, not from here.
import type { ErrorCode } from '../errors.js';

export const routeErrors: Record<string, readonly ErrorCode[]> = {
${lines.join('\n')}
};
`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { routes, unresolved } = analyzeRouteErrors();
  for (const u of unresolved) console.error(`unresolved: ${u}`);
  if (process.argv.includes('--json')) {
    process.stdout.write(JSON.stringify({ routes, unresolved }));
    process.exit(0);
  }
  const text = renderRouteErrors(routes);
  if (process.argv.includes('--check')) {
    const same = readFileSync(routeErrorsFile, 'utf8') === text;
    console.log(
      same ? 'route-errors.ts is up to date' : 'route-errors.ts is stale: run npm run openapi:errors',
    );
    process.exit(same && !unresolved.length ? 0 : 1);
  }
  writeFileSync(routeErrorsFile, text);
  console.log(`${Object.keys(routes).length} routes written to ${routeErrorsFile.slice(root.length + 1)}`);
  if (unresolved.length) process.exit(1);
}
