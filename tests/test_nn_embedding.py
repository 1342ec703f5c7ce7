"""nn.Embedding and F.embedding against torch: lookups with index tensors of any shape, the
gradient of each row, padding_idx, from_pretrained, reprs, errors; the docs' example and a
bag-of-words classifier compared line by line."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import micrograd
from micrograd.core.errors import NotSupported
from pytorch_harness import same_output

WEIGHT = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.75], [3.0, 1.0, 0.0], [-2.0, 0.5, 1.25]]


def lookup(lib, indices, padding_idx=None):
    """out, grad_fn name and the weight's gradient of Σ out · (1, 2, ...)."""
    w = lib.tensor(WEIGHT, dtype=lib.float64, requires_grad=True)
    out = lib.nn.functional.embedding(lib.tensor(indices), w, padding_idx=padding_idx)
    weights = lib.arange(1.0, out.numel() + 1, dtype=lib.float64).reshape(out.shape)
    (out * weights).sum().backward()
    return out.tolist(), tuple(out.shape), type(out.grad_fn).__name__, w.grad.tolist()


INDICES = st.integers(0, 3)
SHAPES = st.one_of(
    INDICES,
    st.lists(INDICES, min_size=1, max_size=5),
    st.lists(st.lists(INDICES, min_size=2, max_size=2), min_size=1, max_size=3),
)


@settings(max_examples=30, deadline=None)
@given(indices=SHAPES, padding=st.sampled_from([None, 0, 2, -1]))
def test_a_lookup_and_its_gradient_are_torchs(torch, indices, padding):
    assert lookup(micrograd, indices, padding) == lookup(torch, indices, padding)


def test_the_docs_example_with_padding(torch):
    # torch.nn.Embedding's docs: the padding row is zeros and gets no gradient
    for lib in (micrograd, torch):
        embedding = lib.nn.Embedding(10, 3, padding_idx=0)
        assert embedding.weight[0].tolist() == [0.0, 0.0, 0.0]
        out = embedding(lib.tensor([[0, 2, 0, 5]]))
        out.sum().backward()
        assert embedding.weight.grad[0].tolist() == [0.0, 0.0, 0.0]
        assert embedding.weight.grad[2].tolist() == [1.0, 1.0, 1.0]
        assert repr(embedding) == "Embedding(10, 3, padding_idx=0)"
        assert lib.nn.Embedding(10, 3, padding_idx=-1).padding_idx == 9


def test_a_lookup_reads_the_weight_directly(torch):
    for lib in (micrograd, torch):
        out = lib.nn.Embedding(4, 3)(lib.tensor([[1, 2], [3, 3]]))
        assert [type(f).__name__ for f, _ in out.grad_fn.next_functions] == ["AccumulateGrad"]


def test_from_pretrained_is_torchs(torch):
    for lib in (micrograd, torch):
        weight = lib.tensor([[1.0, 2.3, 3.0], [4.0, 5.1, 6.3]])
        frozen = lib.nn.Embedding.from_pretrained(weight)
        assert not frozen.weight.requires_grad
        assert repr(frozen) == "Embedding(2, 3)"
        assert frozen(lib.tensor([1])).grad_fn is None
        learnt = lib.nn.Embedding.from_pretrained(weight, freeze=False)
        assert learnt.weight.requires_grad
        assert type(learnt(lib.tensor([1])).grad_fn).__name__ == "EmbeddingBackward0"
        assert list(learnt.state_dict()) == ["weight"]


ERRORS = [
    (lambda lib: lib.nn.Embedding(4, 2)(lib.tensor([4])), IndexError),
    (lambda lib: lib.nn.Embedding(4, 2)(lib.tensor([[0, -1]])), IndexError),
    (lambda lib: lib.nn.Embedding(4, 2)(lib.tensor([1.0])), RuntimeError),
    (lambda lib: lib.nn.Embedding(4, 2)(lib.tensor([1.0], dtype=lib.float64)), RuntimeError),
    (lambda lib: lib.nn.Embedding(4, 2, padding_idx=4), AssertionError),
    (lambda lib: lib.nn.Embedding(4, 2, padding_idx=-5), AssertionError),
    (lambda lib: lib.nn.Embedding.from_pretrained(lib.zeros(3)), AssertionError),
    (lambda lib: lib.nn.Embedding(4, 2, _weight=lib.zeros(3, 2)), AssertionError),
]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_bad_input_gets_torchs_error(torch, index):
    make, kind = ERRORS[index]
    with pytest.raises(kind) as theirs:
        make(torch)
    with pytest.raises(kind) as mine:
        make(micrograd)
    assert str(mine.value) == str(theirs.value)


@pytest.mark.parametrize(
    "option, name",
    [
        ({"max_norm": 1.0}, "max_norm"),
        ({"sparse": True}, "sparse"),
        ({"scale_grad_by_freq": True}, "scale_grad_by_freq"),
    ],
)
def test_the_options_micrograd_lacks_are_named(option, name):
    with pytest.raises(NotSupported, match=name):
        micrograd.nn.Embedding(4, 2, **option)
    with pytest.raises(NotSupported, match=name):
        micrograd.nn.functional.embedding(micrograd.tensor([0]), micrograd.zeros(4, 2), **option)


# torch.nn.Embedding's docs example: a batch of 2 samples of 4 indices each
DOCS_EXAMPLE = """
import torch
import torch.nn as nn
embedding = nn.Embedding(10, 3)
input = torch.LongTensor([[1, 2, 4, 5], [4, 3, 2, 9]])
print(embedding(input))
print(embedding)
embedding = nn.Embedding(10, 3, padding_idx=0)
input = torch.LongTensor([[0, 2, 0, 5]])
print(embedding(input))
padding_idx = 0
embedding = nn.Embedding(3, 3, padding_idx=padding_idx)
print(embedding.weight)
with torch.no_grad():
    embedding.weight[padding_idx] = torch.ones(3)
print(embedding.weight)
weight = torch.FloatTensor([[1, 2.3, 3], [4, 5.1, 6.3]])
embedding = nn.Embedding.from_pretrained(weight)
input = torch.LongTensor([1])
print(embedding(input))
"""


def test_the_embedding_docs_example(torch):
    same_output(DOCS_EXAMPLE)


# a bag-of-words text classifier (the pytorch tutorials' word-embeddings chapter, mean of the
# word vectors as in EmbeddingBag's mode='mean'), two SGD steps
BAG_OF_WORDS = """
import torch
import torch.nn as nn
import torch.nn.functional as F
vocab = {"me": 0, "gusta": 1, "comer": 2, "en": 3, "la": 4, "cafeteria": 5, "give": 6,
         "it": 7, "to": 8, "no": 9}
data = [("me gusta comer en la cafeteria".split(), 0), ("give it to me".split(), 1),
        ("no me gusta".split(), 0), ("it to la".split(), 1)]


class BagOfWords(nn.Module):
    def __init__(self, vocab_size, dim, labels):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, dim)
        self.linear = nn.Linear(dim, labels)

    def forward(self, words):
        return self.linear(self.embedding(words).mean(dim=0, keepdim=True))


torch.manual_seed(0)
model = BagOfWords(len(vocab), 4, 2)
print(model)
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
for epoch in range(2):
    total = 0.0
    for sentence, label in data:
        model.zero_grad()
        words = torch.tensor([vocab[w] for w in sentence], dtype=torch.long)
        log_probs = F.log_softmax(model(words), dim=1)
        loss = F.nll_loss(log_probs, torch.tensor([label]))
        loss.backward()
        optimizer.step()
        total += loss.item()
    print(epoch, round(total, 4))
with torch.no_grad():
    words = torch.tensor([vocab[w] for w in "give it to me".split()])
    print(F.softmax(model(words), dim=1))
print(model.embedding.weight.grad)
"""


def test_a_bag_of_words_classifier_trains_as_in_torch(torch):
    same_output(BAG_OF_WORDS, rel=1e-5)
