"""Library-style tensor plumbing: torch.utils._pytree as Hugging Face / torch.func code uses it (tree_map over
nested batches, tree_flatten/tree_unflatten, tree_leaves, tree_map_only, register_pytree_node for a
dataclass, a namedtuple), as_strided sliding windows (im2col and a strided moving average, checked against
unfold), strides, storage offsets and data pointers of views (is_contiguous, memory sharing),
torch.cond's eager branches and torch.where-based control flow, and the byte sizes of tensors."""
import collections
import dataclasses

import torch
import torch.nn.functional as F
import torch.utils._pytree as pytree

Batch = collections.namedtuple("Batch", ["inputs", "labels"])
batch = {"image": torch.arange(6.0).reshape(2, 3), "meta": [torch.tensor([1, 2]), ("id", 7)],
         "pair": Batch(torch.ones(2), torch.zeros(2, dtype=torch.long)), "none": None}
leaves, spec = pytree.tree_flatten(batch)
print("leaves", len(leaves), [type(x).__name__ for x in leaves])
print("spec leaves", spec.num_leaves, spec.num_nodes if hasattr(spec, "num_nodes") else "-")
doubled = pytree.tree_map(lambda x: x * 2 if isinstance(x, torch.Tensor) else x, batch)
print("tree_map", doubled["image"].tolist(), doubled["meta"][1], type(doubled["pair"]).__name__, doubled["pair"].inputs.tolist())
only = pytree.tree_map_only(torch.Tensor, lambda t: t.float().mean().item(), batch)
print("tree_map_only", only)
rebuilt = pytree.tree_unflatten([x + 1 if isinstance(x, int) else x for x in leaves], spec)
print("unflatten", rebuilt["meta"][1], rebuilt["pair"].labels.tolist(), rebuilt["none"])
print("tree_leaves", len(pytree.tree_leaves([1, (2, [3, {"a": 4}])])), pytree.tree_leaves({"b": 1, "a": 2}))
print("tree_structure equal", pytree.tree_structure({"a": 1, "b": [2]}) == pytree.tree_structure({"a": 5, "b": [6]}))
print("all", pytree.tree_all(lambda x: x > 0, [1, (2, 3)]), pytree.tree_any(lambda x: x > 2, [1, (2, 3)]))


@dataclasses.dataclass
class Point:
    x: torch.Tensor
    y: torch.Tensor
    name: str


pytree.register_pytree_node(
    Point,
    lambda p: ([p.x, p.y], p.name),
    lambda children, ctx: Point(children[0], children[1], ctx),
)
p = Point(torch.tensor([1.0, 2.0]), torch.tensor([3.0]), "p0")
moved = pytree.tree_map(lambda t: t * 10, p)
print("dataclass", type(moved).__name__, moved.x.tolist(), moved.y.tolist(), moved.name)
print("dataclass leaves", len(pytree.tree_leaves({"pts": [p, p]})))

# as_strided sliding windows
x = torch.arange(1.0, 11.0)
win = x.as_strided(size=(8, 3), stride=(1, 1))
print("windows", win[:3].tolist(), torch.equal(win, x.unfold(0, 3, 1)))
print("moving average", win.mean(1).tolist())
img = torch.arange(16.0).reshape(1, 1, 4, 4)
patches = img.as_strided(size=(1, 1, 3, 3, 2, 2), stride=(16, 16, 4, 1, 4, 1))
cols = F.unfold(img, kernel_size=2)
print("im2col", torch.equal(patches.reshape(9, 4).t(), cols[0]), patches.shape, patches.stride())
print("offset", x.as_strided((2, 2), (2, 1), 3).tolist(), x[2:].storage_offset(), x[2:].as_strided((2,), (3,)).tolist())
y = torch.zeros(6)
y.as_strided_((2, 2), (1, 2))
print("as_strided_", y.shape, y.stride(), y.is_contiguous())

a = torch.arange(24.0).reshape(2, 3, 4)
for name, v in [("t", a.transpose(0, 2)), ("slice", a[:, 1:, ::2]), ("permute", a.permute(2, 0, 1)),
                ("expand", a[:, :1].expand(2, 3, 4)), ("narrow", a.narrow(2, 1, 2)), ("view", a.view(6, 4)),
                ("channels_last", torch.zeros(2, 3, 4, 5).contiguous(memory_format=torch.channels_last))]:
    print(f"{name:14s} {tuple(v.shape)} {v.stride()} off {v.storage_offset()} contig {v.is_contiguous()} "
          f"shares {v.untyped_storage().data_ptr() == a.untyped_storage().data_ptr()}")
c = a[:, 1]
print("data_ptr", c.data_ptr() - a.data_ptr(), c.element_size(), c.nbytes, c.itemsize, a.untyped_storage().nbytes())
print("contiguous copy", c.contiguous().data_ptr() == c.data_ptr(), a.contiguous().data_ptr() == a.data_ptr())
print("sizes", torch.zeros(3, dtype=torch.float16).nbytes, torch.zeros(2, 2, dtype=torch.complex64).element_size(),
      torch.zeros(5, dtype=torch.bool).nbytes)


def true_fn(x):
    return x.sin() * 2


def false_fn(x):
    return x.cos() - 1


for v in (torch.tensor([0.5, 1.0]), torch.tensor([-3.0, 1.0])):
    out = torch.cond(v.sum() > 0, true_fn, false_fn, (v,))
    print("cond", [round(t, 6) for t in out.tolist()])
# (torch 2.13's cond of an operand that requires grad goes through its compiler: an error without one)
g = torch.tensor([0.2, -0.4], requires_grad=True)
print("where control", torch.where(g > 0, true_fn(g), false_fn(g)).tolist())
