"""Indexing against torch: ints, slices, None, ..., index lists and tensors, and boolean masks
(read as masks, not as integer indices)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import micrograd as mg


@st.composite
def indexed(draw):
    """A shape and a key of ints, slices, None, ..., int lists, int tensors and boolean masks."""
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=1, max_size=3)))
    parts, dim = [], 0
    ellipsis = False
    for _ in range(draw(st.integers(1, len(shape) + 1))):
        kind = draw(
            st.sampled_from(["int", "slice", "none", "list", "tensor2d", "mask", "ellipsis"])
        )
        if kind == "none":
            parts.append(("none", None))
            continue
        if kind == "ellipsis":
            if not ellipsis:
                parts.append(("ellipsis", None))
                ellipsis = True
            continue
        if dim >= len(shape):
            break
        size = shape[dim]
        if kind == "int":
            parts.append(("int", draw(st.integers(-size, size - 1))))
        elif kind == "slice":
            parts.append(
                (
                    "slice",
                    slice(
                        draw(st.none() | st.integers(-size, size)),
                        draw(st.none() | st.integers(-size, size)),
                        draw(st.none() | st.integers(1, 2)),
                    ),
                )
            )
        elif kind == "list":
            parts.append(
                ("list", draw(st.lists(st.integers(-size, size - 1), min_size=1, max_size=3)))
            )
        elif kind == "tensor2d":
            parts.append(
                (
                    "tensor2d",
                    [
                        draw(st.lists(st.integers(0, size - 1), min_size=2, max_size=2))
                        for _ in range(2)
                    ],
                )
            )
        else:
            width = draw(st.integers(1, len(shape) - dim))
            mask_shape = shape[dim : dim + width]
            parts.append(
                (
                    "mask",
                    (
                        mask_shape,
                        draw(
                            st.lists(
                                st.booleans(),
                                min_size=math.prod(mask_shape),
                                max_size=math.prod(mask_shape),
                            )
                        ),
                    ),
                )
            )
            dim += width - 1
        dim += 1
    return shape, parts


def key_for(lib, parts):
    key = []
    for kind, k in parts:
        if kind == "none":
            key.append(None)
        elif kind == "ellipsis":
            key.append(Ellipsis)
        elif kind == "tensor2d":
            key.append(lib.tensor(k))
        elif kind == "mask":
            mask_shape, flags = k
            key.append(lib.tensor(flags).reshape(mask_shape))
        else:
            key.append(k)
    return tuple(key)


def outcome(lib, shape, parts, write=False):
    t = lib.arange(float(math.prod(shape))).reshape(shape)
    try:
        if write:
            t[key_for(lib, parts)] = -1.0
            return t.tolist()
        result = t[key_for(lib, parts)]
        return tuple(result.shape), result.tolist()
    except (IndexError, RuntimeError) as error:
        return type(error).__name__


@settings(max_examples=400, deadline=None)
@given(indexed())
def test_reading_an_index_matches_torch(torch, case):
    shape, parts = case
    assert outcome(mg, shape, parts) == outcome(torch, shape, parts), parts


@settings(max_examples=200, deadline=None)
@given(indexed())
def test_assigning_through_an_index_matches_torch(torch, case):
    shape, parts = case
    assert outcome(mg, shape, parts, write=True) == outcome(torch, shape, parts, write=True), parts


def test_the_reported_masks():
    t = mg.tensor([-1.0, 2.0, 3.0, -4.0])
    t[t < 0] = 0
    assert t.tolist() == [0.0, 2.0, 3.0, 0.0]
    assert mg.arange(3.0)[mg.tensor([True, False, True])].tolist() == [0.0, 2.0]


def test_gradients_flow_through_masks_and_paired_indices_as_in_torch(torch):
    data = [[0.5, -1.0, 2.0], [1.5, -0.5, 3.0]]
    ours = mg.tensor(data, requires_grad=True)
    theirs = torch.tensor(data, requires_grad=True)
    for t in (ours, theirs):
        picked = t[t > 0] * 2
        paired = t[[0, 1, 1], [2, 0, 2]] ** 2
        (picked.sum() + paired.sum()).backward()
    assert ours.grad.tolist() == theirs.grad.tolist()
    assert ours[ours > 0].grad_fn.name() == theirs[theirs > 0].grad_fn.name() == "IndexBackward0"


def test_a_mask_of_the_wrong_shape_is_refused_as_in_torch():
    with pytest.raises(IndexError, match=r"The shape of the mask \[2\] at index 0 does not match"):
        mg.ones(3)[mg.tensor([True, False])]
    with pytest.raises(IndexError, match="tensors used as indices must be long, int, byte or bool"):
        mg.ones(3)[mg.tensor([0.0, 1.0])]
