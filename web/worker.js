// The Python side of the page: Pyodide and pyfront run here, off the main thread, so the page stays
// responsive while a model trains. Messages in: {id, code}. Messages out: {id, kind, ...}.
import { loadPyodide } from "./pyodide/pyodide.mjs";

const post = (id, kind, data = {}) => self.postMessage({ id, kind, ...data });

async function start() {
  const pyodide = await loadPyodide({ indexURL: new URL("./pyodide/", import.meta.url).href });
  const manifest = await (await fetch("./manifest.json")).json();
  const wheel = await (await fetch(manifest.wheel)).arrayBuffer();
  pyodide.unpackArchive(wheel, "wheel");
  let current = null;  // the id of the run whose output is being captured
  pyodide.setStdout({ batched: (text) => post(current, "stdout", { text }) });
  pyodide.setStderr({ batched: (text) => post(current, "stderr", { text }) });
  await pyodide.runPythonAsync(`
import pyfront, sys
import pyfront.webgpu as _w
await _w.init_async()
`);
  const info = pyodide.runPython(`
import json, pyfront
from pyodide.ffi import can_run_sync
json.dumps({"webgpu": pyfront.webgpu.is_available(),
            "adapter": pyfront.webgpu.get_device_name() if pyfront.webgpu.is_available() else "",
            "reason": pyfront.webgpu.unavailable_reason(), "python": sys.version.split()[0],
            "version": pyfront.__version__})`);
  post(null, "ready", { info: JSON.parse(info) });

  // Python reports progress through this (digits_page.train(report=...)); bytes travel as Uint8Array
  self.pyfrontReport = (json) => post(current, "progress", { json });
  const queue = [];
  let busy = false;
  self.onmessage = (event) => { queue.push(event.data); if (!busy) drain(); };
  async function drain() {
    busy = true;
    while (queue.length) {
      const { id, code, data, binary } = queue.shift();
      current = id;
      self.pageData = data;  // bytes from the page (an uploaded checkpoint), read as js.pageData
      try {
        const result = await pyodide.runPythonAsync(code);
        if (binary) {
          const bytes = result.toJs();
          result.destroy();
          post(id, "done", { bytes });
        } else {
          post(id, "done", { result: result === undefined ? null : String(result) });
          if (result && result.destroy) result.destroy();
        }
      } catch (err) {
        post(id, "error", { traceback: String(err.message || err) });
      }
    }
    busy = false;
  }
}

start().catch((err) => post(null, "failed", { message: String(err && err.stack || err) }));
