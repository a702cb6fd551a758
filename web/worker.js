// The Python side of the page: Pyodide and pyfront run here, off the main thread, so the page stays
// responsive while a model trains. Messages in: {id, code, data, binary, background} or {stop: true}.
// Messages out: {id, kind, ...}: started, stdout, stderr, progress, done, error.
import { loadPyodide } from "./pyodide/pyodide.mjs";
import "./bridge.js";  // pyfront's WebGPU command encoder (pyfront/backends/webgpu/bridge.js, copied here)

const post = (id, kind, data = {}) => self.postMessage({ id, kind, ...data });

async function start() {
  const pyodide = await loadPyodide({ indexURL: new URL("./pyodide/", import.meta.url).href });
  const manifest = await (await fetch("./manifest.json")).json();
  const wheel = await (await fetch(manifest.wheel)).arrayBuffer();
  pyodide.unpackArchive(wheel, "wheel");
  pyodide.FS.writeFile("/home/pyodide/page.py", await (await fetch("./page.py")).text());
  let current = null;  // the id of the job whose output is being captured
  pyodide.setStdout({ batched: (text) => post(current, "stdout", { text }) });
  pyodide.setStderr({ batched: (text) => post(current, "stderr", { text }) });
  await pyodide.runPythonAsync(`
import sys
sys.path.insert(0, "/home/pyodide")
import page
page.install_torch_alias()
import pyfront.webgpu as _w
await _w.init_async()
`);
  const info = JSON.parse(pyodide.runPython(`
import json, sys, pyfront
json.dumps({"webgpu": pyfront.webgpu.is_available(),
            "adapter": pyfront.webgpu.get_device_name() if pyfront.webgpu.is_available() else "",
            "reason": pyfront.webgpu.unavailable_reason(), "python": sys.version.split()[0],
            "version": pyfront.__version__})`));
  const runJob = pyodide.globals.get("page").run_job;
  post(null, "ready", { info, source: manifest.source, wheel: manifest.wheel });

  self.pageStop = false;  // read by the training job between batches

  // Every job starts at once; page.run_job gives them their turns (one at a time, training batch by
  // batch), and says when a job's turn comes, so the page can show what waits.
  self.onmessage = async ({ data: message }) => {
    if (message.stop) { self.pageStop = true; return; }
    const { id, code, data, binary, background } = message;
    if (background) {  // the training job: its progress goes to it, whichever job prints meanwhile
      self.pageStop = false;
      self.pyfrontReport = (json) => post(id, "progress", { json });
    }
    const started = () => { current = id; self.pageData = data; post(id, "started"); };
    let answer;
    try {
      answer = await runJob(code, started, !background, info.webgpu);
      const [ok, value, details] = answer.toJs({ depth: 1 });
      if (!ok) post(id, "error", { message: value, details });
      else if (binary) post(id, "done", { bytes: value.toJs() });
      else post(id, "done", { result: value === undefined || value === null ? null : String(value) });
      if (value && value.destroy) value.destroy();
    } catch (err) {  // not the visitor's code: the worker itself failed
      post(id, "error", { message: String(err.message || err), details: String(err.stack || err) });
    } finally {
      if (answer) answer.destroy();
    }
  };
}

start().catch((err) => post(null, "failed", { message: String(err && err.stack || err) }));
