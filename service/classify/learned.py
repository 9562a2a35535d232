"""The learned half of the hybrid classifier: features, the model artefact, prediction. Pure.

A multinomial logistic regression per field over (a) the rules' own reading of the item --
their labels, confidences and evidence routes, the stance slot with its flags, the kind of
step and the counterpart's position in the slot on the item's date (holds / lacks /
removed / announced), every lexicon cue kind:key, source country, kind and language -- and
(b) hashed word unigrams and bigrams (English) and character bigrams and trigrams
(Japanese). Features are binary and hashed with CRC-32 into ``BUCKETS`` buckets, so the
artefact (``data/model.json``, written by ``python -m service.classify.train``) holds only
the buckets seen in training. Prediction is a sparse dot product in pure Python.
"""

from __future__ import annotations

import functools
import json
import math
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from service.classify.knowledge import DATA_DIR, Knowledge
from service.classify.rules import Features
from service.classify.types import Classification, ItemText

MODEL_PATH = DATA_DIR / "model.json"
BUCKETS = 1 << 20
ARTEFACT_FORMAT = 1
_JA_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\u30fc]+")
_WORD = re.compile(r"[a-z0-9]+")
TEXT_PREFIXES = ("w:", "b:", "tw:", "c2:", "tc2:", "c3:")
TEXT_SCALE = 2.0  # n-grams share this much input norm; the rules' features count 1 each


_BUCKET_CACHE: dict[str, int] = {}


def bucket(feature: str) -> int:
    """Deterministic across processes and platforms (unlike ``hash``); cached."""
    found = _BUCKET_CACHE.get(feature)
    if found is None:
        found = zlib.crc32(feature.encode("utf-8")) & (BUCKETS - 1)
        if len(_BUCKET_CACHE) < 500_000:
            _BUCKET_CACHE[feature] = found
    return found


def _bin(value: float) -> int:
    return min(9, max(0, int(value * 10)))


def featurise(
    item: ItemText, f: Features, rules: Classification, trace: dict[str, str], knowledge: Knowledge
) -> list[str]:
    """The model's binary features for one item, in a fixed order (no duplicates)."""
    lab = rules.labels
    conf = rules.confidence
    actor = lab.actor or "-"
    out: list[str] = [
        "bias",
        f"r:rel={lab.relevant}",
        f"r:actor={actor}",
        f"r:dom={lab.domain}",
        f"r:st={lab.stance}",
        f"r:cn={lab.targets_china}",
        f"r:st={lab.stance}|actor={actor}",
        f"r:st={lab.stance}|conf={_bin(conf['stance'])}",
        f"r:actor={actor}|conf={_bin(conf['actor'])}",
        f"r:dom={lab.domain}|conf={_bin(conf['domain'])}",
        f"r:cn={lab.targets_china}|conf={_bin(conf['targets_china'])}",
        f"r:rel={lab.relevant}|conf={_bin(conf['relevant'])}",
        f"src={item.source_country}",
        f"kind={f.source_kind}",
        f"lang={f.language}",
        f"src={item.source_country}|kind={f.source_kind}",
        f"src_is_actor={item.source_country == lab.actor}",
        f"src_is_actor={item.source_country == lab.actor}|r:st={lab.stance}",
    ]
    for ev in rules.evidence:
        out.append(f"ev:{ev.field}:{ev.feature}")
        if ev.field == "stance":
            out.append(f"ev:stance:{ev.feature}|r:st={lab.stance}")
    slot_key = trace.get("slot")
    step = trace.get("step", "-")
    cp = trace.get("cp", "-")
    own = trace.get("own", "-")
    out += [f"step={step}", f"cp={cp}", f"own={own}", f"step={step}|cp={cp}", f"actor={actor}|cp={cp}"]
    out.append(f"step={step}|cp={cp}|r:st={lab.stance}")
    if slot_key is not None:
        slot = knowledge.slots.get(slot_key)
        out += [f"slot={slot_key}", f"slot={slot_key}|cp={cp}", f"slot={slot_key}|step={step}"]
        if slot is not None:
            for flag in ("divisive", "neutral", "inverted", "bilateral", "hits_counterpart"):
                if getattr(slot, flag):
                    out += [f"flag={flag}", f"flag={flag}|cp={cp}", f"flag={flag}|step={step}"]
    for kind, hits in f.by_kind.items():
        for hit in hits:
            key = hit.cue.key
            if kind == "actor":  # which state, and whether it is the rules' actor
                key = key.split(":")[0]
                key = "actor" if key == lab.actor else ("pair" if key in f.pair else "third")
            out.append(f"lx:{kind}:{key}")
            if hit.zone == "title":
                out.append(f"lxt:{kind}:{key}")
    for zone, text in (("t", f.title), ("s", f.summary)):
        words = _WORD.findall(text)
        prev = "<s>"
        for word in words:
            out.append(f"w:{word}")
            out.append(f"b:{prev}_{word}")
            if zone == "t":
                out.append(f"tw:{word}")
            prev = word
        for run in _JA_RUN.findall(text):
            for i in range(len(run) - 1):
                out.append(f"c2:{run[i : i + 2]}")
                if zone == "t":
                    out.append(f"tc2:{run[i : i + 2]}")
                if i + 2 < len(run):
                    out.append(f"c3:{run[i : i + 3]}")
    return list(dict.fromkeys(out))


@dataclass(frozen=True, slots=True)
class FieldModel:
    """One field's weights: per bucket, one weight per class."""

    name: str
    classes: tuple[str, ...]
    weights: dict[int, tuple[float, ...]]
    temperature: float
    threshold: float  # override the rules only when the model is at least this sure
    use: bool  # the cross-validation chose the model for this field

    def scores(self, x: Sequence[tuple[int, float]]) -> list[float]:
        total = [0.0] * len(self.classes)
        get = self.weights.get
        for b, v in x:
            row = get(b)
            if row is not None:
                for i, w in enumerate(row):
                    total[i] += w * v
        return total

    def probabilities(self, x: Sequence[tuple[int, float]], temperature: float | None = None) -> list[float]:
        return softmax(self.scores(x), self.temperature if temperature is None else temperature)

    def top_features(
        self,
        features: Sequence[str],
        label: str,
        x: Sequence[tuple[int, float]] | None = None,
        n: int = 3,
    ) -> list[tuple[str, float]]:
        """Features pushing most towards ``label``: value x (its weight minus the mean of the
        others); ``x`` is ``encode(features)`` when the caller has it."""
        index = self.classes.index(label)
        spread = max(len(self.classes) - 1, 1)
        get = self.weights.get
        pushes: list[tuple[str, float]] = []
        for name, (b, v) in zip(features, x if x is not None else encode(features), strict=True):
            row = get(b)
            if row is None:
                continue
            own = row[index]
            push = v * (own - (sum(row) - own) / spread)
            if push > 0:
                pushes.append((name, push))
        pushes.sort(key=lambda kv: (-kv[1], kv[0]))
        return pushes[:n]


def softmax(scores: Sequence[float], temperature: float = 1.0) -> list[float]:
    top = max(scores)
    exps = [math.exp((s - top) / temperature) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


@dataclass(frozen=True, slots=True)
class Model:
    version: str
    fields: dict[str, FieldModel]
    meta: dict[str, Any]


def model_to_json(model: Model) -> str:
    """Canonical text of the artefact (sorted keys, fixed rounding) -- bit-for-bit stable."""
    fields: dict[str, Any] = {}
    for name, fm in sorted(model.fields.items()):
        fields[name] = {
            "classes": list(fm.classes),
            "temperature": fm.temperature,
            "threshold": fm.threshold,
            "use": fm.use,
            "weights": {str(b): [round(w, 5) for w in row] for b, row in sorted(fm.weights.items())},
        }
    body = {
        "format": ARTEFACT_FORMAT,
        "version": model.version,
        "buckets": BUCKETS,
        "meta": model.meta,
        "fields": fields,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def model_from_dict(data: dict[str, Any]) -> Model:
    if data.get("format") != ARTEFACT_FORMAT or data.get("buckets") != BUCKETS:
        raise ValueError(
            "model artefact has an unknown format; rebuild with python -m service.classify.train"
        )
    fields = {
        name: FieldModel(
            name=name,
            classes=tuple(str(c) for c in spec["classes"]),
            weights={int(b): tuple(float(w) for w in row) for b, row in spec["weights"].items()},
            temperature=float(spec["temperature"]),
            threshold=float(spec["threshold"]),
            use=bool(spec["use"]),
        )
        for name, spec in data["fields"].items()
    }
    return Model(str(data["version"]), fields, dict(data.get("meta", {})))


@functools.cache
def load_model(path: Path = MODEL_PATH) -> Model:
    with path.open(encoding="utf-8") as fh:
        return model_from_dict(json.load(fh))


def encode(features: Iterable[str]) -> list[tuple[int, float]]:
    """(bucket, value) pairs: the rules' features count 1 each; the n-grams share a norm of
    ``TEXT_SCALE`` so a long summary does not outvote the rules."""
    names = list(features)
    is_text = [name.startswith(TEXT_PREFIXES) for name in names]
    n_text = sum(is_text)
    text_value = TEXT_SCALE / math.sqrt(n_text) if n_text else 0.0
    return [(bucket(name), text_value if t else 1.0) for name, t in zip(names, is_text, strict=True)]
