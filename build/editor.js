// The playground's editor: CodeMirror 6 with Python highlighting, bundled by build_site.py (esbuild)
// into site/editor.js so the page loads no script from elsewhere (its CSP allows only 'self').
import { basicSetup } from "codemirror";
import { EditorView, keymap } from "@codemirror/view";
import { Prec } from "@codemirror/state";
import { indentWithTab } from "@codemirror/commands";
import { indentUnit } from "@codemirror/language";
import { python } from "@codemirror/lang-python";

// An editor in `parent`; Shift+Enter and Ctrl/Cmd+Enter call onRun, every edit calls onChange(text).
export function createEditor(parent, { doc = "", onRun = () => {}, onChange = () => {} } = {}) {
  const run = () => { onRun(); return true; };
  const view = new EditorView({
    doc,
    parent,
    extensions: [
      Prec.highest(keymap.of([{ key: "Shift-Enter", run }, { key: "Mod-Enter", run }])),
      basicSetup,
      keymap.of([indentWithTab]),
      python(),
      indentUnit.of("    "),  // Python's four spaces (PEP 8), not CodeMirror's default two
      EditorView.contentAttributes.of({ "aria-label": "Python code" }),
      EditorView.updateListener.of((u) => u.docChanged && onChange(u.state.doc.toString())),
    ],
  });
  return {
    view,
    get text() { return view.state.doc.toString(); },
    set text(value) { view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value } }); },
  };
}
