// The training chart, as a few SVG elements: loss (left axis) and accuracy in % (right axis) against the
// step (one batch), smoothed across epoch boundaries, with the held-out accuracy after each epoch as dots.
const NS = "http://www.w3.org/2000/svg";
const H = 220, L = 52, R = 52, B = 42;  // height and margins, in viewBox units
const COLORS = { loss: "#e8590c", accuracy: "#1c7ed6", test: "#2b8a3e", grid: "#e9ecef", ink: "#5b6475" };

function el(parent, name, attrs, text) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  parent.append(node);
  return node;
}

// A round tick spacing (1, 2 or 5 times a power of ten) giving about `count` ticks up to `max`.
function tickStep(max, count) {
  const raw = max / count, power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
}

// An exponential moving average with bias correction: no jump at an epoch boundary, no ramp from 0.
function smooth(values, beta = 0.9) {
  let m = 0;
  return values.map((v, i) => { m = beta * m + (1 - beta) * v; return m / (1 - beta ** (i + 1)); });
}

// The chart's width in viewBox units follows its width on screen (560 at most), so its 11-unit text stays
// about 11 px on a phone, where a 560-wide viewBox shrank it to 7 px; the legend then takes two rows.
export function drawChart(svg, { loss, accuracy, test }) {
  svg.replaceChildren();
  const W = Math.round(Math.min(560, Math.max(320, svg.clientWidth || 560)));
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const legend = [["loss", COLORS.loss, "training loss"], ["acc", COLORS.accuracy, "training accuracy"],
                  ["test", COLORS.test, "held-out accuracy (after each epoch)"]];
  let lx = L, ly = 8;
  const places = legend.map(([, , label]) => {
    const width = 14 + label.length * 5.6 + 16;  // about 5.6 units per character at 11 px
    if (lx > L && lx + width - 16 > W - 8) { lx = L; ly += 16; }
    const place = [lx, ly];
    lx += width;
    return place;
  });
  const T = ly + 20;
  const steps = Math.max(loss.length, 10), xStep = tickStep(steps, 6), xMax = Math.ceil(steps / xStep) * xStep;
  const smoothLoss = smooth(loss), smoothAcc = smooth(accuracy);
  const top = Math.max(0.5, ...smoothLoss), yStep = tickStep(top, 4), lossMax = Math.ceil(top / yStep) * yStep;
  const x = (s) => L + (s / xMax) * (W - L - R);
  const yLoss = (v) => H - B - (Math.min(v, lossMax) / lossMax) * (H - T - B);
  const yAcc = (a) => H - B - a * (H - T - B);

  for (let v = 0; v <= lossMax + 1e-9; v += yStep) {  // grid lines on the loss ticks, labels both sides
    el(svg, "line", { x1: L, x2: W - R, y1: yLoss(v), y2: yLoss(v), stroke: COLORS.grid });
    el(svg, "text", { x: L - 6, y: yLoss(v) + 4, "text-anchor": "end", fill: COLORS.loss, "font-size": 11 },
      v.toFixed(yStep < 1 ? 1 : 0));
  }
  for (let a = 0; a <= 100; a += 25) {
    el(svg, "text", { x: W - R + 6, y: yAcc(a / 100) + 4, fill: COLORS.accuracy, "font-size": 11 }, `${a}%`);
  }
  for (let s = 0; s <= xMax; s += xStep) {
    el(svg, "line", { x1: x(s), x2: x(s), y1: H - B, y2: H - B + 4, stroke: COLORS.ink });
    el(svg, "text", { x: x(s), y: H - B + 16, "text-anchor": "middle", fill: COLORS.ink, "font-size": 11 }, `${s}`);
  }
  el(svg, "line", { x1: L, x2: W - R, y1: H - B, y2: H - B, stroke: COLORS.ink });
  el(svg, "text", { x: (L + W - R) / 2, y: H - 6, "text-anchor": "middle", fill: COLORS.ink, "font-size": 12 },
    "step (one batch of 64 digits)");
  el(svg, "text", { x: 14, y: (T + H - B) / 2, "text-anchor": "middle", fill: COLORS.loss, "font-size": 12,
    transform: `rotate(-90 14 ${(T + H - B) / 2})` }, "loss (cross-entropy)");
  el(svg, "text", { x: W - 10, y: (T + H - B) / 2, "text-anchor": "middle", fill: COLORS.accuracy, "font-size": 12,
    transform: `rotate(90 ${W - 10} ${(T + H - B) / 2})` }, "accuracy (%)");

  const path = (values, y, color) => values.length > 1 && el(svg, "polyline", {
    points: values.map((v, i) => `${x(i + 1).toFixed(1)},${y(v).toFixed(1)}`).join(" "),
    fill: "none", stroke: color, "stroke-width": 2, "stroke-linejoin": "round" });
  path(smoothLoss, yLoss, COLORS.loss);
  path(smoothAcc, yAcc, COLORS.accuracy);
  if (test.length > 1) {
    el(svg, "polyline", { points: test.map(([s, a]) => `${x(s)},${yAcc(a)}`).join(" "), fill: "none",
      stroke: COLORS.test, "stroke-width": 1.5, "stroke-dasharray": "4 3" });
  }
  for (const [s, a] of test) el(svg, "circle", { cx: x(s), cy: yAcc(a), r: 4, fill: COLORS.test, class: "test-point" });

  legend.forEach(([, color, label], i) => {
    const [x0, y0] = places[i];
    el(svg, "rect", { x: x0, y: y0, width: 10, height: 10, fill: color, rx: 2 });
    el(svg, "text", { x: x0 + 14, y: y0 + 9, fill: COLORS.ink, "font-size": 11 }, label);
  });
  if (!loss.length) {
    el(svg, "text", { x: (L + W - R) / 2, y: (T + H - B) / 2, "text-anchor": "middle", fill: COLORS.ink,
      "font-size": 13 }, W < 480 ? "press Train to see the curves" :
      "press Train: the curves appear here as the model learns");
  }
}
