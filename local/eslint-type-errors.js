// An ESLint rule that reports TypeScript's own errors for each file, from the program the typed
// rules (parserOptions.projectService) have already built and checked: the same diagnostics as
// `tsc --noEmit -p tsconfig.json` (npm run typecheck), without building and checking the whole
// program a second time. npm test runs lint alone for both (about 16 s of CPU less on 2 cores).
const ts = require('typescript');

/** Programs whose whole-program errors (options, globals) were reported already: once each. */
const reportedGlobally = new WeakSet();

/** @type {import('eslint').Rule.RuleModule} */
module.exports = {
  meta: {
    type: 'problem',
    docs: { description: "TypeScript's errors, as tsc --noEmit reports them" },
    schema: [],
  },
  create(context) {
    return {
      Program(node) {
        // Only where the config asked for the project's types: with CI=true typescript-eslint lints a
        // file it parses a second time with an isolated program of that file alone, whose errors
        // (every import unresolved) are not the project's.
        const { project, projectService, programs } = context.languageOptions.parserOptions ?? {};
        if (!project && !projectService && !programs) return;
        const program = context.sourceCode.parserServices?.program;
        const sourceFile = program?.getSourceFile(context.filename);
        if (!program || !sourceFile) return;
        const diagnostics = [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
        if (!reportedGlobally.has(program)) {
          reportedGlobally.add(program);
          diagnostics.push(...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics());
        }
        for (const diagnostic of diagnostics) {
          if (diagnostic.category !== ts.DiagnosticCategory.Error) continue;
          const message = `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
          if (diagnostic.file !== sourceFile || diagnostic.start === undefined) {
            context.report({ node, message });
            continue;
          }
          const start = sourceFile.getLineAndCharacterOfPosition(diagnostic.start);
          const end = sourceFile.getLineAndCharacterOfPosition(diagnostic.start + (diagnostic.length ?? 0));
          context.report({
            loc: { start: { line: start.line + 1, column: start.character }, end: { line: end.line + 1, column: end.character } },
            message,
          });
        }
      },
    };
  },
};
