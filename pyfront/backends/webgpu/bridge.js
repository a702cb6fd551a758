// The browser driver's JavaScript half (browser.py): a recorded pass crosses from Python once per
// flush, as a command list that this code encodes and submits, instead of one crossing per call.
// A plain script, so it loads both ways: the page's worker imports it (a strict CSP forbids eval),
// and browser.py runs it with `Function` where no worker has.
globalThis.pyfrontBridge = {
  // objects: the GPU objects the commands name by index. commands: a Float64Array of records,
  //   [0, pipeline, bind group, params offset, x, y]: dispatch x * y workgroups in the open pass;
  //   [1, src, src offset, dst, dst offset, size]: copy between buffers (ends the open pass).
  submit(device, queue, objects, commands) {
    const encoder = device.createCommandEncoder();
    const offsets = new Uint32Array(1);
    let pass = null, pipeline = -1, group = -1;
    for (let i = 0; i < commands.length; i += 6) {
      const a = commands[i + 1], b = commands[i + 2], c = commands[i + 3];
      if (commands[i] === 0) {
        if (pass === null) { pass = encoder.beginComputePass(); pipeline = group = -1; }
        if (a !== pipeline) { pass.setPipeline(objects[a]); pipeline = a; }
        if (b !== group || c !== offsets[0]) { offsets[0] = c; pass.setBindGroup(0, objects[b], offsets); group = b; }
        pass.dispatchWorkgroups(commands[i + 4], commands[i + 5], 1);
      } else {
        if (pass !== null) { pass.end(); pass = null; }
        encoder.copyBufferToBuffer(objects[a], b, objects[c], commands[i + 4], commands[i + 5]);
      }
    }
    if (pass !== null) pass.end();
    queue.submit([encoder.finish()]);
  },

  // A bind group of `buffers` (binding i: buffers[i] at ranges[2i], ranges[2i + 1] bytes long): a
  // new one comes with most new tensors, and a flat array crosses faster than nested dictionaries.
  bindGroup(device, layout, buffers, ranges) {
    const entries = buffers.map((buffer, i) => ({
      binding: i, resource: { buffer, offset: ranges[2 * i], size: ranges[2 * i + 1] },
    }));
    return device.createBindGroup({ layout, entries });
  },

  // The first `size` bytes of a MAP_READ staging buffer, copied out; the buffer is unmapped again
  // for reuse. One awaited call where mapAsync, getMappedRange, the copy and unmap were four.
  async read(staging, size) {
    await staging.mapAsync(GPUMapMode.READ, 0, size);
    const bytes = new Uint8Array(staging.getMappedRange(0, size)).slice();
    staging.unmap();
    return bytes;
  },
};
