/**
 * Measuring TypeScript source for `scripts/code-size.ts`: lines per file and per named function, read
 * with the TypeScript compiler's parser so that a brace inside a string or a comment never counts.
 * Pure: text in, figures out; the CLI does the file system.
 */
import ts from 'typescript';

export type FunctionKind = 'function' | 'method' | 'constructor' | 'accessor' | 'arrow' | 'expression';

export interface FunctionSize {
  /** Qualified where a container names it: `HeaderSearch.offer`, `getImportRoute.handle`. */
  readonly name: string;
  readonly kind: FunctionKind;
  /** 1-based line of the function's first token (its doc comment left out). */
  readonly line: number;
  /** Lines from the first token to the last, both included. */
  readonly lines: number;
}

export interface FileSize {
  readonly file: string;
  readonly lines: number;
  readonly functions: readonly FunctionSize[];
}

/** Lines as an editor numbers them: a final line break does not open another line. */
export function countLines(text: string): number {
  if (text === '') return 0;
  const breaks = text.match(/\r\n|\r|\n/g)?.length ?? 0;
  return /(\r\n|\r|\n)$/.test(text) ? breaks : breaks + 1;
}

/**
 * The file's line count and every named function in it: declarations, methods, constructors,
 * accessors, and arrow functions or function expressions given a name by a variable, a property or an
 * assignment. An anonymous callback is part of the function around it and is not listed by itself.
 */
export function measureSource(file: string, text: string): FileSize {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file));
  const functions: FunctionSize[] = [];
  const visit = (node: ts.Node): void => {
    const found = describeFunction(node);
    if (found !== undefined) functions.push({ ...found, ...span(node, source) });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { file, lines: countLines(text), functions };
}

function scriptKindOf(file: string): ts.ScriptKind {
  return file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
}

function span(node: ts.Node, source: ts.SourceFile): { line: number; lines: number } {
  const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
  const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
  return { line: start + 1, lines: end - start + 1 };
}

function describeFunction(node: ts.Node): { name: string; kind: FunctionKind } | undefined {
  if (ts.isFunctionDeclaration(node)) {
    // An overload signature has no body: only the implementation is code.
    if (node.body === undefined) return undefined;
    return { name: node.name?.text ?? 'default', kind: 'function' };
  }
  if (ts.isMethodDeclaration(node)) {
    return node.body === undefined ? undefined : { name: memberName(node), kind: 'method' };
  }
  if (ts.isConstructorDeclaration(node)) {
    return node.body === undefined ? undefined : { name: qualify(node, 'constructor'), kind: 'constructor' };
  }
  if (ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) {
    return node.body === undefined ? undefined : { name: memberName(node), kind: 'accessor' };
  }
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
    const name = assignedName(node);
    if (name === undefined) return undefined;
    return { name, kind: ts.isArrowFunction(node) ? 'arrow' : 'expression' };
  }
  return undefined;
}

/** The name an arrow function or function expression is given, if any. */
function assignedName(node: ts.ArrowFunction | ts.FunctionExpression): string | undefined {
  if (ts.isFunctionExpression(node) && node.name !== undefined) return node.name.text;
  const holder = skipWrappers(node.parent);
  if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) return holder.name.text;
  if (ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) return memberName(holder);
  // `exports.handler = async () => {}`: a function can only stand on the right of `=`.
  if (ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    return holder.left.getText();
  }
  return undefined;
}

/** `(async () => {})`, `fn as Handler`, `fn satisfies Handler`: the wrapper does not change whose it is. */
function skipWrappers(node: ts.Node): ts.Node {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current)
  ) {
    current = current.parent;
  }
  return current;
}

function memberName(
  node:
    | ts.MethodDeclaration
    | ts.GetAccessorDeclaration
    | ts.SetAccessorDeclaration
    | ts.PropertyAssignment
    | ts.PropertyDeclaration,
): string {
  return qualify(node, propertyNameText(node.name));
}

function propertyNameText(name: ts.PropertyName): string {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isPrivateIdentifier(name)) return name.text;
  return name.getText();
}

/**
 * `Container.member`: the class a member belongs to, or the variable an object literal (possibly an
 * argument of a call, as in `defineRoute({ handle })`) is assigned to. Unqualified when neither exists.
 */
function qualify(member: ts.Node, name: string): string {
  const container = member.parent;
  if ((ts.isClassDeclaration(container) || ts.isClassExpression(container)) && container.name) {
    return `${container.name.text}.${name}`;
  }
  if (ts.isObjectLiteralExpression(container)) {
    const owner = objectOwner(container);
    return owner === undefined ? name : `${owner}.${name}`;
  }
  return name;
}

/** The variable or property an object literal ends up in, through calls and wrappers but not functions. */
function objectOwner(literal: ts.ObjectLiteralExpression): string | undefined {
  let current: ts.Node = literal.parent;
  while (
    ts.isCallExpression(current) ||
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current)
  ) {
    current = current.parent;
  }
  if (ts.isVariableDeclaration(current) && ts.isIdentifier(current.name)) return current.name.text;
  if (ts.isPropertyAssignment(current)) return memberName(current);
  return undefined;
}

export interface RankedFunction extends FunctionSize {
  readonly file: string;
}

export interface SizeReport {
  readonly files: number;
  readonly lines: number;
  readonly functions: number;
  readonly largestFiles: readonly { readonly file: string; readonly lines: number }[];
  readonly filesOverLimit: readonly { readonly file: string; readonly lines: number }[];
  readonly longestFunctions: readonly RankedFunction[];
  readonly functionsOverLimit: readonly RankedFunction[];
}

export interface SizeLimits {
  /** How many files and functions the top lists hold. */
  readonly top: number;
  /** A file with more lines than this is listed as over the limit. */
  readonly fileLines: number;
  /** A function with more lines than this is listed as over the limit. */
  readonly functionLines: number;
}

export const DEFAULT_LIMITS: SizeLimits = { top: 10, fileLines: 300, functionLines: 60 };

/** The top lists and everything over the limits, longest first; ties in path and line order. */
export function rankSizes(files: readonly FileSize[], limits: SizeLimits = DEFAULT_LIMITS): SizeReport {
  const byFile = files
    .map(({ file, lines }) => ({ file, lines }))
    .sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file));
  const byFunction = files
    .flatMap(({ file, functions }) => functions.map((fn) => ({ file, ...fn })))
    .sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file) || a.line - b.line);
  return {
    files: files.length,
    lines: files.reduce((sum, { lines }) => sum + lines, 0),
    functions: byFunction.length,
    largestFiles: byFile.slice(0, limits.top),
    filesOverLimit: byFile.filter(({ lines }) => lines > limits.fileLines),
    longestFunctions: byFunction.slice(0, limits.top),
    functionsOverLimit: byFunction.filter(({ lines }) => lines > limits.functionLines),
  };
}
