// The page: talks to the Python worker; the training demo, the drawing pad, checkpoints, playground.
import { EXAMPLES } from "./examples.js";
import { createEditor } from "./editor.js";
import { drawChart } from "./chart.js";

const jobs = new Map();  // id -> {label, running, resolve, reject, onOutput, onProgress}
let nextId = 1;
let info = { webgpu: false };
const $ = (id) => document.getElementById(id);

// Python runs in a Web Worker. A Run that never ends (`while True: pass`) cannot be interrupted inside
// it (that needs cross-origin isolation, which a plain static server does not give), so stopping a Run
// ends the worker and starts a fresh one.
let worker, ready;
function startPython() {
  worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  ready = new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => {
      if (data.kind === "ready") return resolve(data);
      if (data.kind === "failed") return reject(new Error(data.message));
      const job = jobs.get(data.id);
      if (!job) return;
      if (data.kind === "started") job.running = true;
      else if (data.kind === "stdout" || data.kind === "stderr") job.onOutput(data.text + "\n", data.kind);
      else if (data.kind === "progress") job.onProgress(JSON.parse(data.json));
      else if (data.kind === "done") { jobs.delete(data.id); job.resolve(data); }
      else if (data.kind === "error") { jobs.delete(data.id); job.reject(data); }
      showQueue();
    };
  });
  return ready;
}
startPython();

// Run Python in the worker. Resolves to {result} (or {bytes} with binary); rejects with {message, details}:
// the visitor's frames and the final message, and the whole traceback.
function python(code, { label = "a job", onOutput = () => {}, onProgress = () => {}, data = null,
                        binary = false, background = false } = {}) {
  const id = nextId++;
  const promise = new Promise((resolve, reject) =>
    jobs.set(id, { label, running: false, background, resolve, reject, onOutput, onProgress }));
  worker.postMessage({ id, code, data, binary, background });
  showQueue();
  return promise;
}

// What Python is doing and what waits for its turn (training lets one job run between two batches).
function showQueue() {
  const all = [...jobs.values()];
  const running = all.filter((j) => j.running && !j.background).map((j) => j.label);
  const waiting = all.filter((j) => !j.running).map((j) => j.label);
  const training = all.some((j) => j.background);
  const parts = [];
  if (training) parts.push("training runs in the background");
  if (running.length) parts.push(`running: ${running.join(", ")}`);
  if (waiting.length) parts.push(`waiting for a turn: ${waiting.join(", ")}` +
                                 (training ? " (next, between two training batches)" : ""));
  $("queue").textContent = parts.length ? `Python: ${parts.join(" · ")}` : "";
  $("stop-run").disabled = !all.some((j) => j.label === "Run");
}

// For tests and the console: window.pyfront.run(code) resolves to {output, result} or {output, error, details}.
window.pyfront = {
  ready,
  run: async (code) => {
    let output = "";
    try {
      const done = await python(code, { label: "console", onOutput: (text) => { output += text; } });
      return { output, result: done.result };
    } catch (failure) {
      return { output, error: failure.message, details: failure.details };
    }
  },
};

// An error as a few lines (the visitor's frames, the message) with the whole traceback folded away.
function errorBlock(failure) {
  const block = document.createElement("div"), short = document.createElement("pre");
  block.className = "error";
  short.textContent = failure.message;
  block.append(short);
  if (failure.details && failure.details !== failure.message) {
    const details = document.createElement("details"), summary = document.createElement("summary"),
      full = document.createElement("pre");
    summary.textContent = "details";
    full.textContent = failure.details;
    details.append(summary, full);
    block.append(details);
  }
  return block;
}
// The exception's text without the frames above it (a load_state_dict error lists its keys below), its
// type without the module it lives in (UnpicklingError, not _pickle.UnpicklingError).
function message(failure) {
  const lines = failure.message.trimEnd().split("\n"), first = lines.findIndex((l) => !l.startsWith(" "));
  return lines.slice(Math.max(first, 0)).join("\n").replace(/^[\w.]+\.(\w+:)/, "$1");
}

// -- training demo --------------------------------------------------------------------------------
const curve = { loss: [], accuracy: [], test: [] };  // per step; test: [step, accuracy] per epoch
let checkpointName = null;

async function train() {
  const epochs = Math.max(1, Number($("epochs").value) || 4);
  $("train").disabled = $("reset").disabled = true;
  $("stop").disabled = false;
  const offset = curve.loss.length;
  let last = null;
  $("train-status").textContent = (checkpointName ? `continuing from ${checkpointName}; ` :
    offset ? "continuing from the model trained so far; " : "") + "compiling kernels…";
  try {
    const done = await python(
      "import json, js, page\nfrom pyfront.examples import digits_page\n" +
      `json.dumps(await digits_page.train(epochs=${epochs}, report=js.pyfrontReport, lock=page.LOCK, ` +
      "should_stop=lambda: js.pageStop))",
      {
        label: "training", background: true,
        onProgress: (p) => {
          if (p.kind === "batch") {
            last = p;
            curve.loss.push(p.batch_loss); curve.accuracy.push(p.batch_accuracy);
            $("train-status").textContent = `epoch ${p.epoch}/${epochs} · batch ${p.batch}/${p.batches} · ` +
              `loss ${p.loss.toFixed(3)} · accuracy ${(100 * p.accuracy).toFixed(1)}% · ` +
              `${Math.round(p.samples_per_s)} samples/s`;
          } else {
            curve.test.push([curve.loss.length, p.test_accuracy]);
            $("test-accuracy").textContent = `held-out accuracy after epoch ${p.epoch}: ` +
              `${(100 * p.test_accuracy).toFixed(1)}%`;
          }
          drawChart($("chart"), curve);
        },
      });
    const outcome = JSON.parse(done.result);
    $("train-status").textContent += outcome.stopped
      ? ` · stopped at epoch ${last ? last.epoch : 1}, batch ${last ? last.batch : 0}: the model keeps what it ` +
        "learned, and Train continues from here"
      : " · done: now draw a digit";
    predict();
  } catch (failure) {
    $("train-status").textContent = `training failed: ${message(failure)}`;
  } finally {
    $("train").disabled = $("reset").disabled = !info.webgpu;
    $("stop").disabled = true;
  }
}

function stop() {
  worker.postMessage({ stop: true });
  $("stop").disabled = true;
  $("train-status").textContent += " · stopping after this batch…";
}

async function startOver() {
  await python("from pyfront.examples import digits_page\ndigits_page.reset()", { label: "start over" });
  curve.loss.length = curve.accuracy.length = curve.test.length = 0;
  checkpointName = null;
  drawChart($("chart"), curve);
  $("test-accuracy").textContent = "";
  $("train-status").textContent = "A fresh model: not trained yet.";
  predict();
}

// -- the drawing pad --------------------------------------------------------------------------------
function setUpPad() {
  const pad = $("pad"), ctx = pad.getContext("2d");
  const clear = () => { ctx.fillStyle = "black"; ctx.fillRect(0, 0, pad.width, pad.height); showProbabilities(null); };
  clear();
  let drawing = false;
  const at = (e) => { const r = pad.getBoundingClientRect(); return [(e.clientX - r.left) * pad.width / r.width, (e.clientY - r.top) * pad.height / r.height]; };
  pad.onpointerdown = (e) => { drawing = true; ctx.beginPath(); ctx.moveTo(...at(e)); pad.setPointerCapture(e.pointerId); };
  pad.onpointermove = (e) => {
    if (!drawing) return;
    ctx.strokeStyle = "white"; ctx.lineWidth = 22; ctx.lineCap = ctx.lineJoin = "round";
    ctx.lineTo(...at(e)); ctx.stroke();
  };
  pad.onpointerup = () => { drawing = false; predict(); };
  $("clear").onclick = clear;
}

// The digits are 8x8 with intensities 0..16: average the drawing's bounding square into 8x8 blocks.
function padPixels() {
  const pad = $("pad"), { data, width, height } = pad.getContext("2d").getImageData(0, 0, pad.width, pad.height);
  let [x0, y0, x1, y1] = [width, height, 0, 0];
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    if (data[(y * width + x) * 4] > 40) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
  }
  if (x1 < x0) return null;
  const side = Math.max(x1 - x0, y1 - y0) * 1.25 + 1, cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  const pixels = [];
  for (let by = 0; by < 8; by++) for (let bx = 0; bx < 8; bx++) {
    let sum = 0, n = 0;
    for (let s = 0; s < 6; s++) for (let t = 0; t < 6; t++) {
      const x = Math.round(cx - side / 2 + ((bx + (t + 0.5) / 6) * side) / 8), y = Math.round(cy - side / 2 + ((by + (s + 0.5) / 6) * side) / 8);
      if (x >= 0 && y >= 0 && x < width && y < height) sum += data[(y * width + x) * 4] / 255;
      n++;
    }
    pixels.push(Math.min(1, (sum / n) * 1.6));
  }
  return pixels;
}

async function predict() {
  const pixels = padPixels();
  if (!pixels) return;
  if (!info.webgpu) {
    $("prediction").textContent = "Reading a drawing needs WebGPU (see the line at the top).";
    return;
  }
  $("prediction").textContent = "Looking…";
  try {
    const done = await python(`import json\nfrom pyfront.examples import digits_page\n` +
                              `json.dumps(digits_page.predict(${JSON.stringify(pixels)}))`, { label: "your drawing" });
    showProbabilities(JSON.parse(done.result));
  } catch (failure) {
    $("prediction").textContent = message(failure);
  }
}

function showProbabilities(probs) {
  const bars = $("bars"), best = probs ? probs.indexOf(Math.max(...probs)) : -1;
  bars.replaceChildren();
  $("prediction").textContent = probs ? `It looks like a ${best}` : "Draw a digit";
  for (let d = 0; d < 10; d++) {
    const row = document.createElement("div"), fill = document.createElement("span"), value = document.createElement("em");
    row.className = "bar-row" + (d === best ? " best" : ""); row.dataset.digit = d;
    fill.style.width = `${probs ? (probs[d] * 100).toFixed(1) : 0}%`;
    value.textContent = probs ? `${(probs[d] * 100).toFixed(1)}%` : "";
    const track = document.createElement("i");
    track.append(fill);
    row.append(`${d}`, track, value);
    bars.append(row);
  }
}

// -- checkpoints -----------------------------------------------------------------------------------
async function download(format) {
  try {
    const done = await python(`from pyfront.examples import digits_page\ndigits_page.state_dict_bytes("${format}")`,
                              { label: "download", binary: true });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([done.bytes], { type: "application/octet-stream" }));
    link.download = `digits_cnn.${format}`;
    link.click();
    URL.revokeObjectURL(link.href);
  } catch (failure) {
    $("checkpoint-status").textContent = `could not save: ${message(failure)}`;
  }
}

async function upload(file) {
  const data = new Uint8Array(await file.arrayBuffer());
  $("checkpoint-status").textContent = `loading ${file.name}…`;
  try {
    const done = await python("from js import pageData\nimport page\n" +
                              `page.load_checkpoint(pageData.to_bytes(), ${JSON.stringify(file.name)})`,
                              { label: "loading a checkpoint", data });
    checkpointName = file.name;
    curve.loss.length = curve.accuracy.length = curve.test.length = 0;
    drawChart($("chart"), curve);
    $("test-accuracy").textContent = "";
    $("checkpoint-status").textContent = `loaded ${file.name}: ${done.result}. ` +
      (info.webgpu ? "Draw a digit to try it; Train continues from it." : "");
    $("train-status").textContent = `The model is ${file.name}; Train continues from it.`;
    predict();
  } catch (failure) {
    $("checkpoint-status").textContent = `could not load ${file.name}: ${message(failure)}`;
  } finally {
    $("upload").value = "";
  }
}

// -- playground ------------------------------------------------------------------------------------
const STORE = "pyfront.playground";

function encodeCode(text) {
  const bytes = new TextEncoder().encode(text);
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}
function decodeCode(text) {
  const bin = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

// A Run's printed text, drawn at most every 50 ms and capped to its last MAX_OUTPUT characters: a loop
// that prints 100,000 lines otherwise rebuilds the whole text per line and freezes the tab for minutes.
const MAX_OUTPUT = 100_000;
function outputSink(pre) {
  let shown = "", pending = "", dropped = 0, timer = null;
  const flush = () => {
    clearTimeout(timer);
    timer = null;
    if (!pending) return;
    shown += pending;
    pending = "";
    if (shown.length > MAX_OUTPUT) {
      const cut = shown.indexOf("\n", shown.length - MAX_OUTPUT) + 1 || shown.length - MAX_OUTPUT;
      dropped += shown.slice(0, cut).split("\n").length - 1;
      shown = shown.slice(cut);
    }
    pre.textContent = (dropped ? `… ${dropped.toLocaleString("en")} earlier lines not shown\n` : "") + shown;
  };
  const add = (text) => {
    pending += text;
    timer ??= setTimeout(flush, 50);
  };
  return { add, flush };
}

function setUpPlayground() {
  const select = $("example"), output = $("output"), button = $("run");
  EXAMPLES.forEach((example, i) => select.add(new Option(example.title, i)));
  const saved = JSON.parse(localStorage.getItem(STORE) || "null");
  const shared = new URLSearchParams(location.hash.slice(1)).get("code");
  let start = EXAMPLES[0].code;
  if (shared !== null) {  // a share link: its code becomes the visitor's own (kept, the link cleaned)
    start = decodeCode(shared);
    history.replaceState(null, "", location.pathname);
  } else if (saved) { start = saved.text; select.value = saved.example; }
  const explain = () => { $("explain").innerHTML = EXAMPLES[select.value].explain; };
  const keep = (text) => localStorage.setItem(STORE, JSON.stringify({ example: select.value, text }));
  const run = async () => {
    if (button.disabled) return;
    button.disabled = true;
    output.replaceChildren();
    const out = document.createElement("pre"), sink = outputSink(out);
    output.append(out);
    try {
      await python(editor.text, { label: "Run", onOutput: sink.add });
      sink.flush();
      if (!out.textContent) out.textContent = "(no output: print() shows values)";
    } catch (failure) {
      sink.flush();
      output.append(errorBlock(failure));
    } finally {
      button.disabled = document.body.dataset.ready !== "true";  // off while a stopped Python restarts
    }
  };
  const editor = createEditor($("editor"), { doc: start, onRun: run, onChange: keep });
  keep(start);
  window.pyfront.editor = editor;  // for tests and the console: .text reads and replaces the code
  select.onchange = () => { editor.text = EXAMPLES[select.value].code; explain(); };
  explain();
  button.onclick = run;
  $("share").onclick = () => {
    const url = `${location.origin}${location.pathname}#code=${encodeCode(editor.text)}`;
    const field = $("share-link");
    field.hidden = false; field.value = url; field.select();
    navigator.clipboard?.writeText(url).catch(() => {});
  };
}

// Stop a Run: end Python's worker and start a fresh one (what Python held, the trained model too, is lost).
const RESTARTED = "Stopped: Python was restarted, so variables, imports and the trained model start afresh.";
async function restartPython() {
  worker.terminate();
  info = { webgpu: false };  // until the new worker is ready: the jobs' finally blocks keep buttons off
  for (const id of ["run", "train", "reset", "download", "download-safetensors", "upload"]) $(id).disabled = true;
  for (const job of jobs.values()) job.reject({ message: RESTARTED, details: "" });
  jobs.clear();
  showQueue();
  curve.loss.length = curve.accuracy.length = curve.test.length = 0;
  checkpointName = null;
  drawChart($("chart"), curve);
  $("test-accuracy").textContent = "";
  document.body.dataset.ready = "false";
  window.pyfront.ready = startPython();
  await ready.then(pythonReady);
  $("train-status").textContent = "Python was restarted to stop a Run: the model starts afresh.";
}

function pythonReady(message) {
  showAdapter(message);
  for (const id of ["run", "download", "download-safetensors", "upload"]) $(id).disabled = false;
  for (const id of ["train", "reset"]) $(id).disabled = !info.webgpu;
  if (!info.webgpu) $("train-status").textContent = "Training needs WebGPU (see the line at the top).";
  document.body.dataset.ready = "true";
}

function showAdapter({ info: i, source, wheel }) {
  info = i;
  const box = $("adapter");
  if (info.webgpu) {
    box.textContent = `WebGPU: ${info.adapter} · Python ${info.python} · pyfront ${info.version}`;
  } else {
    box.textContent = "WebGPU is missing in this browser, so nothing can be computed here: training, reading " +
      "a drawing and the playground's math need it. Chrome and Edge have WebGPU (version 137 or later for " +
      "this page; on Linux enable chrome://flags/#enable-unsafe-webgpu); Safari 26 and Firefox 141 have it " +
      "too. What works here without it: creating and printing tensors, building and printing models, and " +
      "downloading and loading checkpoints.";
  }
  box.className = info.webgpu ? "ok" : "warn";
  $("source").href = source || wheel;
  $("source").textContent = source ? "Source" : "Source (the pure-Python wheel this page runs)";
}

setUpPlayground();
setUpPad();
drawChart($("chart"), curve);
window.addEventListener("resize", () => drawChart($("chart"), curve));  // its width in units follows the screen
$("train").onclick = train;
$("stop").onclick = stop;
$("reset").onclick = startOver;
$("download").onclick = () => download("pt");
$("download-safetensors").onclick = () => download("safetensors");
$("upload").onchange = (e) => e.target.files[0] && upload(e.target.files[0]);
$("stop-run").onclick = restartPython;
ready.then(pythonReady).catch((err) => {
  $("adapter").textContent = `Python failed to start: ${err.message.split("\n")[0]}`;
  $("adapter").className = "warn";
});
