// The page: talks to the Python worker; the training demo, the drawing pad, checkpoints, playground.
import { EXAMPLES } from "./examples.js";

const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
const pending = new Map();
let nextId = 1;
const $ = (id) => document.getElementById(id);

const ready = new Promise((resolve, reject) => {
  worker.onmessage = ({ data }) => {
    if (data.kind === "ready") return resolve(data.info);
    if (data.kind === "failed") return reject(new Error(data.message));
    const job = pending.get(data.id);
    if (!job) return;
    if (data.kind === "stdout" || data.kind === "stderr") job.onOutput(data.text + "\n", data.kind);
    else if (data.kind === "progress") job.onProgress(JSON.parse(data.json));
    else if (data.kind === "done") { pending.delete(data.id); job.resolve(data); }
    else if (data.kind === "error") { pending.delete(data.id); job.reject(data); }
  };
});

// Run Python in the worker. Resolves to {result} (or {bytes} with binary), rejects with {traceback}.
function python(code, { onOutput = () => {}, onProgress = () => {}, data = null, binary = false } = {}) {
  const id = nextId++;
  const promise = new Promise((resolve, reject) => pending.set(id, { resolve, reject, onOutput, onProgress }));
  worker.postMessage({ id, code, data, binary });
  return promise;
}

// For tests and the console: window.pyfront.run(code) resolves to {output, result} or {output, error}.
window.pyfront = {
  ready,
  run: async (code) => {
    let output = "";
    try {
      const done = await python(code, { onOutput: (text) => { output += text; } });
      return { output, result: done.result };
    } catch (failure) {
      return { output, error: failure.traceback };
    }
  },
};

// -- training demo --------------------------------------------------------------------------------
const history = { loss: [], accuracy: [], test: [] };

function drawChart() {
  const canvas = $("chart"), ctx = canvas.getContext("2d"), w = canvas.width, h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  ctx.strokeStyle = "#dde"; ctx.lineWidth = 1;
  for (let i = 0; i <= 4; i++) { ctx.beginPath(); ctx.moveTo(0, (h * i) / 4); ctx.lineTo(w, (h * i) / 4); ctx.stroke(); }
  const line = (values, max, color) => {
    if (values.length < 2) return;
    ctx.strokeStyle = color; ctx.lineWidth = 2; ctx.beginPath();
    values.forEach((v, i) => {
      const x = (i / (values.length - 1)) * (w - 4) + 2, y = h - 2 - (Math.min(v, max) / max) * (h - 4);
      i ? ctx.lineTo(x, y) : ctx.moveTo(x, y);
    });
    ctx.stroke();
  };
  line(history.loss, Math.max(...history.loss, 0.1), "#e8590c");
  line(history.accuracy, 1, "#1c7ed6");
}

async function train() {
  const button = $("train");
  button.disabled = true;
  history.loss.length = history.accuracy.length = history.test.length = 0;
  const epochs = Number($("epochs").value) || 4;
  $("train-status").textContent = "compiling kernels…";
  try {
    await python(`from js import pyfrontReport\nfrom pyfront.examples import digits_page\n` +
                 `digits_page.train(epochs=${epochs}, report=pyfrontReport)`, {
      onProgress: (p) => {
        if (p.kind === "batch") {
          history.loss.push(p.loss); history.accuracy.push(p.accuracy);
          $("train-status").textContent = `epoch ${p.epoch}/${epochs} · batch ${p.batch}/${p.batches} · ` +
            `loss ${p.loss.toFixed(3)} · accuracy ${(100 * p.accuracy).toFixed(1)}% · ` +
            `${Math.round(p.samples_per_s)} samples/s`;
          drawChart();
        } else {
          history.test.push(p.test_accuracy);
          $("test-accuracy").textContent = `held-out accuracy after epoch ${p.epoch}: ` +
            `${(100 * p.test_accuracy).toFixed(1)}%`;
        }
      },
    });
    $("train-status").textContent += " · done: now draw a digit";
    predict();
  } catch (failure) {
    $("train-status").textContent = failure.traceback;
  } finally {
    button.disabled = false;
  }
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
  try {
    const done = await python(`import json\nfrom pyfront.examples import digits_page\n` +
                              `json.dumps(digits_page.predict(${JSON.stringify(pixels)}))`);
    showProbabilities(JSON.parse(done.result));
  } catch (failure) {
    $("prediction").textContent = failure.traceback;
  }
}

function showProbabilities(probs) {
  const bars = $("bars");
  bars.replaceChildren();
  $("prediction").textContent = probs ? `It looks like a ${probs.indexOf(Math.max(...probs))}` : "Draw a digit";
  for (let d = 0; d < 10; d++) {
    const row = document.createElement("div"), fill = document.createElement("span");
    row.className = "bar-row"; row.dataset.digit = d;
    fill.style.width = `${probs ? (probs[d] * 100).toFixed(1) : 0}%`;
    row.append(`${d}`, fill);
    bars.append(row);
  }
}

// -- checkpoints -----------------------------------------------------------------------------------
async function download() {
  const done = await python("from pyfront.examples import digits_page\ndigits_page.state_dict_bytes()", { binary: true });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([done.bytes], { type: "application/octet-stream" }));
  link.download = "digits_cnn.pt";
  link.click();
  URL.revokeObjectURL(link.href);
}

async function upload(file) {
  const data = new Uint8Array(await file.arrayBuffer());
  try {
    const done = await python("from js import pageData\nfrom pyfront.examples import digits_page\n" +
                              "digits_page.load_state_dict_bytes(pageData.to_bytes())", { data });
    $("checkpoint-status").textContent = `loaded ${file.name}: ${done.result}`;
    predict();
  } catch (failure) {
    $("checkpoint-status").textContent = failure.traceback;
  }
}

// -- playground ------------------------------------------------------------------------------------
function setUpPlayground() {
  const select = $("example"), editor = $("editor"), output = $("output"), button = $("run");
  for (const [name] of EXAMPLES) select.add(new Option(name, name));
  const load = () => { editor.value = EXAMPLES.find(([n]) => n === select.value)[1]; };
  select.onchange = load;
  load();
  button.onclick = async () => {
    button.disabled = true;
    output.textContent = "";
    output.classList.remove("error");
    try {
      await python(editor.value, { onOutput: (text) => { output.textContent += text; } });
    } catch (failure) {
      output.textContent += failure.traceback;
      output.classList.add("error");
    } finally {
      button.disabled = false;
    }
  };
}

function showAdapter(info) {
  const box = $("adapter");
  box.textContent = info.webgpu
    ? `WebGPU: ${info.adapter} · Python ${info.python} · pyfront ${info.version}`
    : `No WebGPU here (${info.reason}); running on the cpu device.`;
  box.className = info.webgpu ? "ok" : "warn";
}

setUpPlayground();
setUpPad();
drawChart();
$("train").onclick = train;
$("download").onclick = download;
$("upload").onchange = (e) => e.target.files[0] && upload(e.target.files[0]);
ready.then((info) => {
  showAdapter(info);
  for (const id of ["run", "train", "download", "upload"]) $(id).disabled = false;
  document.body.dataset.ready = "true";
}).catch((err) => {
  $("adapter").textContent = `Python failed to start: ${err.message}`;
  $("adapter").className = "warn";
});
